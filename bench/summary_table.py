"""theme_counts.csv from the packed summary table against a plain normal-form one, measured.

    UFM_BENCH_DB=ufm_g_bench .venv/bin/python bench/summary_table.py --generate 56000
    UFM_BENCH_DB=ufm_g_bench .venv/bin/python bench/summary_table.py   # data already there

The packed table (themes migration 0008) keeps one row per interview and quote question, with
every count of the row packed into one number. The normal-form candidate keeps one row per
interview, quote question and sub-theme, and one per interview, quote question and theme
(``subtheme_id`` NULL), each with a plain integer count of quotes; question_id 0 stands for the
whole interview, as in the packed table, because a participant counts once per theme however
many questions mention it.

Both are measured as bench/run.py measures theme_counts.csv: the whole export, median of 3,
interleaved, in one process; the bytes must be the same. Also: a full recount of each table,
a recount of one interview (what a trigger does on every tagging), rows and size on disk.
The candidate lives only in the benchmark database; nothing here changes the app.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run

NORMAL = "bench_theme_count_normal"

CREATE = f"""
DROP TABLE IF EXISTS {NORMAL};
CREATE TABLE {NORMAL} (
    session_id bigint NOT NULL,
    question_id bigint NOT NULL,
    answer varchar(100),
    theme_id bigint NOT NULL,
    subtheme_id bigint,
    quotes integer NOT NULL
);
CREATE INDEX {NORMAL}_session ON {NORMAL} (session_id, question_id);

CREATE OR REPLACE FUNCTION bench_normal_refresh(sessions bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF sessions IS NULL THEN
        DELETE FROM {NORMAL};
    ELSE
        DELETE FROM {NORMAL} WHERE session_id = ANY(sessions);
    END IF;
    EXECUTE format($insert$
    INSERT INTO {NORMAL} (session_id, question_id, answer, theme_id, subtheme_id, quotes)
    WITH tagged AS (
        SELECT q.session_id, q.question_id, t.quote_id, t.subtheme_id, s.theme_id
        FROM themes_tag t
        JOIN interviews_quote q ON q.id = t.quote_id
        JOIN themes_subtheme s ON s.id = t.subtheme_id
        WHERE %s
    ),
    counted AS (
        SELECT session_id, COALESCE(question_id, 0) AS question_id, theme_id, subtheme_id,
               count(*) AS quotes
        FROM tagged
        GROUP BY GROUPING SETS ((session_id, question_id, theme_id, subtheme_id),
                                (session_id, theme_id, subtheme_id))
        UNION ALL
        SELECT session_id, COALESCE(question_id, 0), theme_id, NULL, count(DISTINCT quote_id)
        FROM tagged
        GROUP BY GROUPING SETS ((session_id, question_id, theme_id), (session_id, theme_id))
    )
    SELECT c.session_id, c.question_id, o.code, c.theme_id, c.subtheme_id, c.quotes
    FROM counted c
    LEFT JOIN interviews_answer a
        ON a.session_id = c.session_id AND a.question_id = c.question_id
    LEFT JOIN interviews_answeroption o ON o.id = a.option_id
    $insert$, CASE WHEN sessions IS NULL THEN 'true' ELSE 'q.session_id = ANY($1)' END)
    USING sessions;
END $$;
"""


def variables_join(schedule, session_id: str) -> tuple[str, list[str]]:
    """A LEFT JOIN giving, for the interview ``session_id``, its answer to each of the
    schedule's variables as an option id, in the columns named (``d.d<question id>``): the
    normal-form table keeps no answers (the packed one does, on its whole-interview rows)."""
    from interviews.models import Answer

    variables = schedule.variables
    if not variables:
        return "", []
    pivot = ", ".join(
        f"max(option_id) FILTER (WHERE question_id = {q.id}) AS d{q.id}" for q in variables
    )
    join = (
        f"LEFT JOIN (SELECT session_id, {pivot} FROM {Answer._meta.db_table} "
        f"WHERE question_id IN ({', '.join(str(q.id) for q in variables)}) "
        f"GROUP BY session_id) d ON d.session_id = {session_id}"
    )
    return join, [f"d.d{q.id}" for q in variables]


def normal_theme_counts_tables(filters) -> dict[str, tuple[dict, dict]]:
    """``exports_pg.theme_counts_tables`` over the normal-form table: the same statement shape
    (the allowed interviews hashed once, the answers, then the demographics by grouping sets),
    with sums of plain integers and a count of rows for the participants."""
    from django.db import connection, transaction

    from themes.exports_pg import _inline, theme_count_groups

    schedule = filters.schedule
    sessions = filters.sessions().with_quote_consent()
    demographics_join, pivoted = variables_join(schedule, "c.session_id")
    units = "c.theme_id, c.subtheme_id"
    sets = ", ".join([f"({units})"] + [f"({column}, {units})" for column in pivoted])
    grouping = f"GROUPING({', '.join(pivoted)})::text" if pivoted else "'0'"
    value = f"COALESCE({', '.join(pivoted)})::text" if pivoted else "NULL::text"
    statement = f"""
        WITH allowed AS MATERIALIZED ({_inline(sessions.order_by().values("pk"))})
        SELECT 'answer', c.question_id::text, c.answer, {units}, sum(c.quotes), count(*)
        FROM {NORMAL} c
        WHERE c.question_id <> 0 AND c.session_id IN (SELECT pk FROM allowed)
        GROUP BY c.question_id, c.answer, {units}
        UNION ALL
        SELECT 'demographics', {grouping}, {value}, {units}, sum(c.quotes), count(*)
        FROM {NORMAL} c
        {demographics_join}
        WHERE c.question_id = 0 AND c.session_id IN (SELECT pk FROM allowed)
        GROUP BY GROUPING SETS ({sets})
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(statement)
        result = cursor.fetchall()

    tables: dict[str, tuple[dict, dict]] = {}

    def put(by: str, key: tuple, theme: int, subtheme: int | None, quotes, people) -> None:
        theme_n, sub_n = tables.setdefault(by, ({}, {}))
        counts, unit = (theme_n, theme) if subtheme is None else (sub_n, subtheme)
        before = counts.get((key, unit), (0, 0))
        counts[(key, unit)] = (before[0] + int(quotes), before[1] + people)

    for by, key, measured in theme_count_groups(result, schedule):
        put(by, key, *measured)
    return tables


def export_once() -> tuple[float, int, bytes]:
    """One theme_counts.csv as run.py times it: seconds, queries, and its bytes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from themes.export_filters import ExportFilters
    from themes.exports import EXPORTS, _python_csv

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        rows = list(EXPORTS["theme_counts"](ExportFilters()))
        seconds = time.perf_counter() - started
    return seconds, len(ctx.captured_queries), b"".join(_python_csv(iter(rows)))


def seconds_of(sql: str) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(sql)
        return time.perf_counter() - started


def table_figures(table: str) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), pg_total_relation_size('{table}') FROM {table}")
        rows, size = cursor.fetchone()
    return {"rows": rows, "mib": round(size / 2**20, 1)}


def one_interview_ms(function: str, sessions: list[int]) -> float:
    """Mean milliseconds to recount one interview, over the given ones (each committed)."""
    from django.db import connection

    with connection.cursor() as cursor:
        started = time.perf_counter()
        for session in sessions:
            cursor.execute(f"SELECT {function}(ARRAY[%s]::bigint[])", [session])
        return (time.perf_counter() - started) / len(sessions) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generate", type=int, metavar="N", help="first fill with N interviews")
    args = parser.parse_args()
    if args.generate:
        print(f"== generating {args.generate} interviews in {run.BENCH_DB}", flush=True)
        run.prepare(args.generate)
    os.environ.update(run.ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ufm.settings"
    import django

    django.setup()
    from django.db import connection

    from themes import exports_pg

    packed = exports_pg.theme_counts_tables
    with connection.cursor() as cursor:
        cursor.execute(CREATE)
        cursor.execute("SELECT count(*) FROM interviews_interviewsession")
        (interviews,) = cursor.fetchone()
        cursor.execute("SELECT id FROM interviews_interviewsession ORDER BY id LIMIT 200")
        sample = [row[0] for row in cursor.fetchall()]
    figures: dict = {"interviews": interviews, "database": run.BENCH_DB}
    figures["normal_rebuild_s"] = round(seconds_of("SELECT bench_normal_refresh(NULL)"), 2)
    figures["packed_rebuild_s"] = round(seconds_of("SELECT themes_summary_refresh(NULL)"), 2)
    seconds_of(f"VACUUM ANALYZE {NORMAL}")
    seconds_of("VACUUM ANALYZE themes_theme_count_summary")
    figures["normal_table"] = table_figures(NORMAL)
    figures["packed_table"] = table_figures("themes_theme_count_summary")
    figures["normal_one_interview_ms"] = round(one_interview_ms("bench_normal_refresh", sample), 2)
    figures["packed_one_interview_ms"] = round(
        one_interview_ms("themes_summary_refresh", sample), 2
    )
    seconds_of(f"VACUUM ANALYZE {NORMAL}")
    seconds_of("VACUUM ANALYZE themes_theme_count_summary")

    timings: dict[str, list[float]] = {"packed": [], "normal": []}
    outputs: dict[str, bytes] = {}
    queries: dict[str, int] = {}
    for _ in range(run.REPEATS):  # interleaved, so a noisy neighbour hits both alike
        for name, tables in (("packed", packed), ("normal", normal_theme_counts_tables)):
            exports_pg.theme_counts_tables = tables
            seconds, queries[name], outputs[name] = export_once()
            timings[name].append(seconds)
    exports_pg.theme_counts_tables = packed
    for name, runs in timings.items():
        figures[f"{name}_theme_counts_s"] = round(statistics.median(runs), 3)
        figures[f"{name}_queries"] = queries[name]
    figures["same_bytes"] = outputs["packed"] == outputs["normal"]
    figures["rows"] = outputs["packed"].count(b"\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
