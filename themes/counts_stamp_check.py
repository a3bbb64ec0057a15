"""The system check themes.E002: the counts stamp's triggers (themes migration 0016) are all there
and enabled, on PostgreSQL and SQLite. Without one of them a change would not renew the stamp,
and a kept count (themes.counts_cache) could be shown for up to the cache's timeout after it."""

from __future__ import annotations

from django.core import checks
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

MIGRATION = ("themes", "0016_counts_stamp")

# What migration 0016 creates (tests/test_counts_stamp.py drops one of each kind).
ALWAYS = (
    "themes_tag",
    "themes_exemplar",
    "themes_theme",
    "themes_subtheme",
    "interviews_withdrawal",
    "interviews_consentresponse",
    "interviews_consentrecord",
    "interviews_consentstatement",
    "interviews_evaluation",
    "interviews_question",
    "interviews_choicelist",
    "interviews_answeroption",
    "interviews_site",
)
CONTENT = ("interviews_quote", "interviews_answer", "interviews_tick")
SESSIONS = "interviews_interviewsession"
EVENTS = ("insert", "update", "delete")

HINT = (
    "Kept counts of the analysis home and the quotes list would outlive a change. Run the "
    "statements of themes/migrations/0016_counts_stamp.py again (or migrate themes 0015 and "
    "then 0016)."
)


def expected_triggers(vendor: str) -> set[tuple[str, str]]:
    """(trigger, table) pairs migration 0016 makes on this kind of database."""
    if vendor == "postgresql":
        found = {(f"themes_stamp_{table}", table) for table in ALWAYS}
        for table in (*CONTENT, SESSIONS):
            for event in ("insert", "delete", "truncate", "update"):
                found.add((f"themes_stamp_{table}_{event}", table))
        return found
    return {
        (f"themes_stamp_{table}_{event}", table)
        for table in (*ALWAYS, *CONTENT, SESSIONS)
        for event in EVENTS
    }


def missing_stamp_triggers(using: str = "default") -> list[str]:
    """The stamp's triggers a database lacks (or has disabled), e.g. ``["trigger
    themes_stamp_themes_tag on themes_tag"]``; nothing before migration 0016 has run."""
    conn = connections[using]
    if conn.vendor not in ("postgresql", "sqlite"):
        return []
    recorder = MigrationRecorder(conn)
    if not (
        recorder.has_table()
        and recorder.migration_qs.filter(app=MIGRATION[0], name=MIGRATION[1]).exists()
    ):
        return []
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname, t.tgenabled <> 'D' FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND NOT t.tgisinternal "
                "AND t.tgname LIKE 'themes_stamp_%%'"
            )
            present = {(name, table): enabled for name, table, enabled in cursor.fetchall()}
        else:
            cursor.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'themes_stamp_%'"
            )
            present = {(name, table): True for name, table in cursor.fetchall()}
    missing = []
    for name, table in sorted(expected_triggers(conn.vendor)):
        if (name, table) not in present:
            missing.append(f"trigger {name} on {table}")
        elif not present[(name, table)]:
            missing.append(f"trigger {name} on {table} (disabled)")
    return missing


def check_stamp_triggers(app_configs=None, databases=None, **kwargs) -> list[checks.Error]:
    """System check (database tag: ``manage.py check --database default``, and migrate)."""
    errors = []
    for alias in databases or []:
        missing = missing_stamp_triggers(alias)
        if missing:
            errors.append(
                checks.Error(
                    "The counts stamp's triggers are missing: " + ", ".join(missing) + ".",
                    hint=HINT,
                    id="themes.E002",
                )
            )
    return errors
