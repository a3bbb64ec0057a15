"""Migrations 0014-0015 turn every stored answer, "About you" answer, tick and quote of the old
tables into the generic ones, with their audit history, and nothing is lost."""

import datetime

import pytest

BEFORE = [("interviews", "0013_discard_permission"), ("themes", "0006_exportrecord_format")]
AFTER = [("interviews", "0015_answers_checked")]


def _old_interview(old, code: str):
    User = old.get_model("auth", "User")
    first, _ = User.objects.get_or_create(username="first")
    second, _ = User.objects.get_or_create(username="second")
    return old.get_model("interviews", "InterviewSession").objects.create(
        evaluation=old.get_model("interviews", "Evaluation").objects.get(code="loneliness-2018"),
        participant_code=code,
        interview_date=datetime.date(2018, 4, 12),
        site=old.get_model("interviews", "Site").objects.first(),
        interviewer_1=first,
        interviewer_2=second,
    )


@pytest.mark.django_db(transaction=True)
def test_every_answer_tick_and_quote_moves_with_its_history(reference_data, migrate_to):
    old = migrate_to(BEFORE)
    get = old.get_model
    session = _old_interview(old, "LSI-001")
    untouched = _old_interview(old, "LSI-002")
    get("interviews", "ItemAnswer").objects.create(session=session, item="help", answer="often")
    get("interviews", "ItemAnswer").objects.create(
        session=session, item="left_out", answer="no_answer"
    )
    get("interviews", "Demographics").objects.create(
        session=session, borough="westminster", ethnicity="Z", carer=""
    )
    get("interviews", "WeeklyContact").objects.create(session=session, code="peers")
    get("interviews", "Quote").objects.create(session=session, item="what_else", text="A club.")
    get("interviews", "Quote").objects.create(session=session, item="help", text="My sister.")
    # The audit history the old rows had (historical models write none in a migration).
    get("interviews", "HistoricalItemAnswer").objects.create(
        id=1,
        session_id=session.pk,
        item="help",
        answer="hardly_ever",
        history_date=datetime.datetime(2018, 4, 12, 10, tzinfo=datetime.UTC),
        history_type="+",
    )
    get("interviews", "HistoricalDemographics").objects.create(
        id=1,
        session_id=session.pk,
        borough="other",
        ethnicity="",
        carer="yes",
        history_date=datetime.datetime(2018, 4, 12, 10, tzinfo=datetime.UTC),
        history_type="~",
    )

    new = migrate_to(AFTER)
    get = new.get_model
    answers = get("interviews", "Answer").objects.filter(session_id=session.pk)
    assert sorted(answers.values_list("question__code", "option__code")) == [
        ("borough", "westminster"),
        ("ethnicity", "Z"),
        ("help", "often"),
        ("left_out", "no_answer"),
    ]
    for answer in answers.select_related("question", "option"):
        assert answer.choice_list_id == answer.question.choice_list_id
        assert answer.option.choice_list_id == answer.question.choice_list_id
    ticks = get("interviews", "Tick").objects.filter(session_id=session.pk)
    assert list(ticks.values_list("question__code", "option__code")) == [("sees", "peers")]
    quotes = get("interviews", "Quote").objects.filter(session_id=session.pk)
    assert sorted(quotes.values_list("question__code", "text")) == [
        ("help", "My sister."),
        ("what_else", "A club."),
    ]
    assert not get("interviews", "Answer").objects.filter(session_id=untouched.pk).exists()
    history = get("interviews", "HistoricalAnswer").objects.filter(session_id=session.pk)
    assert sorted(history.values_list("question__code", "option__code", "history_type")) == [
        ("borough", "other", "~"),
        ("carer", "yes", "~"),
        ("help", "hardly_ever", "+"),
    ]
    # New rows get ids after the moved ones.
    moved = get("interviews", "Answer").objects.order_by("-pk").first()
    created = get("interviews", "Answer").objects.create(
        session_id=untouched.pk,
        question_id=moved.question_id,
        choice_list_id=moved.choice_list_id,
        option_id=moved.option_id,
    )
    assert created.pk > moved.pk
