"""Discarding an interview started by mistake: the pair, before consent; then nothing is kept."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from interviews.models import InterviewSession, SessionAccess, SessionEvent
from interviews.participant_codes import participant_code_problem
from interviews.services import sessions as services
from interviews.services.discard import (
    CONSENT_RECORDED,
    NOT_A_DRAFT,
    DiscardRefused,
    session_discard,
)
from tests.factories import (
    AnalystFactory,
    ConsentRecordFactory,
    CoordinatorFactory,
    InterviewerFactory,
    complete_session,
    site,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mistake(interviewer, partner):
    """A session started with the wrong code: nothing but its start, no consent yet."""
    return services.session_start(
        participant_code="LSI-099",
        interview_date=datetime.date(2018, 4, 12),
        site=site(),
        interviewer=interviewer,
        partner=partner,
    )


def url(session):
    return reverse("interviews:discard", args=[session.pk])


def test_it_asks_first(client, mistake, interviewer):
    client.force_login(interviewer)
    response = client.get(url(mistake))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Discard this interview?</h1>" in page
    assert 'name="confirm" value="discard"' in page
    assert InterviewSession.objects.filter(pk=mistake.pk).exists()


@pytest.mark.parametrize("who", ["interviewer", "partner"])
def test_either_of_the_pair_discards_it_and_nothing_is_left(client, mistake, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    client.get(reverse("interviews:consent", args=[mistake.pk]))
    response = client.post(url(mistake), {"confirm": "discard"})
    assert response.status_code == 302
    assert response.url == reverse("interviews:my_interviews")
    assert not InterviewSession.objects.filter(pk=mistake.pk).exists()
    assert not SessionEvent.objects.filter(session_id=mistake.pk).exists()
    assert not SessionAccess.objects.filter(session_id=mistake.pk).exists()
    # The audit trail keeps who discarded it, and when.
    deletion = InterviewSession.history.filter(id=mistake.pk, history_type="-").get()
    assert deletion.history_user == user
    # The code was a mistake, so it is free for the right interview.
    assert participant_code_problem("LSI-099") is None
    page = client.get(response.url).content.decode()
    assert "The interview with LSI-099 is discarded." in page


def test_an_empty_post_discards_nothing(client, mistake, interviewer):
    client.force_login(interviewer)
    response = client.post(url(mistake))
    assert response.status_code == 400
    assert "confirm page" in response.content.decode()
    assert InterviewSession.objects.filter(pk=mistake.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_after_consent_the_pair_cannot(client, mistake, interviewer, method):
    ConsentRecordFactory(session=mistake)
    client.force_login(interviewer)
    response = getattr(client, method)(url(mistake), {"confirm": "discard"})
    assert response.status_code == 409
    assert CONSENT_RECORDED in response.content.decode()
    assert InterviewSession.objects.filter(pk=mistake.pk).exists()


def test_a_submitted_record_cannot_be_discarded(client, interviewer, partner):
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    services.session_submit(session=session, user=interviewer)
    client.force_login(interviewer)
    response = client.post(url(session), {"confirm": "discard"})
    assert response.status_code == 409
    assert NOT_A_DRAFT in response.content.decode()


def test_consent_recorded_meanwhile_stops_it(mistake, interviewer):
    """The partner's tablet recorded consent after this page was opened."""
    ConsentRecordFactory(session=mistake)
    with pytest.raises(DiscardRefused) as refused:
        session_discard(session=mistake, user=interviewer)
    assert refused.value.message == CONSENT_RECORDED
    assert InterviewSession.objects.filter(pk=mistake.pk).exists()


def test_the_service_checks_who_asks(mistake):
    with pytest.raises(PermissionDenied):
        session_discard(session=mistake, user=InterviewerFactory())
    assert InterviewSession.objects.filter(pk=mistake.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_checks_ownership(client, mistake, method):
    client.force_login(InterviewerFactory())
    assert getattr(client, method)(url(mistake), {"confirm": "discard"}).status_code == 404
    assert InterviewSession.objects.filter(pk=mistake.pk).exists()


@pytest.mark.parametrize("make", [AnalystFactory, CoordinatorFactory])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_is_for_interviewers(client, mistake, make, method):
    client.force_login(make())
    assert getattr(client, method)(url(mistake), {"confirm": "discard"}).status_code == 403
    assert InterviewSession.objects.filter(pk=mistake.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_requires_login(client, mistake, method):
    response = getattr(client, method)(url(mistake), {"confirm": "discard"})
    assert response.url.startswith(reverse("login"))
    assert InterviewSession.objects.filter(pk=mistake.pk).exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(client, mistake, interviewer, method):
    client.force_login(interviewer)
    assert getattr(client, method)(url(mistake)).status_code == 405
    assert InterviewSession.objects.filter(pk=mistake.pk).exists()


def test_the_consent_page_offers_it(client, mistake, interviewer):
    client.force_login(interviewer)
    page = client.get(reverse("interviews:consent", args=[mistake.pk])).content.decode()
    assert f'href="{url(mistake)}"' in page


# --- after consent: a coordinator, with a reason, on the record's admin -------------------


def admin_discard_url(session) -> str:
    return reverse("admin:interviews_interviewsession_discard", args=[session.pk])


@pytest.fixture
def consented(interviewer, partner):
    """A draft with consent, an answer and a quote: started with the wrong code."""
    from tests.factories import QuoteFactory

    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    QuoteFactory(session=session, item="companionship", position=5, text="Words said by mistake.")
    return session


def test_a_coordinator_discards_a_draft_after_consent_with_a_reason(client, consented):
    from interviews.models import Answer, ConsentRecord, Quote, Tick

    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    page = client.get(admin_discard_url(consented))
    assert page.status_code == 200
    assert "Why is this interview being discarded?" in page.content.decode()
    response = client.post(admin_discard_url(consented), {"note": "Wrong participant code."})
    assert response.status_code == 302
    assert response.url == reverse("admin:interviews_interviewsession_changelist")
    pk = consented.pk
    assert not InterviewSession.objects.filter(pk=pk).exists()
    assert not ConsentRecord.objects.filter(session_id=pk).exists()
    assert not Answer.objects.filter(session_id=pk).exists()
    assert not Tick.objects.filter(session_id=pk).exists()
    # No copy of the words is left in the history; the reason and who discarded it are.
    assert not Quote.history.filter(session_id=pk).exists()
    assert not Answer.history.filter(session_id=pk).exists()
    assert not Tick.history.filter(session_id=pk).exists()
    deletion = InterviewSession.history.filter(id=pk, history_type="-").get()
    assert deletion.history_change_reason == "Discarded by a coordinator: Wrong participant code."
    assert deletion.history_user == coordinator
    assert participant_code_problem(consented.participant_code) is None


def test_a_coordinator_must_say_why(client, consented):
    client.force_login(CoordinatorFactory())
    response = client.post(admin_discard_url(consented), {"note": "  "})
    assert response.status_code == 400
    assert "Write why the interview is being discarded" in response.content.decode()
    assert InterviewSession.objects.filter(pk=consented.pk).exists()


def test_only_a_draft_can_be_discarded_by_a_coordinator(client, consented, interviewer):
    services.session_submit(session=consented, user=interviewer)
    client.force_login(CoordinatorFactory())
    for method in ("get", "post"):
        response = getattr(client, method)(admin_discard_url(consented), {"note": "Mistake."})
        assert response.status_code == 409
        assert "record the participant&#x27;s withdrawal instead" in response.content.decode()
    assert InterviewSession.objects.filter(pk=consented.pk).exists()


def test_analysts_and_interviewers_cannot_discard_in_the_admin(client, consented, interviewer):
    client.force_login(AnalystFactory())
    assert client.post(admin_discard_url(consented), {"note": "x"}).status_code == 403
    client.force_login(interviewer)
    response = client.post(admin_discard_url(consented), {"note": "x"})
    assert response.status_code == 302 and "/admin/login/" in response.url
    client.logout()
    response = client.post(admin_discard_url(consented), {"note": "x"})
    assert response.status_code == 302 and "login" in response.url
    assert InterviewSession.objects.filter(pk=consented.pk).exists()


def test_a_withdrawn_participants_record_is_not_found(client, consented):
    from interviews.services.withdrawal import participant_withdraw

    coordinator = CoordinatorFactory()
    participant_withdraw(
        session=consented,
        withdrawal_date=consented.interview_date,
        how_requested="phone",
        recorded_by=coordinator,
    )
    client.force_login(coordinator)
    assert client.get(admin_discard_url(consented)).status_code == 404


def test_the_record_page_offers_discard_on_drafts_only(client, consented, interviewer):
    client.force_login(CoordinatorFactory())
    change = reverse("admin:interviews_interviewsession_change", args=[consented.pk])
    assert admin_discard_url(consented) in client.get(change).content.decode()
    services.session_submit(session=consented, user=interviewer)
    assert admin_discard_url(consented) not in client.get(change).content.decode()
