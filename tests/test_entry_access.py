"""The interviewers' pages: who may open them (the pair, not other pairs, roles or visitors)
and the home list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import (
    Withdrawal,
)
from interviews.services import sessions as services
from tests.entry_pages import autosave, page_url
from tests.factories import (
    InterviewerFactory,
    InterviewSessionFactory,
    complete_session,
)

pytestmark = pytest.mark.django_db

# Access: works / other pairs 404 / other roles 403 / anonymous to log in.

SESSION_PAGES = [
    ("session", ()),
    ("section", ("feel",)),
    ("section", ("helps",)),
    ("section", ("about",)),
    ("review", ()),
]


@pytest.mark.parametrize(("name", "args"), SESSION_PAGES)
def test_session_pages_work_for_the_pair(client, draft, interviewer, partner, name, args):
    for user in (interviewer, partner):
        client.force_login(user)
        response = client.get(page_url(name, draft, *args), follow=True)
        assert response.status_code == 200
        assert draft.participant_code in response.content.decode()


@pytest.mark.parametrize(("name", "args"), [*SESSION_PAGES, ("check", ())])
def test_session_pages_of_other_pairs_do_not_exist(client, draft, name, args):
    client.force_login(InterviewerFactory())
    assert client.get(page_url(name, draft, *args)).status_code == 404


@pytest.mark.parametrize(("name", "args"), [*SESSION_PAGES, ("check", ())])
def test_session_pages_are_for_interviewers_only(client, draft, analyst, coordinator, name, args):
    for user in (analyst, coordinator):
        client.force_login(user)
        assert client.get(page_url(name, draft, *args)).status_code == 403


@pytest.mark.parametrize(("name", "args"), [*SESSION_PAGES, ("check", ())])
def test_session_pages_send_anonymous_visitors_to_log_in(client, draft, name, args):
    response = client.get(page_url(name, draft, *args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["my_interviews", "start"])
def test_home_and_start_are_for_interviewers_only(client, interviewer, analyst, name):
    assert client.get(reverse(f"interviews:{name}")).url.startswith(reverse("login"))
    client.force_login(analyst)
    assert client.get(reverse(f"interviews:{name}")).status_code == 403
    client.force_login(interviewer)
    assert client.get(reverse(f"interviews:{name}")).status_code == 200


def test_withdrawn_participants_sessions_do_not_exist_for_the_pair(
    client, draft, interviewer, coordinator
):
    Withdrawal.objects.create(
        session=draft,
        withdrawal_date=datetime.date(2018, 5, 1),
        how_requested="letter",
        recorded_by=coordinator,
    )
    client.force_login(interviewer)
    assert client.get(page_url("section", draft, "feel")).status_code == 404
    assert autosave(client, draft, {}).status_code == 404


def test_an_unknown_section_is_404(client, draft, interviewer):
    client.force_login(interviewer)
    assert client.get(page_url("section", draft, "mood")).status_code == 404


# My interviews


def test_my_interviews_groups_sessions(client, interviewer, partner, submitted):
    other = complete_session(interviewer_1=partner, interviewer_2=interviewer)
    services.session_submit(session=other, user=partner)
    hidden = InterviewSessionFactory()
    client.force_login(interviewer)
    page = client.get(reverse("interviews:my_interviews")).content.decode()
    waiting = page.index("Waiting for my partner")
    to_verify = page.index("Waiting for my verification")
    assert to_verify < page.index(other.participant_code) < page.index("In progress")
    assert waiting < page.index(submitted.participant_code) < page.index("Verified")
    assert hidden.participant_code not in page


def test_my_interviews_query_count_does_not_grow_with_sessions(client, interviewer, partner):
    client.force_login(interviewer)
    url = reverse("interviews:my_interviews")
    InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(9):
        complete_session(interviewer_1=partner, interviewer_2=InterviewerFactory())
        InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=InterviewerFactory())
    # session, user, roles, the sessions with their site and both interviewers
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url)
    assert response.content.decode().count("ufm-session-card") == 10
    assert len(one) == len(ten) == 4


# Start
