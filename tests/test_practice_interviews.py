"""Practice interviews: run on an evaluation being designed, marked, never counted or exported,
deleted with every copy of their words when the evaluation is published."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from interviews.models import Answer, Evaluation, InterviewSession, Quote
from interviews.services.evaluation_status import evaluation_publish
from interviews.services.sessions import session_start
from tests.factories import (
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    ItemAnswerFactory,
    QuoteFactory,
    TagFactory,
    site,
)
from themes.models import SubTheme, Tag

pytestmark = pytest.mark.django_db


def start(evaluation, code="CC-001"):
    return session_start(
        participant_code=code,
        interview_date=datetime.date(2026, 10, 1),
        site=site(),
        interviewer=InterviewerFactory(),
        partner=InterviewerFactory(),
        evaluation=evaluation,
    )


def test_an_interview_on_a_design_is_a_practice_one(crisis_care):
    assert start(crisis_care).practice is True
    loneliness = Evaluation.objects.get(code="loneliness-2018")
    assert start(loneliness, code="LSI-900").practice is False


def test_no_interview_starts_on_an_evaluation_no_longer_collecting(crisis_care):
    Evaluation.objects.filter(pk=crisis_care.pk).update(status=Evaluation.Status.ANALYSING)
    crisis_care.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        start(crisis_care)
    assert refused.value.message_dict["evaluation"] == [
        "Crisis care: what helped when things were hardest is no longer collecting interviews."
    ]
    assert not InterviewSession.objects.exists()


def test_a_code_must_follow_the_evaluations_pattern(crisis_care):
    with pytest.raises(ValidationError) as refused:
        start(crisis_care, code="LSI-001")
    assert "follow the pattern ^CC-[0-9]{3}$" in refused.value.message_dict["participant_code"][0]


def test_practice_interviews_are_never_analysed(crisis_care):
    practice = InterviewSessionFactory(
        evaluation=crisis_care, practice=True, status=InterviewSession.Status.VERIFIED
    )
    real = InterviewSessionFactory(status=InterviewSession.Status.VERIFIED)
    analysed = InterviewSession.objects.for_analysis(include_unverified=True)
    assert list(analysed) == [real]
    assert practice in InterviewSession.objects.for_interviewer(practice.interviewer_1)


def test_publishing_deletes_practice_interviews_and_their_words(crisis_care, coordinator):
    Evaluation.objects.filter(code="loneliness-2018").update(status=Evaluation.Status.ANALYSING)
    practice = InterviewSessionFactory(evaluation=crisis_care, practice=True)
    ConsentRecordFactory(session=practice)
    ItemAnswerFactory(session=practice, item="seen_quickly", answer="agree")
    quote = QuoteFactory(session=practice, item="helped_most", text="Practice words.")
    TagFactory(quote=quote, subtheme=SubTheme.objects.of(crisis_care).get(code="speed"))
    evaluation_publish(evaluation=crisis_care, user=coordinator)
    assert not InterviewSession.objects.filter(evaluation=crisis_care).exists()
    assert not Answer.objects.exists() and not Quote.objects.exists()
    assert not Tag.objects.exists()
    assert not Quote.history.filter(text="Practice words.").exists()
    assert not Tag.history.exists()
    crisis_care.refresh_from_db()
    assert crisis_care.status == Evaluation.Status.COLLECTING
