"""What the services refuse, and how every page answers it: the service's own message, with
the status the refusal carries (interviews.services.refusals, interviews.views.access.refused)."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from interviews.models import Answer, InterviewSession, Withdrawal
from interviews.services import sessions as services
from interviews.services.consent_gate import NO_QUOTES, WITHDRAWN, ConsentRequired
from interviews.services.refusals import NotAllowed, QuotesNotAllowed, Refused
from tests.factories import ConsentRecordFactory, InterviewSessionFactory, complete_session

pytestmark = pytest.mark.django_db

SUBMITTED = "This record has been submitted for checking, so it cannot be changed now."
VERIFIED = "This record has been verified, so it cannot be changed."
NOT_WAITING = "This record is not waiting for checking."
OWN_RECORD = "You submitted this record, so your partner checks it: a second pair of eyes."
NOT_VERIFIABLE = "Some questions are not answered, so this record cannot be verified."


@pytest.mark.parametrize(
    ("refusal", "status"),
    [
        (services.SessionLocked, 409),
        (services.NotInThisState, 409),
        (services.Incomplete, 409),
        (ConsentRequired, 409),
        (QuotesNotAllowed, 403),
        (NotAllowed, 403),
    ],
)
def test_every_refusal_is_one_kind_with_its_status(refusal, status):
    assert issubclass(refusal, Refused)
    assert refusal.status == status
    # Refused for who asks is also Django's 403, wherever it is not mapped.
    assert issubclass(refusal, PermissionDenied) is (status == 403)


def url(name, session, *args):
    return reverse(f"interviews:{name}", args=[session.pk, *args])


def assert_refused(response, status: int, message: str) -> None:
    assert response.status_code == status
    assert message in response.content.decode()


def test_the_check_page_refuses_the_submitter(client, submitted, interviewer):
    client.force_login(interviewer)
    assert_refused(client.get(url("check", submitted)), 403, OWN_RECORD)
    assert_refused(client.post(url("check", submitted), {"action": "verify"}), 403, OWN_RECORD)


def test_checking_what_does_not_wait_for_it_is_refused(client, draft, partner):
    client.force_login(partner)
    assert_refused(client.post(url("check", draft), {"action": "verify"}), 409, NOT_WAITING)


def test_verifying_an_incomplete_record_is_refused(client, submitted, partner):
    Answer.objects.filter(session=submitted).first().delete()
    client.force_login(partner)
    response = client.post(url("check", submitted), {"action": "verify"})
    assert_refused(response, 409, NOT_VERIFIABLE)
    assert "Return it with a note." in response.content.decode()


def test_changing_a_submitted_or_verified_record_is_refused(
    client, submitted, interviewer, partner
):
    client.force_login(interviewer)
    section = url("section", submitted, "feel")
    assert_refused(client.post(section, {"version": "1", "original": "{}"}), 409, SUBMITTED)
    services.session_verify(session=submitted, user=partner)
    assert_refused(client.post(section, {"version": "1", "original": "{}"}), 409, VERIFIED)
    assert_refused(client.post(url("review", submitted)), 409, VERIFIED)


def test_a_record_submitted_meanwhile_is_refused_with_the_services_message(
    client, draft, interviewer, monkeypatch
):
    """The page read a draft; by the time the save locks the row the partner has submitted
    it. The page says what the service found (it used to say only "cannot be changed now")."""
    locked = services._locked

    def submitted_meanwhile(session):
        InterviewSession.objects.filter(pk=session.pk).update(status="submitted")
        return locked(session)

    monkeypatch.setattr(services, "_locked", submitted_meanwhile)
    client.force_login(interviewer)
    response = client.post(
        url("section", draft, "feel"),
        {"version": "1", "original": json.dumps({"answer:help": ""}), "answer:help": "often"},
    )
    assert_refused(response, 409, SUBMITTED)


def test_a_withdrawal_meanwhile_is_refused_with_the_gates_message(
    client, interviewer, partner, coordinator, monkeypatch
):
    """The review page found consent; by the time submitting locks the row the participant
    has withdrawn. The consent gate's refusal is answered like every other."""
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    locked = services._locked

    def withdrawn_meanwhile(session):
        Withdrawal.objects.create(
            session=session,
            withdrawal_date=session.interview_date,
            how_requested="phone",
            recorded_by=coordinator,
        )
        return locked(session)

    monkeypatch.setattr(services, "_locked", withdrawn_meanwhile)
    client.force_login(interviewer)
    assert_refused(client.post(url("review", session)), 409, WITHDRAWN)


def test_autosave_answers_each_refusal_with_its_message_and_status(
    client, submitted, interviewer, partner
):
    client.force_login(interviewer)

    def autosave(session, changes):
        body = {"version": session.version, "changes": changes}
        return client.post(url("autosave", session), json.dumps(body), "application/json")

    locked = autosave(submitted, {"answer:help": {"old": "", "new": "often"}})
    assert locked.status_code == 409
    assert locked.json()["locked"] is True
    assert locked.json()["error"].startswith(SUBMITTED)

    no_quotes = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=no_quotes, answers={"quotes": False})
    refused = autosave(no_quotes, {"quotes:help": {"old": [], "new": ["My words."]}})
    assert refused.status_code == 403
    assert refused.json() == {"error": NO_QUOTES}
