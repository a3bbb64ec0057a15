"""The counts stamp (themes.models.counts_stamp) and the triggers that give it a new token in the
same transaction as any change to what the analysis home counts, on PostgreSQL and SQLite."""

import random

from django.db import migrations, models

# Changes to these always change the counts, or may.
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
# An interview's content: counted once the interview is no longer a draft.
CONTENT = ("interviews_quote", "interviews_answer", "interviews_tick")
SESSIONS = "interviews_interviewsession"
# What of an interview the counts read (its content aside).
SESSION_COLUMNS = ("status", "practice", "site_id", "interview_date", "evaluation_id")
COUNTED = "status <> 'draft'"
EVENTS = ("insert", "update", "delete")

PG_SQL = f"""
-- 53 random bits: a token is never given twice, even after a rollback.
CREATE FUNCTION themes_counts_stamp_new_now() RETURNS void LANGUAGE sql AS $$
    UPDATE themes_counts_stamp SET token = floor(random() * 9007199254740992)::bigint;
$$;

CREATE FUNCTION themes_counts_stamp_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM themes_counts_stamp_new_now();
    RETURN NULL;
END $$;

CREATE FUNCTION themes_counts_stamp_content_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows c JOIN {SESSIONS} s ON s.id = c.session_id
               WHERE s.{COUNTED}) THEN
        PERFORM themes_counts_stamp_new_now();
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION themes_counts_stamp_content_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows c JOIN {SESSIONS} s ON s.id = c.session_id
               WHERE s.{COUNTED}) THEN
        PERFORM themes_counts_stamp_new_now();
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION themes_counts_stamp_content_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows c JOIN {SESSIONS} s ON s.id = c.session_id
               WHERE s.{COUNTED})
       OR EXISTS (SELECT 1 FROM old_rows c JOIN {SESSIONS} s ON s.id = c.session_id
                  WHERE s.{COUNTED}) THEN
        PERFORM themes_counts_stamp_new_now();
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION themes_counts_stamp_sessions_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows WHERE {COUNTED}) THEN
        PERFORM themes_counts_stamp_new_now();
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION themes_counts_stamp_sessions_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows WHERE {COUNTED}) THEN
        PERFORM themes_counts_stamp_new_now();
    END IF;
    RETURN NULL;
END $$;

"""


def _pg_triggers():
    for table in ALWAYS:
        yield (
            f"CREATE TRIGGER themes_stamp_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION themes_counts_stamp_new()"
        )
    for table, kind in [(t, "content") for t in CONTENT] + [(SESSIONS, "sessions")]:
        yield (
            f"CREATE TRIGGER themes_stamp_{table}_insert AFTER INSERT ON {table} "
            f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION themes_counts_stamp_{kind}_inserted()"
        )
        yield (
            f"CREATE TRIGGER themes_stamp_{table}_delete AFTER DELETE ON {table} "
            f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION themes_counts_stamp_{kind}_deleted()"
        )
        yield (
            f"CREATE TRIGGER themes_stamp_{table}_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION themes_counts_stamp_new()"
        )
    for table in CONTENT:
        yield (
            f"CREATE TRIGGER themes_stamp_{table}_update AFTER UPDATE ON {table} "
            f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION themes_counts_stamp_content_updated()"
        )
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in SESSION_COLUMNS)
    yield (
        f"CREATE TRIGGER themes_stamp_{SESSIONS}_update AFTER UPDATE ON {SESSIONS} "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION themes_counts_stamp_new()"
    )


PG_REVERSE = """
DROP FUNCTION themes_counts_stamp_new() CASCADE;
DROP FUNCTION themes_counts_stamp_content_inserted() CASCADE;
DROP FUNCTION themes_counts_stamp_content_deleted() CASCADE;
DROP FUNCTION themes_counts_stamp_content_updated() CASCADE;
DROP FUNCTION themes_counts_stamp_sessions_inserted() CASCADE;
DROP FUNCTION themes_counts_stamp_sessions_deleted() CASCADE;
DROP FUNCTION themes_counts_stamp_new_now();
"""

SQLITE_NEW = "BEGIN UPDATE themes_counts_stamp SET token = random(); END"


def _sqlite_triggers():
    """(name, statement): SQLite's triggers are row by row, with the same conditions."""
    for table in ALWAYS:
        for event in EVENTS:
            name = f"themes_stamp_{table}_{event}"
            yield name, f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} {SQLITE_NEW}"
    counted = "EXISTS (SELECT 1 FROM {s} s WHERE s.id = {row}.session_id AND s.{counted})"
    for table in CONTENT:
        for event, rows in (("insert", ["NEW"]), ("update", ["NEW", "OLD"]), ("delete", ["OLD"])):
            name = f"themes_stamp_{table}_{event}"
            when = " OR ".join(counted.format(s=SESSIONS, row=r, counted=COUNTED) for r in rows)
            yield (
                name,
                (
                    f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} WHEN {when} {SQLITE_NEW}"
                ),
            )
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in SESSION_COLUMNS)
    for event, when in (
        ("insert", f"NEW.{COUNTED}"),
        ("update", changed),
        ("delete", f"OLD.{COUNTED}"),
    ):
        name = f"themes_stamp_{SESSIONS}_{event}"
        yield (
            name,
            f"CREATE TRIGGER {name} AFTER {event.upper()} ON {SESSIONS} WHEN {when} {SQLITE_NEW}",
        )


def add_triggers(apps, schema_editor):
    # A random first token too: no two databases start with the same one.
    apps.get_model("themes", "CountsStamp").objects.create(token=random.getrandbits(53))
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        statements = [PG_SQL, *_pg_triggers()]
    elif connection.vendor == "sqlite":
        statements = [statement for _, statement in _sqlite_triggers()]
    else:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def remove_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_REVERSE)
        elif connection.vendor == "sqlite":
            for name, _ in _sqlite_triggers():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0020_device_changes"),
        ("themes", "0015_report_shares"),
    ]

    operations = [
        migrations.CreateModel(
            name="CountsStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.BigIntegerField()),
            ],
            options={"db_table": "themes_counts_stamp"},
        ),
        migrations.RunPython(add_triggers, remove_triggers),
    ]
