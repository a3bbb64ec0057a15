"""consent_record: the one way consent is stored, whichever page or command asks."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from interviews.models import ConsentFormVersion, ConsentRecord, ConsentResponse, Evaluation
from interviews.participant_codes import (
    FORMAT_MESSAGE,
    participant_code_problem,
    taken_message,
)
from interviews.services.consent import consent_record
from interviews.services.consent_versions import (
    consent_version_make_current,
    consent_version_retire,
)
from interviews.services.withdrawal import participant_withdraw
from tests.factories import ConsentRecordFactory, InterviewerFactory, InterviewSessionFactory

pytestmark = pytest.mark.django_db

ALL_YES = {c: True for c in ["information", "voluntary", "pseudonymous", "storage", "quotes"]}


@pytest.fixture
def v1():
    return ConsentFormVersion.objects.get(label="v1")


def record(session, version, **overrides):
    kwargs = {
        "session": session,
        "recorded_by": session.interviewer_1,
        "form_version": version,
        "consent_date": session.interview_date,
        "method": "signed",
        "answers": ALL_YES,
        **overrides,
    }
    return consent_record(**kwargs)


def refused(session, version, message, **overrides):
    with pytest.raises(ValidationError, match=message):
        record(session, version, **overrides)
    assert not ConsentRecord.objects.filter(session=session).exists()
    assert not ConsentResponse.objects.filter(record__session=session).exists()


def test_it_records_a_response_to_every_statement(v1):
    session = InterviewSessionFactory()
    consent = record(session, v1, answers={**ALL_YES, "quotes": False})
    assert consent.witness == session.interviewer_2
    assert {r.statement.code: r.agreed for r in consent.responses.all()} == {
        **ALL_YES,
        "quotes": False,
    }


def test_one_record_per_session(v1):
    session = ConsentRecordFactory().session
    with pytest.raises(ValidationError, match="already recorded"):
        record(session, v1)
    assert ConsentRecord.objects.filter(session=session).count() == 1


def test_only_the_pair_records(v1):
    session = InterviewSessionFactory()
    refused(session, v1, "Only the two interviewers", recorded_by=InterviewerFactory())


def test_a_withdrawn_session_is_refused(v1, coordinator):
    session = InterviewSessionFactory()
    participant_withdraw(
        session=session,
        withdrawal_date=session.interview_date,
        how_requested="phone",
        recorded_by=coordinator,
    )
    refused(session, v1, "withdrawn")


def test_a_version_that_is_not_current_is_refused(v1):
    v2 = ConsentFormVersion.objects.create(
        evaluation=Evaluation.objects.current(), label="v2", information_sheet_date="2019-01-01"
    )
    v2.statements.create(code="information", text="I have read it.")
    v2.statements.create(code="quotes", text="You may quote me.", required=False)
    session = InterviewSessionFactory()
    refused(session, v2, "no longer the one in use", answers={"information": True})
    consent_version_make_current(version=v2)
    refused(session, v1, "no longer the one in use")


def test_a_retired_version_is_refused(v1):
    consent_version_retire(version=v1)
    refused(InterviewSessionFactory(), v1, "no longer the one in use")


def test_an_import_may_name_an_older_version(v1):
    v2 = ConsentFormVersion.objects.create(
        evaluation=Evaluation.objects.current(), label="v2", information_sheet_date="2019-01-01"
    )
    v2.statements.create(code="information", text="I have read it.")
    v2.statements.create(code="quotes", text="You may quote me.", required=False)
    consent_version_make_current(version=v2)
    consent = record(InterviewSessionFactory(), v1, require_current=False)
    assert consent.form_version == v1


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**ALL_YES, "storage": None}, "each answer must be yes or no"),
        ({k: v for k, v in ALL_YES.items() if k != "storage"}, "no answer for: storage"),
        ({**ALL_YES, "photos": True}, "not on form v1: photos"),
        ({**ALL_YES, "quotes": "yes"}, "each answer must be yes or no"),
    ],
)
def test_answers_must_match_the_statements(v1, answers, message):
    refused(InterviewSessionFactory(), v1, f"(?i){message}", answers=answers)


def test_a_date_in_the_future_is_refused(v1):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refused(InterviewSessionFactory(), v1, "future", consent_date=tomorrow)


def test_an_unknown_method_is_refused(v1):
    refused(InterviewSessionFactory(), v1, "not a valid choice", method="email")


def test_a_new_code_is_fine():
    assert participant_code_problem("LSI-100") is None


def test_a_code_in_use_cannot_start_another_session():
    InterviewSessionFactory(participant_code="LSI-100")
    assert participant_code_problem("LSI-100") == taken_message("LSI-100")
    assert participant_code_problem("lsi-100") == FORMAT_MESSAGE


def test_a_withdrawn_code_cannot_be_reused(coordinator):
    session = InterviewSessionFactory(participant_code="LSI-101")
    participant_withdraw(
        session=session,
        withdrawal_date=session.interview_date,
        how_requested="phone",
        recorded_by=coordinator,
    )
    assert participant_code_problem("LSI-101") == taken_message("LSI-101")
    assert "or by a participant who has withdrawn" in taken_message("LSI-101")
