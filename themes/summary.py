"""The theme-count summary on PostgreSQL: the objects that keep it, and a recount to compare.

Themes migration 0008 makes the table (``ThemeCountSummary``), its PL/pgSQL functions and the
triggers that call them; 0017 adds the whole-interview rows' answers and what keeps them. If
any were missing or disabled the table would drift from the tags without a sound, and
theme_counts.csv with it; the system check themes.E001 looks for them, and ``manage.py
theme_counts --check`` compares the table with a recount from the tags.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core import checks
from django.db import connection, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

from themes.exports_pg import SLOT_DIGITS, _unpack
from themes.models import SubTheme, Theme, ThemeCountSummary

TABLE = ThemeCountSummary._meta.db_table
MIGRATION = ("themes", "0008_theme_count_summary_by_question")
ANSWERS_MIGRATION = ("themes", "0017_summary_whole_interview_answers")

# What migration 0008 creates (tests/test_theme_counts_command.py keeps these lists in step).
FUNCTIONS = (
    "themes_summary_refresh",
    "themes_summary_answers",
    "themes_summary_after_tags",
    "themes_summary_truncate",
    "themes_summary_after_quotes",
    "themes_summary_quote_moved",
    "themes_summary_after_answers",
    "themes_summary_after_sessions",
    "themes_summary_after_codebook_insert",
    "themes_summary_rebuild",
)
TRIGGERS = (
    ("themes_tag_summary_insert", "themes_tag"),
    ("themes_tag_summary_delete", "themes_tag"),
    ("themes_tag_summary_update", "themes_tag"),
    ("themes_tag_summary_truncate", "themes_tag"),
    ("themes_quote_summary_delete", "interviews_quote"),
    ("themes_quote_summary_moved", "interviews_quote"),
    ("themes_answer_summary_insert", "interviews_answer"),
    ("themes_answer_summary_delete", "interviews_answer"),
    ("themes_answer_summary_update", "interviews_answer"),
    ("themes_session_summary_delete", "interviews_interviewsession"),
    ("themes_subtheme_summary_insert", "themes_subtheme"),
    ("themes_theme_summary_insert", "themes_theme"),
    ("themes_subtheme_summary_delete", "themes_subtheme"),
    ("themes_theme_summary_delete", "themes_theme"),
    ("themes_subtheme_summary_moved", "themes_subtheme"),
)
# And what 0017 creates.
ANSWERS_FUNCTIONS = ("themes_summary_options", "themes_summary_whole_answers")
ANSWERS_TRIGGERS = (("themes_summary_whole_answers", TABLE),)

SHOWN_DIFFERENCES = 50  # a table emptied by mistake would otherwise print every row

MISSING_HINT = (
    "theme_counts.csv on PostgreSQL adds up this table, and these keep it exact. Run the "
    "CREATE statements of themes/migrations/0008_theme_count_summary_by_question.py and "
    "then of 0017_summary_whole_interview_answers.py again for what is missing (or ALTER "
    "TABLE … ENABLE TRIGGER for what is disabled), then `manage.py theme_counts --rebuild`."
)


def missing_objects(using: str = "default") -> list[str]:
    """What of the table, functions and enabled triggers of migrations 0008 and 0017 a
    PostgreSQL database lacks, e.g. ``["function themes_summary_refresh"]``. Only of the
    migrations that have run: a database migrated so far gets the rest when it is migrated."""
    conn = connections[using]
    recorder = MigrationRecorder(conn)
    applied = (
        set(recorder.migration_qs.filter(app="themes").values_list("name", flat=True))
        if recorder.has_table()
        else set()
    )
    if MIGRATION[1] not in applied:
        return []
    functions_wanted, triggers_wanted = FUNCTIONS, TRIGGERS
    if ANSWERS_MIGRATION[1] in applied:
        functions_wanted += ANSWERS_FUNCTIONS
        triggers_wanted += ANSWERS_TRIGGERS
    with conn.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [TABLE])
        missing = [] if cursor.fetchone()[0] else [f"table {TABLE}"]
        cursor.execute(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname = ANY(%s)",
            [list(functions_wanted)],
        )
        functions = {name for (name,) in cursor.fetchall()}
        missing += [f"function {name}" for name in functions_wanted if name not in functions]
        cursor.execute(
            "SELECT t.tgname, c.relname, t.tgenabled <> 'D' FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND NOT t.tgisinternal AND t.tgname = ANY(%s)",
            [[name for name, _ in triggers_wanted]],
        )
        enabled = {(name, table): on for name, table, on in cursor.fetchall()}
    for name, table in triggers_wanted:
        if (name, table) not in enabled:
            missing.append(f"trigger {name} on {table}")
        elif not enabled[(name, table)]:
            missing.append(f"trigger {name} on {table} (disabled)")
    return missing


def missing_objects_message(missing: list[str]) -> str:
    return "The theme-count summary's database objects are missing: " + ", ".join(missing) + "."


def check_summary_objects(app_configs=None, databases=None, **kwargs) -> list[checks.Error]:
    """System check (database tag: ``manage.py check --database default``, and migrate): on
    PostgreSQL, the summary's table, trigger functions and triggers are all there."""
    errors = []
    for alias in databases or []:
        if connections[alias].vendor != "postgresql":
            continue
        missing = missing_objects(alias)
        if missing:
            errors.append(
                checks.Error(missing_objects_message(missing), hint=MISSING_HINT, id="themes.E001")
            )
    return errors


@dataclass
class Comparison:
    """The table against a recount from the tags: the recount's size, and what differed."""

    rows: int = 0
    interviews: int = 0
    different: int = 0  # rows that differ, missing or extra
    differences: list[str] = field(default_factory=list)  # the first SHOWN_DIFFERENCES


def theme_count_summary_check() -> Comparison:
    """Compare the table with a recount from the tags, changing nothing."""
    with transaction.atomic():
        comparison = recount_and_compare()
        transaction.set_rollback(True)  # the check only looks: the recount is undone
    return comparison


def recount_and_compare() -> Comparison:
    """Recount the whole table from the tags (in the caller's transaction) and say how the
    rows differed from the recount."""
    units = {
        "sub-theme": list(SubTheme.objects.order_by("pk").values_list("pk", "code")),
        "theme": list(Theme.objects.order_by("pk").values_list("pk", "code")),
    }
    columns = (
        "answer",
        "options",
        "subtheme_quotes",
        "subtheme_people",
        "theme_quotes",
        "theme_people",
    )
    with connection.cursor() as cursor:
        # What the table holds and the recount must see the same tags: taggings (whose
        # triggers write here) wait until this transaction ends; exports read on meanwhile.
        cursor.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
        cursor.execute(
            f"CREATE TEMPORARY TABLE theme_count_summary_before AS SELECT * FROM {TABLE}"
        )
        cursor.execute("SELECT themes_summary_refresh(NULL)")
        cursor.execute(f"SELECT count(*), count(DISTINCT session_id) FROM {TABLE}")
        rows, interviews = cursor.fetchone()
        before = ", ".join(f"b.{c}" for c in columns)
        after = ", ".join(f"a.{c}" for c in columns)
        cursor.execute(
            f"SELECT count(*) OVER (), coalesce(a.session_id, b.session_id), "
            f"coalesce(a.question_id, b.question_id), qn.code, s.participant_code, "
            f"b.session_id IS NOT NULL, a.session_id IS NOT NULL, {before}, {after} "
            f"FROM theme_count_summary_before b "
            f"FULL JOIN {TABLE} a "
            f"ON a.session_id = b.session_id AND a.question_id = b.question_id "
            f"LEFT JOIN interviews_interviewsession s "
            f"ON s.id = coalesce(a.session_id, b.session_id) "
            f"LEFT JOIN interviews_question qn ON qn.id = coalesce(a.question_id, b.question_id) "
            f"WHERE ({before}) IS DISTINCT FROM ({after}) "
            f"ORDER BY 2, 3 LIMIT %s",
            [SHOWN_DIFFERENCES],
        )
        found = cursor.fetchall()
        cursor.execute("DROP TABLE theme_count_summary_before")
    comparison = Comparison(rows=rows, interviews=interviews, different=found[0][0] if found else 0)
    for _, session_id, question_id, question, code, in_table, in_recount, *values in found:
        who = f"interview {code}" if code else f"interview id {session_id} (no longer there)"
        if question_id == ThemeCountSummary.WHOLE_INTERVIEW:
            where = "the whole interview"
        elif question:
            where = f"question {question}"
        else:
            where = f"question id {question_id} (no longer there)"
        if not in_table:
            what = "missing from the table; a recount has it"
        elif not in_recount:
            what = "in the table, but a recount has no such row"
        else:
            half = len(columns)
            what = "; ".join(_changes(values[:half], values[half:], units))
        comparison.differences.append(f"{who}, {where}: {what}.")
    return comparison


def _changes(table: list, recount: list, units: dict[str, list[tuple[int, str]]]) -> list[str]:
    """How one row's answer, answers and counts differ (sub-theme by sub-theme where the
    counts can be read)."""
    changes = []
    if table[0] != recount[0]:
        changes.append(f"answer {table[0]!r} in the table, {recount[0]!r} in a recount")
    if table[1] != recount[1]:
        changes.append(f"answers {table[1]} in the table, {recount[1]} in a recount")
    measures = [
        ("sub-theme", "quotes"),
        ("sub-theme", "participants"),
        ("theme", "quotes"),
        ("theme", "participants"),
    ]
    for (kind, measure), had, has in zip(measures, table[2:], recount[2:], strict=True):
        if had == has:
            continue
        ids = [pk for pk, _ in units[kind]]
        had_counts, has_counts = _readable(had, ids), _readable(has, ids)
        if had_counts is None or has_counts is None:
            changes.append(f"{kind} {measure} {had} in the table, {has} in a recount (packed)")
            continue
        for pk, code in units[kind]:
            if had_counts.get(pk, 0) != has_counts.get(pk, 0):
                changes.append(
                    f"{kind} {code}: {measure} {had_counts.get(pk, 0)} in the table, "
                    f"{has_counts.get(pk, 0)} in a recount"
                )
    return changes


def _readable(packed, ids: list[int]) -> dict[int, int] | None:
    """The counts in a packed number, or None when it is not one (negative, or too long)."""
    if packed != int(packed) or not 0 <= packed < 10 ** (SLOT_DIGITS * len(ids)):
        return None
    return _unpack(packed, ids)
