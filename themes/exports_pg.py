"""The exports on PostgreSQL: the row exports (interviews.csv, quotes.csv) as one COPY ... TO
STDOUT, and theme_counts.csv from the per-interview counts the database keeps ready.

PostgreSQL writes CSV faster than any Python loop, so on PostgreSQL the row exports are a
single SELECT handed to COPY and streamed through psycopg as bytes; SQLite keeps the Python
path in ``themes.exports``. Every statement is built from the export's schedule
(``ExportFilters.schedule``): a column or grouping per question in survey order, named in the
SQL by question and option ids, so nothing here knows any one evaluation. Both paths must
give the same bytes, which the test suite checks on PostgreSQL against the Python path and the
golden files. What makes the bytes match:

- COPY writes NULL as an empty cell and an empty string as "", so every text cell that may be
  empty goes through NULLIF(…, '') or is NULL already;
- COPY and Python's csv module quote the same cells (a comma, a double quote or a line
  break) once quote text holds no carriage return, which the database refuses
  (``quote_text_single_line``);
- rows, quotes within a cell, ticks within a cell (as entered) and tags within a cell are
  ordered as the Python path orders them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from psycopg import sql as psql

from interviews.models import (
    Answer,
    AnswerOption,
    ConsentFormVersion,
    ConsentRecord,
    ConsentResponse,
    ConsentStatement,
    InterviewSession,
    Quote,
    Site,
    Tick,
)
from interviews.schedules import Schedule, ScheduleQuestion
from themes.models import SubTheme, Tag, Theme, ThemeCountSummary

PIECE_BYTES = 64 * 1024


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _user_table() -> str:
    from django.contrib.auth import get_user_model

    return _table(get_user_model())


def _consent_answers_join(record_alias: str) -> str:
    """For a consent record: the answer to the quotes statement as ``qa.agreed`` (NULL when
    not answered), and whether any statement of its form is unanswered, as ``qc.unanswered``."""
    quotes_answers = _inline(ConsentResponse.objects.to_quotes().values("record_id", "agreed"))
    return (
        f"LEFT JOIN ({quotes_answers}) qa ON qa.record_id = {record_alias}.id "
        f"LEFT JOIN (SELECT rc.id AS record_id, "
        # One line per statement of the form, with its answer where there is one.
        f"count(r.id) < count(st.id) AS unanswered "
        f"FROM {_table(ConsentRecord)} rc "
        f"LEFT JOIN {_table(ConsentStatement)} st ON st.form_version_id = rc.form_version_id "
        f"LEFT JOIN {_table(ConsentResponse)} r ON r.record_id = rc.id AND r.statement_id = st.id "
        f"GROUP BY rc.id) qc ON qc.record_id = {record_alias}.id"
    )


def _score_sql(score: ScheduleQuestion) -> str:
    """A derived score from the pivoted term scores ``a.s<question id>``: their sum, which SQL
    leaves NULL (a blank cell) when any term is unanswered or its answer has no score."""
    if not score.terms:
        return "NULL"
    return "(" + " + ".join(f"a.s{term.id}" for term in score.terms) + ")::text"


def interviews_select(schedule: Schedule, session_ids_sql: str) -> str:
    """The SELECT behind interviews.csv: the columns of evaluation.md ("Files of an
    evaluation"), the schedule's questions in survey order, then status and each score.

    Answers, ticks and quotes are each pivoted to one row per interview, a column per question
    (``a.c<id>``, ``w.m<id>``, ``q.q<id>``: ids, since a code is not an SQL name)."""
    terms = {term.id: term for score in schedule.scores for term in score.terms}
    answer_columns = [
        f"max(o.code) FILTER (WHERE a.question_id = {q.id}) AS c{q.id}"
        for q in schedule.select_questions
        if q.one_answer
    ] + [f"max(o.score) FILTER (WHERE a.question_id = {t}) AS s{t}" for t in terms]
    # Ticks in the order they were entered (or imported), so a file's cells come back as
    # they went in.
    tick_columns = [
        f"string_agg(o.code, ';' ORDER BY t.id) FILTER (WHERE t.question_id = {q.id}) AS m{q.id}"
        for q in schedule.select_questions
        if q.many
    ]
    quote_columns = [
        f"string_agg(text, E'\\n' ORDER BY position, id) FILTER (WHERE question_id = {q.id}) "
        f"AS q{q.id}"
        for q in schedule.quote_questions
    ]
    cells = [
        "s.participant_code",
        "to_char(s.interview_date, 'YYYY-MM-DD')",
        "site.code",
        "u1.username",
        "u2.username",
        "cv.label",
        "to_char(c.consent_date, 'YYYY-MM-DD')",
        "c.method",
        # As the Python path: blank unless every statement of the form has an answer.
        "CASE WHEN qc.unanswered THEN NULL WHEN qa.agreed THEN 'yes' WHEN NOT qa.agreed "
        "THEN 'no' END",
    ]
    for question in schedule.questions:
        if question.one_answer:
            cells.append(f"a.c{question.id}")
        elif question.many:
            cells.append(f"w.m{question.id}")
        if question.takes_quotes:
            cells.append(f"q.q{question.id}")
    cells.append("s.status")
    cells += [_score_sql(score) for score in schedule.scores]
    quote_consents = _inline(ConsentResponse.objects.quote_consents().values("record__session_id"))
    joins = [
        f"LEFT JOIN {_table(ConsentRecord)} c ON c.session_id = s.id",
        f"LEFT JOIN {_table(ConsentFormVersion)} cv ON cv.id = c.form_version_id",
        _consent_answers_join("c"),
    ]
    if answer_columns:
        joins.append(
            f"LEFT JOIN (SELECT a.session_id, {', '.join(answer_columns)} "
            f"FROM {_table(Answer)} a JOIN {_table(AnswerOption)} o ON o.id = a.option_id "
            f"GROUP BY a.session_id) a ON a.session_id = s.id"
        )
    if quote_columns:
        # Words of participants without quote consent are never exported, not even read.
        joins.append(
            f"LEFT JOIN (SELECT session_id, {', '.join(quote_columns)} FROM {_table(Quote)} "
            f"WHERE session_id IN ({quote_consents}) "
            f"GROUP BY session_id) q ON q.session_id = s.id"
        )
    if tick_columns:
        joins.append(
            f"LEFT JOIN (SELECT t.session_id, {', '.join(tick_columns)} "
            f"FROM {_table(Tick)} t JOIN {_table(AnswerOption)} o ON o.id = t.option_id "
            f"GROUP BY t.session_id) w ON w.session_id = s.id"
        )
    return (
        f"SELECT {', '.join(cells)} "
        f"FROM {_table(InterviewSession)} s "
        f"JOIN {_table(Site)} site ON site.id = s.site_id "
        f"JOIN {_user_table()} u1 ON u1.id = s.interviewer_1_id "
        f"JOIN {_user_table()} u2 ON u2.id = s.interviewer_2_id "
        f"{' '.join(joins)} "
        f"WHERE s.id IN ({session_ids_sql}) "
        f"ORDER BY s.id"
    )


def quotes_select(schedule: Schedule, quote_ids_sql: str) -> str:
    """The SELECT behind quotes.csv: each quote with its question's code and the interview's
    coded answer to it, by interview, question (survey order), position."""
    question_index = " ".join(
        f"WHEN {q.id} THEN {i}" for i, q in enumerate(schedule.quote_questions)
    )
    question_code = " ".join(
        f"WHEN {q.id} THEN {_literal(q.code)}" for q in schedule.quote_questions
    )
    return (
        f"SELECT qu.id, s.participant_code, (CASE qu.question_id {question_code} END), o.code, "
        "qu.text, tg.tags "
        f"FROM {_table(Quote)} qu "
        f"JOIN {_table(InterviewSession)} s ON s.id = qu.session_id "
        f"LEFT JOIN {_table(Answer)} a "
        f"ON a.session_id = qu.session_id AND a.question_id = qu.question_id "
        f"LEFT JOIN {_table(AnswerOption)} o ON o.id = a.option_id "
        f"LEFT JOIN (SELECT t.quote_id, string_agg(st.code, ';' "
        f'ORDER BY th."order", st."order", st.code) AS tags '
        f"FROM {_table(Tag)} t JOIN {_table(SubTheme)} st ON st.id = t.subtheme_id "
        f"JOIN {_table(Theme)} th ON th.id = st.theme_id GROUP BY t.quote_id) tg "
        f"ON tg.quote_id = qu.id "
        f"WHERE qu.id IN ({quote_ids_sql}) "
        f"ORDER BY qu.session_id, (CASE qu.question_id {question_index} END), qu.position, qu.id"
    )


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _inline(queryset) -> str:
    """A queryset's SQL with its parameters bound, for use inside COPY (which takes none)."""
    from psycopg import ClientCursor

    query, params = queryset.query.sql_with_params()
    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection under Django's
    with ClientCursor(raw) as cursor:
        return cursor.mogrify(query, params)


def select_for(kind: str, filters) -> str:
    if kind == "interviews":
        return interviews_select(filters.schedule, _inline(filters.sessions().values("pk")))
    if kind == "quotes":
        return quotes_select(filters.schedule, _inline(filters.quotes().values("pk")))
    raise ValueError(kind)


def copy_csv(select: str, header: list[str]) -> Iterator[bytes]:
    """Stream ``COPY (select) TO STDOUT`` as CSV bytes, after our own header line (the
    header's names are ours, not the SELECT's). Yields the data; returns the row count."""
    yield (",".join(header) + "\n").encode("utf-8")
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        statement = psql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv)").format(psql.SQL(select))
        with cursor.copy(statement) as copy:
            # psycopg hands over one row at a time: pass them on in pieces of about 64 KiB.
            pending: list[bytes] = []
            size = 0
            for block in copy:
                pending.append(bytes(block))
                size += len(block)
                if size >= PIECE_BYTES:
                    yield b"".join(pending)
                    pending, size = [], 0
            yield b"".join(pending)
        return cursor.rowcount


SUMMARY_TABLE = ThemeCountSummary._meta.db_table
SLOT_DIGITS = 10  # each count takes 10 decimal digits of a packed number (migration 0008)


def _unpack(packed, units: list[int]) -> dict[int, int]:
    """The counts of a packed number (see ``themes/migrations/0008_theme_count_summary_by_
    question.py``): the unit in slot k is worth 10^(10k). Units with a count of 0 are left out."""
    digits = str(int(packed)).rjust(SLOT_DIGITS * len(units), "0")
    counts = {}
    for slot, unit in enumerate(units):
        end = len(digits) - SLOT_DIGITS * slot
        value = int(digits[end - SLOT_DIGITS : end])
        if value:
            counts[unit] = value
    return counts


def answers_of_whole_interview(variables: tuple) -> tuple[str, list[str]]:
    """A LATERAL join giving, for a whole-interview summary row ``c``, its interview's answer
    to each of ``variables`` as an option id (from ``c.options``, themes migration 0017), in
    the columns named (``d.d<question id>``)."""
    if not variables:
        return "", []
    columns = ", ".join(f"(c.options ->> '{q.id}')::bigint AS d{q.id}" for q in variables)
    return f"CROSS JOIN LATERAL (SELECT {columns}) d", [f"d.d{q.id}" for q in variables]


@contextmanager
def whole_tables_plan() -> Iterator:
    """A transaction (and its cursor) planned for a count over whole tables of the interviews
    an export's filters allow, not for a few rows: four statements (savepoint, three SETs)."""
    with transaction.atomic(), connection.cursor() as cursor:
        # The filters' EXISTS and anti-joins make the planner expect a few hundred
        # interviews where there are tens of thousands, and it then picks nested loops;
        # hashing the allowed interviews once is the fast way over whole tables.
        cursor.execute("SET LOCAL enable_nestloop = off")
        # Disabled plans cost "infinity", which would start the JIT compiler: a second of
        # compiling for a statement that runs in a fraction of that.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")  # hash the allowed interviews in memory
        yield cursor


def theme_counts_tables(filters, *, by_demographics: bool = True) -> dict[str, tuple[dict, dict]]:
    """Every grouping of theme_counts.csv in one statement: distinct quotes and participants
    per (group, theme) and per (group, sub-theme), for "all", "item", "answer" and (unless
    ``by_demographics`` is off) each one-answer demographic (``Schedule.variables``).
    Returns {by: (theme_counts, subtheme_counts)}, each keyed by (group key tuple of codes,
    unit id) as ``themes.export_counts._counted_on`` does.

    The database keeps each interview's counts ready (migration 0008): a row per quote
    question and a row for the whole interview, each count packed into one number. Adding
    those up gives every count at once: summing per-interview quote counts gives distinct
    quotes, and summing per-interview "any" flags gives distinct participants. A row's
    question has one answer, so the by-item counts are the sums of the by-answer ones, and
    "all" is the grouping by no demographic. The whole-interview row holds the interview's
    answers too (migration 0017), so the statement never reads the answers table."""
    schedule = filters.schedule  # the export's evaluation's (``ExportFilters.schedule``)
    sessions = filters.sessions().with_quote_consent()
    allowed = "c.session_id IN (SELECT pk FROM allowed)"
    measures = (
        "sum(c.subtheme_quotes), sum(c.subtheme_people), sum(c.theme_quotes), sum(c.theme_people)"
    )
    variables = schedule.variables if by_demographics else ()
    demographics_join, pivoted = answers_of_whole_interview(variables)
    if pivoted:
        grouping = f"GROUPING({', '.join(pivoted)})::text"
        value = f"COALESCE({', '.join(pivoted)})::text"
    else:
        grouping, value = "'0'", "NULL::text"
    demographic_sets = ", ".join(["()"] + [f"({column})" for column in pivoted])
    # Not materialized: each of the two groupings then reads the allowed interviews itself, in
    # a plan PostgreSQL can share among parallel workers (0.5-0.65 s at 56,000 interviews,
    # against 0.65-0.8 s for one list of them that both read in turn).
    statement = f"""
        WITH allowed AS NOT MATERIALIZED ({_inline(sessions.order_by().values("pk"))})
        SELECT 'answer', c.question_id::text, c.answer, {measures}
        FROM {SUMMARY_TABLE} c
        WHERE c.question_id <> {ThemeCountSummary.WHOLE_INTERVIEW} AND {allowed}
        GROUP BY c.question_id, c.answer
        UNION ALL
        SELECT 'demographics', {grouping}, {value}, {measures}
        FROM {SUMMARY_TABLE} c
        {demographics_join}
        WHERE c.question_id = {ThemeCountSummary.WHOLE_INTERVIEW} AND {allowed}
        GROUP BY GROUPING SETS ({demographic_sets})
        UNION ALL
        -- The slots of the packed numbers, read in the same statement as the numbers.
        SELECT 'slots', 'subtheme', string_agg(id::text, ',' ORDER BY id), 0, 0, 0, 0
        FROM {_table(SubTheme)}
        UNION ALL
        SELECT 'slots', 'theme', string_agg(id::text, ',' ORDER BY id), 0, 0, 0, 0
        FROM {_table(Theme)}
    """
    with whole_tables_plan() as cursor:
        cursor.execute(statement)
        result = cursor.fetchall()

    slots = {
        name: [int(i) for i in ids.split(",")] if ids else []
        for family, name, ids, *_ in result
        if family == "slots"
    }
    tables: dict[str, tuple[dict, dict]] = {}

    def put(by: str, key: tuple, sub_q, sub_p, theme_q, theme_p) -> None:
        theme_n, sub_n = tables.setdefault(by, ({}, {}))
        for counts, quotes, people, units in (
            (sub_n, sub_q, sub_p, slots["subtheme"]),
            (theme_n, theme_q, theme_p, slots["theme"]),
        ):
            people_by_unit = _unpack(people, units)
            for unit, n in _unpack(quotes, units).items():
                before = counts.get((key, unit), (0, 0))
                counts[(key, unit)] = (before[0] + n, before[1] + people_by_unit[unit])

    for by, key, measured in theme_count_groups(result, schedule, variables):
        if measured[0] is None:  # the grouping by nothing, over no interviews at all
            continue
        put(by, key, *measured)
    return tables


def theme_count_groups(
    result: list[tuple], schedule: Schedule, variables: tuple | None = None
) -> Iterator[tuple]:
    """The rows of a theme-counts statement as (grouping, group key of codes, measures): an
    "answer" row counts for its question and, with a coded answer, for the answer too; a
    "demographics" row for "all" or for the one variable that GROUPING() names (its value an
    option id). Other rows, and questions or options not of the schedule, are skipped.
    ``variables``: those the statement grouped by, when not all of the schedule's."""
    variables = schedule.variables if variables is None else variables
    all_bits = (1 << len(variables)) - 1
    for family, first, second, *measured in result:
        if family == "answer":
            question = schedule.by_id.get(int(first))
            if question is None:
                continue
            yield "item", (question.code,), measured
            if second is not None:  # open questions have no coded answer
                yield "answer", (question.code, second), measured
        elif family == "demographics":
            if int(first) == all_bits:
                yield "all", (), measured
            elif second is not None:
                # GROUPING() has a 0 bit for the one variable this row is grouped by.
                position = next(
                    i
                    for i in range(len(variables))
                    if not int(first) >> (len(variables) - 1 - i) & 1
                )
                variable = variables[position]
                option = next((o for o in variable.options if o.id == int(second)), None)
                if option is not None:
                    yield variable.code, (option.code,), measured
