"""Memos on sub-themes, themes and item × answer groups, and exemplars (quotes chosen for the
report), with their history and the permissions to write them.

The database refuses an exemplar of a quote whose participant did not agree to be quoted, by
any path (the ORM, raw SQL, an import), and removes a participant's exemplars when their quote
consent stops being a "yes" (an answer changed or deleted): triggers, on PostgreSQL in PL/pgSQL
and on SQLite as its own triggers. A trigger rather than a copied consent flag with a composite
foreign key: quote consent is a row of interviews' consent answers (``ConsentResponse``, one
rule: ``quote_consents()``), not a column of the quote, so a flag would need copying onto every
quote and keeping in step with the consent by yet more triggers. The same check refuses an
exemplar whose tag is on another quote. A later migration that rebuilds these tables on SQLite
would drop the triggers: tests/test_exemplars.py fails then.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from themes.reference_data import migrate_roles

# The participant agreed to be quoted: a "yes" to the consent statement with the code "quotes"
# (interviews' ConsentResponse.objects.quote_consents(), as SQL). QUOTE is the quote's id.
_QUOTE_CONSENT = """
    EXISTS (SELECT 1 FROM interviews_quote q
            JOIN interviews_consentrecord r ON r.session_id = q.session_id
            JOIN interviews_consentresponse a ON a.record_id = r.id
            JOIN interviews_consentstatement s ON s.id = a.statement_id
            WHERE q.id = {quote} AND s.code = 'quotes' AND a.agreed)
"""
# The same, for every quote of a consent record (RECORD).
_RECORD_QUOTE_CONSENT = """
    EXISTS (SELECT 1 FROM interviews_consentresponse a
            JOIN interviews_consentstatement s ON s.id = a.statement_id
            WHERE a.record_id = {record} AND s.code = 'quotes' AND a.agreed)
"""
# The exemplars of a consent record's participant.
_RECORD_EXEMPLARS = """
    quote_id IN (SELECT q.id FROM interviews_quote q
                 JOIN interviews_consentrecord r ON r.session_id = q.session_id
                 WHERE r.id = {record})
"""
_TAG_ON_QUOTE = (
    "EXISTS (SELECT 1 FROM themes_tag t WHERE t.id = NEW.tag_id AND t.quote_id = NEW.quote_id)"
)
_NOT_QUOTABLE = "exemplar_quote_consent: only a quote of a participant who agreed to be quoted can be chosen for the report"
_OTHER_QUOTE = "exemplar_tag_of_quote: the tag of an exemplar must be on its own quote"

PG_SQL = f"""
CREATE FUNCTION themes_exemplar_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT {_QUOTE_CONSENT.format(quote="NEW.quote_id")} THEN
        RAISE EXCEPTION '{_NOT_QUOTABLE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.tag_id IS NOT NULL AND NOT {_TAG_ON_QUOTE} THEN
        RAISE EXCEPTION '{_OTHER_QUOTE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER themes_exemplar_check BEFORE INSERT OR UPDATE OF quote_id, tag_id
    ON themes_exemplar FOR EACH ROW EXECUTE FUNCTION themes_exemplar_check();

CREATE FUNCTION themes_exemplar_consent_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT {_RECORD_QUOTE_CONSENT.format(record="OLD.record_id")} THEN
        DELETE FROM themes_exemplar WHERE {_RECORD_EXEMPLARS.format(record="OLD.record_id")};
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER themes_exemplar_consent_changed
    AFTER UPDATE OF agreed, statement_id, record_id OR DELETE ON interviews_consentresponse
    FOR EACH ROW EXECUTE FUNCTION themes_exemplar_consent_changed();
"""

PG_REVERSE = """
DROP TRIGGER themes_exemplar_consent_changed ON interviews_consentresponse;
DROP FUNCTION themes_exemplar_consent_changed();
DROP TRIGGER themes_exemplar_check ON themes_exemplar;
DROP FUNCTION themes_exemplar_check();
"""


def _sqlite_statements():
    refuse = "SELECT RAISE(ABORT, '{}');"
    for when, event in (("insert", "INSERT"), ("update", "UPDATE OF quote_id, tag_id")):
        yield (
            f"CREATE TRIGGER themes_exemplar_consent_{when} BEFORE {event} ON themes_exemplar "
            f"WHEN NOT {_QUOTE_CONSENT.format(quote='NEW.quote_id')} "
            f"BEGIN {refuse.format(_NOT_QUOTABLE)} END;"
        )
        yield (
            f"CREATE TRIGGER themes_exemplar_tag_{when} BEFORE {event} ON themes_exemplar "
            f"WHEN NEW.tag_id IS NOT NULL AND NOT {_TAG_ON_QUOTE} "
            f"BEGIN {refuse.format(_OTHER_QUOTE)} END;"
        )
    for when, event in (
        ("update", "UPDATE OF agreed, statement_id, record_id"),
        ("delete", "DELETE"),
    ):
        yield (
            f"CREATE TRIGGER themes_exemplar_consent_{when}d AFTER {event} "
            "ON interviews_consentresponse "
            f"WHEN NOT {_RECORD_QUOTE_CONSENT.format(record='OLD.record_id')} "
            f"BEGIN DELETE FROM themes_exemplar WHERE "
            f"{_RECORD_EXEMPLARS.format(record='OLD.record_id')}; END;"
        )


SQLITE_TRIGGERS = (
    "themes_exemplar_consent_insert",
    "themes_exemplar_tag_insert",
    "themes_exemplar_consent_update",
    "themes_exemplar_tag_update",
    "themes_exemplar_consent_updated",
    "themes_exemplar_consent_deleted",
)


def add_checks(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        statements = [PG_SQL]
    elif connection.vendor == "sqlite":
        statements = list(_sqlite_statements())
    else:
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
        ("interviews", "0019_answer_permissions"),
        ("themes", "0012_coding_rounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalExemplar",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("chosen_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "chosen_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "quote",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="interviews.quote",
                    ),
                ),
                (
                    "tag",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="themes.tag",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical exemplar",
                "verbose_name_plural": "historical exemplars",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMemo",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(verbose_name="memo")),
                ("written_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "withdrawn_words_found_at",
                    models.DateTimeField(blank=True, editable=False, null=True),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "evaluation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="interviews.evaluation",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "option",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="interviews.answeroption",
                        verbose_name="answer",
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="interviews.question",
                    ),
                ),
                (
                    "subtheme",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="themes.subtheme",
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="themes.theme",
                    ),
                ),
                (
                    "written_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical memo",
                "verbose_name_plural": "historical memos",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Exemplar",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("chosen_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "chosen_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "quote",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exemplars",
                        to="interviews.quote",
                    ),
                ),
                (
                    "tag",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exemplars",
                        to="themes.tag",
                    ),
                ),
            ],
            options={
                "ordering": ["quote", "pk"],
                "permissions": [("choose_exemplars", "Can choose quotes for the report")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("tag__isnull", False)),
                        fields=("tag",),
                        name="exemplar_one_per_tag",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("tag__isnull", True)),
                        fields=("quote",),
                        name="exemplar_one_per_quote_answer",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Memo",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(verbose_name="memo")),
                ("written_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "withdrawn_words_found_at",
                    models.DateTimeField(blank=True, editable=False, null=True),
                ),
                (
                    "evaluation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="memos",
                        to="interviews.evaluation",
                    ),
                ),
                (
                    "option",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="interviews.answeroption",
                        verbose_name="answer",
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="interviews.question",
                    ),
                ),
                (
                    "subtheme",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="memos",
                        to="themes.subtheme",
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="memos",
                        to="themes.theme",
                    ),
                ),
                (
                    "written_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["evaluation", "pk"],
                "permissions": [("write_memos", "Can write and edit memos")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("option__isnull", True),
                                ("question__isnull", True),
                                ("subtheme__isnull", False),
                                ("theme__isnull", True),
                            ),
                            models.Q(
                                ("option__isnull", True),
                                ("question__isnull", True),
                                ("subtheme__isnull", True),
                                ("theme__isnull", False),
                            ),
                            models.Q(
                                ("question__isnull", False),
                                ("subtheme__isnull", True),
                                ("theme__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="memo_one_target",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("text", ""), _negated=True), name="memo_text_not_empty"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("subtheme__isnull", False)),
                        fields=("evaluation", "subtheme"),
                        name="memo_one_per_subtheme",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("theme__isnull", False)),
                        fields=("evaluation", "theme"),
                        name="memo_one_per_theme",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("option__isnull", False), ("question__isnull", False)),
                        fields=("evaluation", "question", "option"),
                        name="memo_one_per_answer_group",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("option__isnull", True), ("question__isnull", False)),
                        fields=("evaluation", "question"),
                        name="memo_one_per_question",
                    ),
                ],
            },
        ),
        migrations.RunPython(add_checks, remove_checks),
        migrations.RunPython(migrate_roles, migrations.RunPython.noop),
    ]
