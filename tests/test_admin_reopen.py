"""The coordinators' reopen page on a verified record's admin: works, refuses, every method."""

import pytest
from django.urls import reverse

from interviews.models import InterviewSession, SessionEvent
from interviews.services import sessions as services
from interviews.services.withdrawal import participant_withdraw
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(submitted, partner):
    return services.session_verify(session=submitted, user=partner)


def reopen_url(pk) -> str:
    return reverse("admin:interviews_interviewsession_reopen", args=[pk])


def change_url(session) -> str:
    return reverse("admin:interviews_interviewsession_change", args=[session.pk])


def test_a_coordinator_reopens_with_a_reason(client, verified, coordinator):
    client.force_login(coordinator)
    page = client.get(reopen_url(verified.pk))
    assert page.status_code == 200
    assert "Why is this record being reopened?" in page.content.decode()
    response = client.post(reopen_url(verified.pk), {"note": ""})
    assert response.status_code == 400
    assert "Write why the record is being reopened" in response.content.decode()
    response = client.post(reopen_url(verified.pk), {"note": "Wrong site."})
    assert response.status_code == 302
    assert response.url == change_url(verified)
    verified.refresh_from_db()
    assert verified.status == InterviewSession.Status.DRAFT
    assert SessionEvent.objects.get(session=verified, kind="reopened").note == "Wrong site."


def test_the_page_is_in_the_admin_and_goes_back_to_the_record(client, verified, coordinator):
    client.force_login(coordinator)
    html = client.get(reopen_url(verified.pk)).content.decode()
    assert f'href="{change_url(verified)}"' in html
    assert 'class="breadcrumbs"' in html
    assert f"<title>Reopen {verified.participant_code} |" in html


def test_the_record_page_offers_coordinators_to_reopen_it(
    client, submitted, partner, coordinator, analyst
):
    link = f'href="{reopen_url(submitted.pk)}"'
    client.force_login(coordinator)
    assert link not in client.get(change_url(submitted)).content.decode()  # not verified
    services.session_verify(session=submitted, user=partner)
    page = client.get(change_url(submitted)).content.decode()
    assert link in page and "Reopen this record" in page
    client.force_login(analyst)
    assert link not in client.get(change_url(submitted)).content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_is_for_coordinators_only(client, verified, interviewer, analyst, method):
    client.force_login(analyst)
    assert getattr(client, method)(reopen_url(verified.pk)).status_code == 403
    client.force_login(interviewer)  # the admin sends interviewers to its log-in page
    assert getattr(client, method)(reopen_url(verified.pk)).url.startswith(reverse("admin:login"))
    client.logout()
    assert getattr(client, method)(reopen_url(verified.pk)).url.startswith(reverse("login"))
    verified.refresh_from_db()
    assert verified.status == InterviewSession.Status.VERIFIED


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_it_takes_only_get_and_post(client, verified, coordinator, method):
    client.force_login(coordinator)
    assert getattr(client, method)(reopen_url(verified.pk)).status_code == 405


def test_what_is_not_verified_is_refused_with_the_services_message(client, submitted, coordinator):
    client.force_login(coordinator)
    for response in (
        client.get(reopen_url(submitted.pk)),
        client.post(reopen_url(submitted.pk), {"note": "Wrong site."}),
    ):
        assert response.status_code == 409
        assert "Only a verified record can be reopened." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == InterviewSession.Status.SUBMITTED


@pytest.mark.parametrize("object_id", ["99999", "not-a-number"])
def test_an_unknown_record_does_not_exist(client, coordinator, object_id):
    client.force_login(coordinator)
    assert client.get(reopen_url(object_id)).status_code == 404


def test_a_withdrawn_participants_record_does_not_exist(client, verified, coordinator):
    participant_withdraw(
        session=verified,
        withdrawal_date=verified.interview_date,
        how_requested="phone",
        recorded_by=coordinator,
    )
    client.force_login(coordinator)
    assert client.get(reopen_url(verified.pk)).status_code == 404
    assert client.post(reopen_url(verified.pk), {"note": "Wrong site."}).status_code == 404


def test_a_superuser_may_reopen(client, verified):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reopen_url(verified.pk)).status_code == 200
    assert client.post(reopen_url(verified.pk), {"note": "Wrong site."}).status_code == 302
