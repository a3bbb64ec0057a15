"""The per-interview tag counts PostgreSQL keeps for theme_counts.csv (themes migration 0008):
every way tags, quotes, answers or the codebook change leaves them exactly as a recount from
scratch would, and the export made from them matches the one counted from the tags."""

import datetime
import threading
from decimal import Decimal

import psycopg
import pytest
from django.db import connection

from interviews.models import Answer, Evaluation, Quote
from interviews.schedules import schedule_of
from interviews.services.withdrawal import participant_withdraw
from tests.analysis_data import build, interview, subtheme
from tests.factories import (
    InterviewerFactory,
    QuoteFactory,
    TagFactory,
    coded_keys,
    question_of,
)
from themes import services
from themes.export_filters import ExportFilters
from themes.exports import export_stream
from themes.exports_pg import _unpack
from themes.models import ExportRecord, SubTheme, Tag, Theme, ThemeCountSummary

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the summary is PostgreSQL's"
)


def test_unpack_reads_each_slot_and_leaves_out_zeros():
    # Slot 0 (unit 5) is the lowest 10 digits, slot 1 (unit 9) the next, slot 2 (unit 2) 0.
    packed = Decimal(3 * 10**10 + 12)
    assert _unpack(packed, [5, 9, 2]) == {5: 12, 9: 3}
    assert _unpack(Decimal(9_999_999_999 * 10**20), [1, 2, 3]) == {3: 9_999_999_999}
    assert _unpack(Decimal(0), [1, 2]) == {}


def summary() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM themes_theme_count_summary ORDER BY session_id, question_id")
        return cursor.fetchall()


def recounted() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT themes_summary_refresh(NULL)")
    return summary()


def theme_counts(filters: ExportFilters) -> bytes:
    return b"".join(
        export_stream(
            kind="theme_counts",
            filters=filters,
            excel=False,
            user=None,
            channel=ExportRecord.Channel.COMMAND,
        )
    )


@pytest.fixture
def data(analyst):
    data = build(analyst)
    pair = (InterviewerFactory(), InterviewerFactory())
    extra = interview("LSI-010", pair=pair, answers={"help": "often"}, borough="westminster")
    for item, codes in [
        ("help", ["safe_spaces", "community_engagement"]),
        ("help", ["trusted_professional"]),
        ("what_else", ["living_with_others"]),
    ]:
        quote = QuoteFactory(session=extra, item=item)
        for code in codes:
            TagFactory(quote=quote, subtheme=subtheme(code), tagged_by=analyst)
    data["sessions"].append(extra)
    return data


def change_tags_add(data, analyst):
    quotes = Quote.objects.filter(session__in=data["sessions"][:1])
    services.tags_add(quotes=quotes, subthemes=[subtheme("trusted_professional")], user=analyst)


def change_tags_remove(data, analyst):
    services.tags_remove(quotes=data["quotes"][:2], subthemes=[subtheme("safe_spaces")])


def change_tags_set(data, analyst):
    services.tags_set(
        quote=data["quotes"][0],
        subthemes=[subtheme("other_networks"), subtheme("community_engagement")],
        user=analyst,
    )


def change_tags_replace(data, analyst):
    services.tags_replace(
        wanted={q.pk: {subtheme("other_networks").pk} for q in data["quotes"][:3]}, user=analyst
    )


def change_merge(data, analyst):
    services.subtheme_merge(source=subtheme("safe_spaces"), target=subtheme("other_networks"))


def change_withdraw(data, analyst):
    participant_withdraw(
        session=data["sessions"][-1],
        withdrawal_date=datetime.date(2018, 6, 1),
        how_requested="letter",
        recorded_by=analyst,
    )


def change_answer(data, analyst):
    session = data["sessions"][0]
    answer = Answer.objects.get(
        session=session, question_id=question_of(session, "companionship").id
    )
    answer.option_id = coded_keys(session, "companionship", "hardly_ever")["option_id"]
    answer.save()


def change_answer_deleted(data, analyst):
    session = data["sessions"][-1]
    Answer.objects.filter(session=session, question_id=question_of(session, "help").id).delete()


def change_demographic_answer(data, analyst):
    # LSI-010 lives in Westminster: now in Kensington and Chelsea (what the counts by borough read).
    session = data["sessions"][-1]
    Answer.objects.filter(session=session, question_id=question_of(session, "borough").id).update(
        option_id=coded_keys(session, "borough", "kensington_and_chelsea")["option_id"]
    )


def change_demographic_answer_deleted(data, analyst):
    session = data["sessions"][-1]
    Answer.objects.filter(session=session, question_id=question_of(session, "borough").id).delete()


def change_quote_deleted(data, analyst):
    data["quotes"][0].delete()


def change_quote_moved(data, analyst):
    quote = data["quotes"][0]
    Quote.objects.filter(pk=quote.pk).update(question_id=question_of(quote.session, "isolation").id)


def change_new_subtheme_used(data, analyst):
    theme = Theme.objects.first()
    new = SubTheme.objects.create(
        evaluation_id=theme.evaluation_id, theme=theme, code="new_one", label="New one"
    )
    TagFactory(quote=data["quotes"][0], subtheme=new, tagged_by=analyst)


def change_subtheme_deleted(data, analyst):
    # An unused sub-theme before a used one: the used one's slot moves down.
    unused = SubTheme.objects.filter(tags__isnull=True).order_by("pk").first()
    assert Tag.objects.filter(subtheme__pk__gt=unused.pk).exists()
    unused.delete()


def change_subtheme_moved(data, analyst):
    other_theme = Theme.objects.exclude(pk=subtheme("safe_spaces").theme_id).first()
    SubTheme.objects.filter(code="safe_spaces").update(theme=other_theme)


def change_theme_created(data, analyst):
    Theme.objects.create(
        evaluation=data["quotes"][0].session.evaluation, code="new_theme", label="New", order=9
    )


CHANGES = [
    change_tags_add,
    change_tags_remove,
    change_tags_set,
    change_tags_replace,
    change_merge,
    change_withdraw,
    change_answer,
    change_answer_deleted,
    change_demographic_answer,
    change_demographic_answer_deleted,
    change_quote_deleted,
    change_quote_moved,
    change_new_subtheme_used,
    change_subtheme_deleted,
    change_subtheme_moved,
    change_theme_created,
]


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__.removeprefix("change_"))
def test_every_change_leaves_the_summary_as_a_recount_would(data, analyst, change, monkeypatch):
    before = summary()
    assert before, "the data has tagged quotes, so the summary has rows"
    change(data, analyst)
    after = summary()
    assert after != before or change is change_theme_created
    assert after == recounted()

    # And the export made from it is the one counted from the tags themselves.
    from themes import export_counts

    filters = ExportFilters()
    from_summary = theme_counts(filters)
    monkeypatch.setattr(export_counts, "connection", type("NotPostgres", (), {"vendor": "sqlite"}))
    assert theme_counts(filters) == from_summary


@on_postgresql
@pytest.mark.django_db
def test_the_whole_interview_row_keeps_the_interviews_answers(data):
    """By question id, the option id of each of the interview's answers (migration 0017);
    a question's row keeps none."""
    session = data["sessions"][-1]
    answers = {
        str(question_id): option_id
        for question_id, option_id in Answer.objects.filter(session=session).values_list(
            "question_id", "option_id"
        )
    }
    assert str(question_of(session, "borough").id) in answers
    rows = ThemeCountSummary.objects.filter(session=session).order_by("question_id")
    whole, *questions = [(row.question_id, row.options) for row in rows]
    assert whole == (ThemeCountSummary.WHOLE_INTERVIEW, answers)
    assert questions and all(options is None for _, options in questions)


@on_postgresql
@pytest.mark.django_db
def test_a_withdrawn_participant_has_no_summary_rows(data, analyst):
    session = data["sessions"][-1]
    assert any(row[0] == session.pk for row in summary())
    change_withdraw(data, analyst)
    assert not any(row[0] == session.pk for row in summary())


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(
    "filters",
    [
        ExportFilters(include_unverified=True),
        ExportFilters(where=(("borough", "westminster"),)),
        ExportFilters(where=(("sees", "friends"),)),
        ExportFilters(where=(("carer", "yes"),)),  # nobody with quotes: only the zero rows
    ],
    ids=["unverified", "borough", "sees", "nobody"],
)
def test_filtered_counts_from_the_summary_match_counting_the_tags(data, filters, monkeypatch):
    from themes import export_counts

    from_summary = theme_counts(filters)
    monkeypatch.setattr(export_counts, "connection", type("NotPostgres", (), {"vendor": "sqlite"}))
    assert theme_counts(filters) == from_summary


@on_postgresql
def test_two_analysts_tagging_one_interview_at_once_both_count(reference_data, analyst):
    """Each tagging recounts the whole interview; the second waits for the first to commit
    instead of failing on the rows the first has just written."""
    pair = (InterviewerFactory(), InterviewerFactory())
    session = interview("LSI-020", pair=pair, answers={"help": "often"})
    first, second = (QuoteFactory(session=session, item="help") for _ in range(2))
    TagFactory(quote=first, subtheme=subtheme("other_networks"), tagged_by=analyst)
    settings = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )
    insert = (
        "INSERT INTO themes_tag (quote_id, subtheme_id, tagged_by_id, tagged_at) "
        "VALUES (%s, %s, %s, now())"
    )
    safe_spaces = subtheme("safe_spaces").pk  # here: the thread must not open a connection
    errors: list[Exception] = []
    with psycopg.connect(conninfo) as one, psycopg.connect(conninfo) as two:
        one.execute(insert, (first.pk, safe_spaces, analyst.pk))

        def tag_second():
            try:
                two.execute(insert, (second.pk, safe_spaces, analyst.pk))
                two.commit()
            except Exception as error:  # reported below, on the test's own thread
                errors.append(error)

        worker = threading.Thread(target=tag_second)
        worker.start()
        worker.join(timeout=1)
        assert worker.is_alive(), "the second tagging waits for the first"
        one.commit()
        worker.join(timeout=30)
    assert not errors
    assert Tag.objects.filter(quote__session=session).count() == 3
    rows = {row[1]: row for row in summary() if row[0] == session.pk}
    assert set(rows) == {0, question_of(session, "help").id}
    assert summary() == recounted()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_migrating_counts_the_tags_already_there_per_question(reference_data, migrate_to):
    """Tags made before the answers changed shape (themes 0007 drops the summary) are counted
    again by 0008, on the new tables, with the moved answer's code."""
    old = migrate_to(
        [("interviews", "0013_discard_permission"), ("themes", "0006_exportrecord_format")]
    )
    get = old.get_model
    User = get("auth", "User")
    first, second = (User.objects.create(username=name) for name in ("first", "second"))
    session = get("interviews", "InterviewSession").objects.create(
        evaluation=get("interviews", "Evaluation").objects.get(code="loneliness-2018"),
        participant_code="LSI-001",
        interview_date=datetime.date(2018, 4, 12),
        site=get("interviews", "Site").objects.first(),
        interviewer_1=first,
        interviewer_2=second,
    )
    get("interviews", "ItemAnswer").objects.create(session=session, item="help", answer="often")
    for item in ("help", "what_else"):
        quote = get("interviews", "Quote").objects.create(session=session, item=item, text="W.")
        get("themes", "Tag").objects.create(
            quote=quote,
            subtheme=get("themes", "SubTheme").objects.get(code="safe_spaces"),
            tagged_by=first,
        )
    migrate_to(
        [
            ("interviews", "0015_answers_checked"),
            ("themes", "0009_theme_count_summary_model_by_question"),
        ]
    )
    loneliness = Evaluation.objects.get(code="loneliness-2018")
    schedule = schedule_of(loneliness)
    assert [row[:3] for row in summary()] == sorted(
        [
            (session.pk, 0, None),
            (session.pk, schedule.question("help").id, "often"),
            (session.pk, schedule.question("what_else").id, None),
        ]
    )
    assert summary() == recounted()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_migration_0017_gives_the_rows_already_there_their_answers_and_undoes(
    reference_data, analyst, migrate_to
):
    """0017 adds the whole-interview rows' answers to a summary that has rows already, and
    undone it leaves the table as 0008 made it."""
    build(analyst)

    def columns() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'themes_theme_count_summary' ORDER BY ordinal_position"
            )
            return [name for (name,) in cursor.fetchall()]

    with_answers = summary()
    assert all(row[-1] for row in with_answers if row[1] == 0), "every whole row has answers"
    migrate_to([("themes", "0016_counts_stamp")])
    assert "options" not in columns()
    assert [row[:-1] for row in with_answers] == summary()
    migrate_to([("themes", "0017_summary_whole_interview_answers")])
    assert summary() == with_answers == recounted()
