"""The old answer tables go, and the database itself checks every coded answer: its option is
one of its own question's list, and a used code never changes (``interviews.models.answers``).

PostgreSQL: composite FOREIGN KEYs (question_id, choice_list_id) and (choice_list_id, option_id)
on answers and ticks, so that an option of another list is refused by any path; a question's
list or an option's list cannot move while answers hold them (the same keys refuse it). SQLite
cannot add a constraint to an existing table, so BEFORE INSERT / UPDATE triggers make the same
checks there. On both, a trigger refuses changing the code of a question or option in use (a
deletion is refused by the PROTECT keys). A later migration that rebuilds these tables on SQLite
would drop the triggers: tests/test_answer_checks.py fails then.
"""

import django.db.models.deletion
from django.db import migrations, models

PG_SQL = """
ALTER TABLE interviews_answer ADD CONSTRAINT answer_question_list_fk
    FOREIGN KEY (question_id, choice_list_id) REFERENCES interviews_question (id, choice_list_id)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE interviews_answer ADD CONSTRAINT answer_option_list_fk
    FOREIGN KEY (choice_list_id, option_id) REFERENCES interviews_answeroption (choice_list_id, id)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE interviews_tick ADD CONSTRAINT tick_question_list_fk
    FOREIGN KEY (question_id, choice_list_id) REFERENCES interviews_question (id, choice_list_id)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE interviews_tick ADD CONSTRAINT tick_option_list_fk
    FOREIGN KEY (choice_list_id, option_id) REFERENCES interviews_answeroption (choice_list_id, id)
    DEFERRABLE INITIALLY DEFERRED;

CREATE FUNCTION interviews_option_code_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.code IS DISTINCT FROM OLD.code AND (
        EXISTS (SELECT 1 FROM interviews_answer WHERE option_id = OLD.id)
        OR EXISTS (SELECT 1 FROM interviews_tick WHERE option_id = OLD.id)
    ) THEN
        RAISE EXCEPTION 'used_code_unchanged: the answer code % is used by interviews and can never change', OLD.code
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER interviews_option_code_unchanged BEFORE UPDATE OF code ON interviews_answeroption
    FOR EACH ROW EXECUTE FUNCTION interviews_option_code_unchanged();

CREATE FUNCTION interviews_question_code_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.code IS DISTINCT FROM OLD.code AND (
        EXISTS (SELECT 1 FROM interviews_answer WHERE question_id = OLD.id)
        OR EXISTS (SELECT 1 FROM interviews_tick WHERE question_id = OLD.id)
        OR EXISTS (SELECT 1 FROM interviews_quote WHERE question_id = OLD.id)
    ) THEN
        RAISE EXCEPTION 'used_code_unchanged: the question code % is used by interviews and can never change', OLD.code
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER interviews_question_code_unchanged BEFORE UPDATE OF code ON interviews_question
    FOR EACH ROW EXECUTE FUNCTION interviews_question_code_unchanged();
"""

PG_REVERSE = """
DROP TRIGGER interviews_question_code_unchanged ON interviews_question;
DROP FUNCTION interviews_question_code_unchanged();
DROP TRIGGER interviews_option_code_unchanged ON interviews_answeroption;
DROP FUNCTION interviews_option_code_unchanged();
ALTER TABLE interviews_tick DROP CONSTRAINT tick_option_list_fk;
ALTER TABLE interviews_tick DROP CONSTRAINT tick_question_list_fk;
ALTER TABLE interviews_answer DROP CONSTRAINT answer_option_list_fk;
ALTER TABLE interviews_answer DROP CONSTRAINT answer_question_list_fk;
"""

# The check of an answer's three keys, on SQLite, as the composite keys make it on PostgreSQL.
_LIST_CHECK = """
    NOT EXISTS (SELECT 1 FROM interviews_question q
                WHERE q.id = NEW.question_id AND q.choice_list_id = NEW.choice_list_id)
    OR NOT EXISTS (SELECT 1 FROM interviews_answeroption o
                   WHERE o.id = NEW.option_id AND o.choice_list_id = NEW.choice_list_id)
"""
_REFUSE_LIST = (
    "SELECT RAISE(ABORT, 'answer_option_of_question: the answer is not one of its question''s "
    "answers');"
)
_REFUSE_CODE = (
    "SELECT RAISE(ABORT, 'used_code_unchanged: a code used by interviews can never change');"
)


def _sqlite_statements():
    for table in ("interviews_answer", "interviews_tick"):
        for when, event in (
            ("insert", "INSERT"),
            ("update", "UPDATE OF question_id, choice_list_id, option_id"),
        ):
            yield (
                f"CREATE TRIGGER {table}_list_check_{when} BEFORE {event} ON {table} "
                f"WHEN {_LIST_CHECK} BEGIN {_REFUSE_LIST} END;"
            )
    used = {
        "interviews_answeroption": ("option_id", ("interviews_answer", "interviews_tick")),
        "interviews_question": (
            "question_id",
            ("interviews_answer", "interviews_tick", "interviews_quote"),
        ),
    }
    for table, (column, users) in used.items():
        in_use = " OR ".join(f"EXISTS (SELECT 1 FROM {u} WHERE {column} = OLD.id)" for u in users)
        yield (
            f"CREATE TRIGGER {table}_code_unchanged BEFORE UPDATE OF code ON {table} "
            f"WHEN NEW.code <> OLD.code AND ({in_use}) BEGIN {_REFUSE_CODE} END;"
        )
        # A used question's or option's list cannot change either (the keys would then lie).
        yield (
            f"CREATE TRIGGER {table}_list_unchanged BEFORE UPDATE OF choice_list_id ON {table} "
            f"WHEN NEW.choice_list_id IS NOT OLD.choice_list_id AND ({in_use}) "
            f"BEGIN {_REFUSE_LIST} END;"
        )


SQLITE_TRIGGERS = (
    "interviews_answer_list_check_insert",
    "interviews_answer_list_check_update",
    "interviews_tick_list_check_insert",
    "interviews_tick_list_check_update",
    "interviews_answeroption_code_unchanged",
    "interviews_answeroption_list_unchanged",
    "interviews_question_code_unchanged",
    "interviews_question_list_unchanged",
)


def add_checks(apps, schema_editor):
    connection = schema_editor.connection
    statements = [PG_SQL] if connection.vendor == "postgresql" else list(_sqlite_statements())
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def remove_checks(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_REVERSE)
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0014_answers"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="quote",
            options={
                "ordering": ["session", "question", "position", "pk"],
                "permissions": [
                    ("review_identifiers", "Can review quotes that may identify someone")
                ],
            },
        ),
        migrations.RemoveConstraint(
            model_name="quote",
            name="quote_item_valid",
        ),
        migrations.RemoveIndex(
            model_name="quote",
            name="quote_session_item_idx",
        ),
        migrations.RemoveField(
            model_name="historicalquote",
            name="item",
        ),
        migrations.RemoveField(
            model_name="quote",
            name="item",
        ),
        migrations.AlterField(
            model_name="quote",
            name="question",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="quotes",
                to="interviews.question",
            ),
        ),
        migrations.DeleteModel(
            name="Demographics",
        ),
        migrations.DeleteModel(
            name="HistoricalDemographics",
        ),
        migrations.DeleteModel(
            name="HistoricalItemAnswer",
        ),
        migrations.DeleteModel(
            name="HistoricalWeeklyContact",
        ),
        migrations.DeleteModel(
            name="ItemAnswer",
        ),
        migrations.DeleteModel(
            name="WeeklyContact",
        ),
        migrations.RunPython(add_checks, remove_checks),
    ]
