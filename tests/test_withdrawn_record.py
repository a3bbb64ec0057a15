"""A withdrawn participant's record in the admin (issue 14): it says "Withdrawn" (when, how it
was asked for), never the status it had reached, and offers nothing that would edit it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import InterviewSession
from interviews.services.withdrawal import participant_withdraw
from tests.factories import ConsentRecordFactory, InterviewSessionFactory, complete_session

pytestmark = pytest.mark.django_db

SAYS = "Withdrawn on 12 April 2018 (asked for: by phone to the team)"


def withdrawn_session(coordinator) -> InterviewSession:
    session = complete_session(status=InterviewSession.Status.VERIFIED)
    participant_withdraw(
        session=session,
        withdrawal_date=session.interview_date,
        how_requested="by phone to the team",
        recorded_by=coordinator,
    )
    return session


def change_page(client, session) -> str:
    response = client.get(reverse("admin:interviews_interviewsession_change", args=[session.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    return content[content.index('id="content"') :]


def text_of(content: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", content))


def test_the_record_says_withdrawn_not_verified(client, coordinator):
    session = withdrawn_session(coordinator)
    client.force_login(coordinator)
    text = text_of(change_page(client, session))
    assert f"Status: {SAYS}" in text
    assert "Verified" not in text.replace("Verified by", "").replace("Verified at", "")


def test_the_record_offers_nothing_that_would_edit_it(client, coordinator):
    session = withdrawn_session(coordinator)
    client.force_login(coordinator)
    content = change_page(client, session)
    for offer in ("Reopen this record", "Withdraw this participant", "View on site"):
        assert offer not in content
    # No empty, editable demographics (or any other form field), and nothing to save.
    assert "<select" not in content
    assert 'type="text"' not in content
    assert 'type="submit"' not in content
    assert "Demographics" not in content
    assert "Item answers" not in content


def test_the_list_says_withdrawn_in_a_fixed_number_of_queries(client, coordinator):
    client.force_login(coordinator)
    url = reverse("admin:interviews_interviewsession_changelist")
    withdrawn_session(coordinator)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        content = client.get(url).content.decode()
    assert SAYS in content
    for _ in range(3):
        withdrawn_session(coordinator)
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).content.decode().count(SAYS) == 4
    assert len(four) == len(one)


def test_a_record_not_withdrawn_still_offers_reopening(client, coordinator):
    session = complete_session(status=InterviewSession.Status.VERIFIED)
    client.force_login(coordinator)
    content = change_page(client, session)
    assert "Status: Verified" in text_of(content)
    assert "Reopen this record" in content
    assert "Withdraw this participant" in content


def test_a_draft_without_details_shows_no_blank_form(client, coordinator):
    session = InterviewSessionFactory()
    ConsentRecordFactory(session=session)
    client.force_login(coordinator)
    content = change_page(client, session)
    assert "<select" not in content
    assert 'type="submit"' not in content
