"""Answers for any evaluation: every coded answer, "About you" answer and "sees" tick becomes an
Answer or a Tick pointing at its question and option, with its audit history, and every quote
points at its question. The old tables go in 0015, which also adds the database's checks."""

import uuid

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations, models

CHUNK = 2000
# The loneliness-2018 columns of the old "About you" table, each a select_one question's code.
DEMOGRAPHIC_COLUMNS = (
    "living_arrangement",
    "people_per_week",
    "carer",
    "disability",
    "medication",
    "service",
    "age_band",
    "gender",
    "ethnicity",
    "borough",
)
# The old "sees" table's question: the one tick-all of loneliness-2018.
TICK_QUESTION = "sees"
HISTORY_FIELDS = (
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
)


class _Codes:
    """Question and option rows by code, and each interview's evaluation."""

    def __init__(self, apps):
        question_model = apps.get_model("interviews", "Question")
        option_model = apps.get_model("interviews", "AnswerOption")
        session_model = apps.get_model("interviews", "InterviewSession")
        evaluation_model = apps.get_model("interviews", "Evaluation")
        self.questions = {(q.evaluation_id, q.code): q for q in question_model.objects.all()}
        self.options = {(o.choice_list_id, o.code): o for o in option_model.objects.all()}
        self.evaluation_of = dict(session_model.objects.values_list("pk", "evaluation_id"))
        first = evaluation_model.objects.filter(code="loneliness-2018").first()
        # History may hold interviews deleted since: they were all of the first evaluation.
        self.fallback = first.pk if first else None

    def question(self, session_id, code):
        evaluation = self.evaluation_of.get(session_id, self.fallback)
        return self.questions[(evaluation, code)]

    def keys(self, session_id, code, value):
        question = self.question(session_id, code)
        option = self.options[(question.choice_list_id, value)]
        return {
            "session_id": session_id,
            "question_id": question.pk,
            "choice_list_id": question.choice_list_id,
            "option_id": option.pk,
        }


def _in_chunks(model, rows):
    batch = []
    for row in rows:
        batch.append(model(**row))
        if len(batch) >= CHUNK:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)


def answers_from_columns(apps, schema_editor):
    codes = _Codes(apps)
    get = apps.get_model
    item_answer, demographics = get("interviews", "ItemAnswer"), get("interviews", "Demographics")
    weekly = get("interviews", "WeeklyContact")
    answer, tick = get("interviews", "Answer"), get("interviews", "Tick")

    # The item answers and ticks keep their ids, so that their history stays theirs.
    _in_chunks(
        answer,
        (
            {"id": a.pk, **codes.keys(a.session_id, a.item, a.answer)}
            for a in item_answer.objects.order_by("pk").iterator(CHUNK)
        ),
    )
    _in_chunks(
        tick,
        (
            {"id": w.pk, **codes.keys(w.session_id, TICK_QUESTION, w.code)}
            for w in weekly.objects.order_by("pk").iterator(CHUNK)
        ),
    )
    _reset_sequences(schema_editor, [answer, tick])
    # "About you" answers are new rows; their history copies of each column follow them.
    _in_chunks(
        answer,
        (
            codes.keys(d.session_id, column, getattr(d, column))
            for d in demographics.objects.order_by("pk").iterator(CHUNK)
            for column in DEMOGRAPHIC_COLUMNS
            if getattr(d, column)
        ),
    )
    _history(apps, codes)
    for question in codes.questions.values():
        if question.takes_quotes:
            sessions = [s for s, e in codes.evaluation_of.items() if e == question.evaluation_id]
            get("interviews", "Quote").objects.filter(
                item=question.code, session_id__in=sessions
            ).update(question_id=question.pk)
    history_quote = get("interviews", "HistoricalQuote")
    for row in history_quote.objects.filter(question_id__isnull=True).iterator(CHUNK):
        row.question_id = codes.question(row.session_id, row.item).pk
        row.save(update_fields=["question_id"])


def _history(apps, codes):
    """The audit history of the old tables, as history of the new rows."""
    get = apps.get_model
    answer, history_answer = get("interviews", "Answer"), get("interviews", "HistoricalAnswer")
    history_tick = get("interviews", "HistoricalTick")

    def copy(row, keys, row_id):
        return {
            **{f: getattr(row, f) for f in HISTORY_FIELDS if f != "history_id"},
            "id": row_id,
            **keys,
        }

    _in_chunks(
        history_answer,
        (
            copy(h, codes.keys(h.session_id, h.item, h.answer), h.id)
            for h in get("interviews", "HistoricalItemAnswer").objects.order_by("history_id")
        ),
    )
    _in_chunks(
        history_tick,
        (
            copy(h, codes.keys(h.session_id, TICK_QUESTION, h.code), h.id)
            for h in get("interviews", "HistoricalWeeklyContact").objects.order_by("history_id")
        ),
    )
    answer_id = {
        (a.session_id, a.question_id): a.pk
        for a in answer.objects.filter(question__section__part="demographics")
    }
    rows = []
    for h in get("interviews", "HistoricalDemographics").objects.order_by("history_id"):
        for column in DEMOGRAPHIC_COLUMNS:
            if getattr(h, column):
                keys = codes.keys(h.session_id, column, getattr(h, column))
                # An answer since deleted has no id left: 0 marks it, never a live row's id.
                row_id = answer_id.get((h.session_id, keys["question_id"]), 0)
                rows.append(copy(h, keys, row_id))
    _in_chunks(history_answer, rows)


def _reset_sequences(schema_editor, models):
    # Rows were written with their old ids: the next new row's id must come after them.
    statements = schema_editor.connection.ops.sequence_reset_sql(no_style(), models)
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0013_discard_permission"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Answer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
            ],
            options={
                "default_related_name": "answers",
            },
        ),
        migrations.CreateModel(
            name="HistoricalAnswer",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
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
            ],
            options={
                "verbose_name": "historical answer",
                "verbose_name_plural": "historical answers",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalTick",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
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
            ],
            options={
                "verbose_name": "historical tick",
                "verbose_name_plural": "historical ticks",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Tick",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
            ],
            options={
                "default_related_name": "ticks",
            },
        ),
        migrations.AddField(
            model_name="evaluation",
            name="design_revision",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AddField(
            model_name="historicalevaluation",
            name="design_revision",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AddField(
            model_name="historicalquote",
            name="question",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="interviews.question",
            ),
        ),
        migrations.AddField(
            model_name="quote",
            name="question",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="quotes",
                to="interviews.question",
            ),
        ),
        migrations.AddIndex(
            model_name="quote",
            index=models.Index(
                fields=["session", "question", "position"], name="quote_session_question_idx"
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="choice_list",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="interviews.choicelist",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="option",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="interviews.answeroption",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="question",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="interviews.question",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="session",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, to="interviews.interviewsession"
            ),
        ),
        migrations.AddField(
            model_name="historicalanswer",
            name="choice_list",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="interviews.choicelist",
            ),
        ),
        migrations.AddField(
            model_name="historicalanswer",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalanswer",
            name="option",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="interviews.answeroption",
            ),
        ),
        migrations.AddField(
            model_name="historicalanswer",
            name="question",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="interviews.question",
            ),
        ),
        migrations.AddField(
            model_name="historicalanswer",
            name="session",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="interviews.interviewsession",
            ),
        ),
        migrations.AddField(
            model_name="historicaltick",
            name="choice_list",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="interviews.choicelist",
            ),
        ),
        migrations.AddField(
            model_name="historicaltick",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicaltick",
            name="option",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="interviews.answeroption",
            ),
        ),
        migrations.AddField(
            model_name="historicaltick",
            name="question",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="interviews.question",
            ),
        ),
        migrations.AddField(
            model_name="historicaltick",
            name="session",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="interviews.interviewsession",
            ),
        ),
        migrations.AddField(
            model_name="tick",
            name="choice_list",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="interviews.choicelist",
            ),
        ),
        migrations.AddField(
            model_name="tick",
            name="option",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="interviews.answeroption",
            ),
        ),
        migrations.AddField(
            model_name="tick",
            name="question",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="interviews.question",
            ),
        ),
        migrations.AddField(
            model_name="tick",
            name="session",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, to="interviews.interviewsession"
            ),
        ),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(fields=["question", "option"], name="answer_question_option_idx"),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.UniqueConstraint(
                fields=("session", "question"), name="answer_one_per_question"
            ),
        ),
        migrations.AddConstraint(
            model_name="tick",
            constraint=models.UniqueConstraint(
                fields=("session", "question", "option"), name="tick_one_per_option"
            ),
        ),
        migrations.RunPython(answers_from_columns, migrations.RunPython.noop),
    ]
