"""Interviewers read each other's display names, not usernames.

In a list where two people could share a display name, the username follows in brackets."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviews.services import sessions as services
from tests.factories import (
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    complete_session,
)
from ufm.people import display_name, display_name_with_username

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(db):
    return InterviewerFactory(username="sam_p", first_name="Sam P")


@pytest.fixture
def alex(db):
    return InterviewerFactory(username="alex_k", first_name="Alex K")


def page_url(name: str, session) -> str:
    return reverse(f"interviews:{name}", args=[session.pk])


def test_the_name_rule():
    assert display_name(InterviewerFactory.build(username="kim", first_name=" Kim B ")) == "Kim B"
    assert display_name(InterviewerFactory.build(username="kim", first_name="")) == "kim"
    with_username = InterviewerFactory.build(username="kim", first_name="Kim B")
    assert display_name_with_username(with_username) == "Kim B (kim)"
    assert display_name_with_username(InterviewerFactory.build(username="kim")) == "kim"


def test_the_partner_choice_shows_display_names_with_usernames(client, sam, alex):
    InterviewerFactory(username="sam_q", first_name="Sam P")  # two people, one display name
    client.force_login(alex)
    html = client.get(reverse("interviews:start")).content.decode()
    assert ">Sam P (sam_p)</option>" in html
    assert ">Sam P (sam_q)</option>" in html


def test_my_interviews_name_the_partner(client, sam, alex):
    InterviewSessionFactory(interviewer_1=alex, interviewer_2=sam)
    client.force_login(alex)
    html = client.get(reverse("interviews:my_interviews")).content.decode()
    assert "with Sam P (sam_p)" in html


def test_the_check_page_names_who_sent_it(client, sam, alex):
    session = complete_session(interviewer_1=sam, interviewer_2=alex)
    services.session_submit(session=session, user=sam)
    client.force_login(alex)
    html = client.get(page_url("check", session)).content.decode()
    assert "Sam P sent this for checking" in html
    assert "Return it to Sam P" in html
    response = client.post(
        page_url("check", session), {"action": "return", "note": "Age is 35-44."}, follow=True
    )
    assert "Sam P with your note" in response.content.decode()


def test_the_review_page_and_its_message_name_the_partner(client, sam, alex):
    session = complete_session(interviewer_1=alex, interviewer_2=sam)
    client.force_login(alex)
    assert "send it to Sam P to check" in client.get(page_url("review", session)).content.decode()
    response = client.post(page_url("review", session), follow=True)
    html = response.content.decode()
    assert "Sent to Sam P for checking" in html
    assert (
        "Waiting for Sam P to check it" in client.get(page_url("review", session)).content.decode()
    )
    session.refresh_from_db()
    services.session_verify(session=session, user=sam)
    assert "Verified by Sam P on" in client.get(page_url("review", session)).content.decode()


def test_the_consent_pages_name_the_witness(client, sam, alex):
    session = InterviewSessionFactory(interviewer_1=alex, interviewer_2=sam)
    client.force_login(alex)
    html = client.get(page_url("consent", session)).content.decode()
    assert "Sam P witnessed this consent" in html
    assert "Witness: <strong>Sam P</strong>" in html
    assert "Recorded by you, <strong>Alex K</strong>" in html
    ConsentRecordFactory(session=session, recorded_by=alex, witness=sam)
    html = client.get(page_url("consent", session)).content.decode()
    assert "<dd>Alex K</dd>" in html
    assert "<dd>Sam P</dd>" in html


def test_the_reopen_page_names_both_interviewers(client, sam, alex, coordinator):
    session = complete_session(interviewer_1=alex, interviewer_2=sam)
    services.session_submit(session=session, user=alex)
    services.session_verify(session=session, user=sam)
    client.force_login(coordinator)
    html = client.get(
        reverse("admin:interviews_interviewsession_reopen", args=[session.pk])
    ).content.decode()
    assert "Its interviewers: Alex K (alex_k) and Sam P (sam_p)." in html
