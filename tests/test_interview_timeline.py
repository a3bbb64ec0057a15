"""An interview's timeline in the admin (issue 14): every change to its answers, quotes,
details, consent and steps, in words, with who, when and where; who may read it."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Answer, ConsentRecord, InterviewSession
from interviews.services import sessions as services
from interviews.services.withdrawal import participant_withdraw
from interviews.session_timeline import WORDS_HIDDEN
from tests.factories import (
    ConsentRecordFactory,
    InterviewSessionFactory,
    ItemAnswerFactory,
    QuoteFactory,
    coded_keys,
    complete_session,
)
from ufm.history import NO_LONGER_HERE, history_user

pytestmark = pytest.mark.django_db


def timeline_url(session) -> str:
    return reverse("admin:interviews_interviewsession_timeline", args=[session.pk])


def page_text(response) -> str:
    """The page's main content as text, one space between words."""
    content = response.content.decode()
    content = content[content.index('id="content"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", content))


def autosave(client, session, changes) -> None:
    session.refresh_from_db()
    body = {"version": session.version, "changes": changes}
    url = reverse("interviews:autosave", args=[session.pk])
    assert client.post(url, json.dumps(body), "application/json").status_code == 200


@pytest.fixture
def named(interviewer, partner):
    interviewer.first_name, partner.first_name = "Sam P", "Alex R"
    interviewer.save()
    partner.save()
    return interviewer, partner


@pytest.fixture
def worked(client, named):
    """A draft the pair consented, answered and changed on their pages, then submitted."""
    interviewer, partner = named
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    client.force_login(interviewer)
    autosave(client, session, {"answer:help": {"old": "", "new": "often"}})
    autosave(client, session, {"answer:help": {"old": "often", "new": "hardly_ever"}})
    autosave(client, session, {"quotes:help": {"old": [], "new": ["My dog helps"]}})
    autosave(client, session, {"demo:gender": {"old": "", "new": "non_binary"}})
    autosave(client, session, {"ticks:sees": {"old": [], "new": ["family"]}})
    client.logout()
    return session


def test_it_shows_what_changed_in_words(client, coordinator, worked):
    client.force_login(coordinator)
    response = client.get(timeline_url(worked))
    assert response.status_code == 200
    text = page_text(response)
    help_ = "Do you have enough people you feel comfortable asking for help?"
    assert f"Answer to {help_}: changed Answer: Often → Hardly ever Sam P in the app" in text
    assert f"Answer to {help_}: added Answer: – → Often" in text
    assert f"Quote 1 for {help_}: added Text: – → My dog helps" in text
    assert "Answer to Gender: added Answer: – → Non-binary" in text
    assert "Who do you see in a usual week? (tick all that apply): Family: added" in text
    # Labels, never codes; and not the session row's own versions.
    for code in ("hardly_ever", "non_binary", "Version", "Deleted user"):
        assert code not in text


def test_steps_say_who_took_them_and_their_notes(client, coordinator, named):
    interviewer, partner = named
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    services.session_submit(session=session, user=interviewer)
    services.session_return(session=session, user=partner, note="Check the date")
    client.force_login(coordinator)
    text = page_text(client.get(timeline_url(session)))
    assert "Status: Submitted for checking Sam P" in text
    assert "Status: Returned to the submitter Note: Check the date Alex R" in text


def test_it_says_where_a_change_was_made(client, coordinator, interviewer, partner):
    session = complete_session(
        interviewer_1=interviewer, interviewer_2=partner, status=InterviewSession.Status.VERIFIED
    )
    # Outside a web request: a command on the server (or the shell).
    with history_user(coordinator):
        Answer.objects.filter(session=session).first().delete()
    client.force_login(coordinator)
    client.post(
        reverse("admin:interviews_interviewsession_withdraw"),
        {
            "participant_code": session.participant_code,
            "withdrawal_date": session.interview_date.isoformat(),
            "how_requested": "phone",
            "confirm": "1",
        },
    )
    text = page_text(client.get(timeline_url(session)))
    assert "Withdrawal: added Withdrawal date: – → 12 April 2018" in text
    assert "in the admin" in text
    # The deleted answer's history went with the withdrawal; the consent's is kept.
    assert "Consent: added" in text
    assert "by a command on the server" in text


def test_an_account_no_longer_there_is_said_plainly(client, coordinator, worked):
    Answer.history.filter(session_id=worked.pk).update(history_user=None)
    client.force_login(coordinator)
    text = page_text(client.get(timeline_url(worked)))
    assert f"Answer: Often → Hardly ever {NO_LONGER_HERE} in the app" in text
    assert "Deleted user" not in text and "None" not in text


def verified_with_quote(*, quote_consent: bool) -> InterviewSession:
    session = InterviewSessionFactory(status=InterviewSession.Status.VERIFIED)
    ConsentRecordFactory(session=session, answers={"quotes": quote_consent})
    QuoteFactory(session=session, text="I talk to the birds")
    return session


def test_analysts_read_the_words_only_of_quotes_they_may_read(client, analyst, coordinator):
    agreed = verified_with_quote(quote_consent=True)
    refused = verified_with_quote(quote_consent=False)
    client.force_login(analyst)
    assert "I talk to the birds" in page_text(client.get(timeline_url(agreed)))
    text = page_text(client.get(timeline_url(refused)))
    assert "I talk to the birds" not in text
    assert f"Text: – → {WORDS_HIDDEN}" in text
    client.force_login(coordinator)
    assert "I talk to the birds" in page_text(client.get(timeline_url(refused)))


def test_analysts_do_not_see_consent_or_withdrawal_entries(client, analyst, coordinator):
    session = verified_with_quote(quote_consent=True)
    ConsentRecord.objects.get(session=session).save()  # a history row of the consent
    client.force_login(coordinator)
    assert "Consent: changed" in page_text(client.get(timeline_url(session)))
    client.force_login(analyst)
    text = page_text(client.get(timeline_url(session)))
    assert "Consent" not in text.replace("and consent", "")
    assert "I talk to the birds" in text


# Who may open it: the history list's rule.


def test_coordinators_open_every_interview_even_withdrawn(client, coordinator):
    session = complete_session(status=InterviewSession.Status.VERIFIED)
    participant_withdraw(
        session=session,
        withdrawal_date=session.interview_date,
        how_requested="email",
        recorded_by=coordinator,
    )
    client.force_login(coordinator)
    response = client.get(timeline_url(session))
    assert response.status_code == 200
    assert "Withdrawal: added" in page_text(response)


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_analysts_cannot_open_an_unverified_interview(client, analyst, status):
    session = InterviewSessionFactory(status=status)
    client.force_login(analyst)
    assert client.get(timeline_url(session)).status_code == 404


def test_analysts_cannot_open_a_withdrawn_interview(client, analyst, coordinator):
    session = complete_session(status=InterviewSession.Status.VERIFIED)
    participant_withdraw(
        session=session,
        withdrawal_date=session.interview_date,
        how_requested="email",
        recorded_by=coordinator,
    )
    client.force_login(analyst)
    assert client.get(timeline_url(session)).status_code == 404


def test_interviewers_are_sent_to_the_admin_log_in(client, worked, interviewer):
    client.force_login(interviewer)
    response = client.get(timeline_url(worked))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_anonymous_visitors_are_sent_to_log_in(client, worked):
    response = client.get(timeline_url(worked))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_shows(client, coordinator, worked, method):
    client.force_login(coordinator)
    assert getattr(client, method)(timeline_url(worked)).status_code == 405


def test_a_made_up_interview_is_not_found(client, coordinator):
    client.force_login(coordinator)
    url = reverse("admin:interviews_interviewsession_timeline", args=[999999])
    assert client.get(url).status_code == 404


def test_the_change_page_history_button_leads_here(client, coordinator, worked):
    client.force_login(coordinator)
    change = reverse("admin:interviews_interviewsession_change", args=[worked.pk])
    content = client.get(change).content.decode()
    assert f'href="{timeline_url(worked)}" class="historylink"' in content
    assert reverse("admin:interviews_interviewsession_history", args=[worked.pk]) not in content


# A page at a time, in queries that do not grow with the number of changes.


def with_changes(rounds: int) -> InterviewSession:
    """An interview with ``rounds`` changes of each kind, then its consent and a step, so that
    the newest page holds every kind of entry."""
    session = InterviewSessionFactory()
    with history_user(session.interviewer_1):
        answer = ItemAnswerFactory(session=session, item="help", answer="often")
        quote = QuoteFactory(session=session, item="help", text="Words")
        for n in range(rounds):
            answer.option_id = coded_keys(session, "help", "often" if n % 2 else "hardly_ever")[
                "option_id"
            ]
            answer.save()
            quote.text = f"Words {n}"
            quote.save()
    ConsentRecordFactory(session=session)
    session.events.create(kind="started", by=session.interviewer_1)
    return session


def queries_for_first_page(client, session) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(timeline_url(session))
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_changes(client, coordinator):
    client.force_login(coordinator)
    few, many = with_changes(2), with_changes(120)
    client.get(timeline_url(few))  # the session and permissions cached as on any later page
    assert queries_for_first_page(client, few) == queries_for_first_page(client, many)
    second = client.get(timeline_url(many), {"page": 2})
    assert "page 2 of" in page_text(second)


def test_the_query_count_is_pinned(client, coordinator, django_assert_num_queries):
    session = with_changes(3)
    client.force_login(coordinator)
    client.get(timeline_url(session))
    # The log-in's session and user (2), the user's roles and permissions (1); the interview
    # as its change page finds it (1); the timeline's count and its page (2); the answers'
    # and the quotes' rows, each with the versions before them (4); the consent record's
    # (1: it has no version before); the step (1); the people named (1).
    with django_assert_num_queries(13):
        client.get(timeline_url(session))
