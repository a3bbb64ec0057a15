"""The privacy guard on the pages: interviewers are warned about quotes that may identify
someone (and their words are saved all the same); coordinators get a list to review."""

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.admin import InterviewSessionAdmin
from interviews.models import Quote
from interviews.privacy import ANY_IDENTIFIER
from interviews.selectors import quotes_with_identifiers, session_values
from interviews.services import sessions as services
from tests.factories import (
    InterviewSessionFactory,
    QuoteFactory,
    complete_session,
)

pytestmark = pytest.mark.django_db

PHONE = "Ring me on 07700 900123 any time."
PHONE_WARNING = "This quote may contain a phone number."
REVIEW = "admin:interviews_interviewsession_identifiers"


def section_url(session, slug="feel"):
    return reverse("interviews:section", args=[session.pk, slug])


def autosave(client, session, changes):
    session.refresh_from_db()
    body = {"version": session.version, "changes": changes}
    url = reverse("interviews:autosave", args=[session.pk])
    return client.post(url, json.dumps(body), "application/json")


def original_of(response) -> str:
    found = re.search(r'name="original" value="([^"]*)"', response.content.decode())
    return html.unescape(found.group(1))


# The interviewer's pages


def test_autosave_keeps_the_words_and_warns_about_the_quote(client, draft, interviewer):
    client.force_login(interviewer)
    quotes = ["Nobody calls.", PHONE]
    response = autosave(client, draft, {"quotes:companionship": {"old": [], "new": quotes}})
    assert response.status_code == 200
    body = response.json()
    assert body["applied"] == ["quotes:companionship"]
    # One entry per saved quote, in order: the page puts each next to its box.
    [clean, flagged] = body["warnings"]["quotes:companionship"]
    assert clean is None
    assert flagged.startswith(PHONE_WARNING)
    assert session_values(draft)["quotes:companionship"] == quotes


def test_autosave_has_no_warnings_for_ordinary_words(client, draft, interviewer):
    client.force_login(interviewer)
    response = autosave(
        client,
        draft,
        {
            "quotes:companionship": {"old": [], "new": ["I see 3 or 4 people a week."]},
            "answer:companionship": {"old": "", "new": "often"},
        },
    )
    assert response.status_code == 200
    assert response.json()["warnings"] == {}


def test_autosave_does_not_warn_about_a_quote_it_did_not_save(client, draft, interviewer, partner):
    services.answers_save(
        session=draft,
        user=partner,
        version=draft.version,
        changes={"quotes:companionship": {"old": [], "new": ["The partner's words."]}},
    )
    client.force_login(interviewer)
    response = autosave(client, draft, {"quotes:companionship": {"old": [], "new": [PHONE]}})
    body = response.json()
    assert [c["field"] for c in body["conflicts"]] == ["quotes:companionship"]
    assert body["warnings"] == {}


def test_the_section_page_shows_the_warning_next_to_the_quote_box(client, draft, interviewer):
    QuoteFactory(session=draft, item="companionship", position=0, text=PHONE)
    client.force_login(interviewer)
    page = client.get(section_url(draft)).content.decode()
    box = re.search(r'<textarea[^>]*id="quotes-companionship-0"[^>]*>', page).group()
    assert 'aria-describedby="quotes-companionship-0-warning"' in box
    warning = re.search(r'<div[^>]*id="quotes-companionship-0-warning"[^>]*>(.*?)</div>', page)
    assert 'aria-live="polite"' in warning.group()
    assert PHONE_WARNING in warning.group(1)
    # Every box has its (empty) live region, so that autosave's warnings are announced.
    other = re.search(r'<div[^>]*id="quotes-help-0-warning"[^>]*>(.*?)</div>', page)
    assert other.group(1) == ""
    # Without a save just made, no summary at the top.
    assert "ufm-warning-summary" not in page


def post_feel(client, session, **data):
    response = client.get(section_url(session))
    return client.post(
        section_url(session),
        {"version": session.version, "original": original_of(response), **data},
    )


def test_a_page_post_saves_the_quote_and_comes_back_once_with_the_warning_at_the_top(
    client, draft, interviewer
):
    client.force_login(interviewer)
    response = post_feel(client, draft, **{"quotes:companionship": [PHONE], "go": "next"})
    assert response.status_code == 302
    assert response.url == section_url(draft) + "?check=quotes"
    assert session_values(draft)["quotes:companionship"] == [PHONE]

    page = client.get(response.url).content.decode()
    summary = re.search(r'<div class="ufm-warning-summary".*?</div>', page, re.S).group()
    assert "Please check this quote" in summary
    assert "Your answers are saved." in summary
    assert 'href="#quotes-companionship-0"' in summary
    assert "may contain a phone number" in summary
    assert "<title>Please check: How you feel" in page

    # Going on again without changing the quote is not stopped.
    draft.refresh_from_db()
    response = post_feel(client, draft, **{"quotes:companionship": [PHONE], "go": "next"})
    assert response.url == section_url(draft, "helps")


def test_a_page_post_that_removes_the_identifier_goes_on(client, draft, interviewer):
    QuoteFactory(session=draft, item="companionship", position=0, text=PHONE)
    client.force_login(interviewer)
    response = post_feel(
        client, draft, **{"quotes:companionship": ["Ring me any time."], "go": "next"}
    )
    assert response.url == section_url(draft, "helps")


def test_add_another_quote_still_adds_a_box_after_the_warning(client, draft, interviewer):
    client.force_login(interviewer)
    response = post_feel(
        client, draft, **{"quotes:companionship": [PHONE], "add_quote": "companionship"}
    )
    assert response.url == section_url(draft) + "?check=quotes&add=companionship"
    page = client.get(response.url).content.decode()
    assert 'id="quotes-companionship-1"' in page


# The coordinators' review list


def test_the_database_pattern_and_the_python_check_agree_on_this_database():
    # text__regex is REGEXP on SQLite (Python's re) and ~ on PostgreSQL: both must narrow
    # the rows to the same candidates, which Python then confirms.
    session = InterviewSessionFactory()
    texts = {
        "email": "Write to sam.jones@example.org please",
        "phone": "call 020 7946 0018",
        "nhs": "NHS number 943 476 5919",
        "postcode": "near SW1A 2AA, by the park",
        "checksum": "My score was 123 456 7890 on the machine",
        "plain": "The gardening group on Thursdays.",
    }
    quotes = {
        name: QuoteFactory(session=session, position=i, text=text)
        for i, (name, text) in enumerate(texts.items())
    }
    narrowed = set(Quote.objects.filter(text__regex=ANY_IDENTIFIER).values_list("pk", flat=True))
    assert narrowed == {q.pk for name, q in quotes.items() if name != "plain"}
    confirmed = {pk: found for pk, found in quotes_with_identifiers()}
    assert set(confirmed) == {q.pk for n, q in quotes.items() if n not in ("plain", "checksum")}
    assert confirmed[quotes["nhs"].pk] == ["an NHS number"]


def review_url(page=None):
    url = reverse(REVIEW)
    return f"{url}?page={page}" if page else url


def test_coordinators_see_quotes_that_may_identify_someone(client, coordinator):
    session = InterviewSessionFactory(participant_code="LSI-900")
    QuoteFactory(session=session, item="what_helped", text=PHONE)
    QuoteFactory(session=session, text="My score was 123 456 7890 on the machine")
    QuoteFactory(session=session, text="Nothing to see here.")
    client.force_login(coordinator)
    response = client.get(review_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 quote to check" in page
    assert PHONE in page
    assert "a phone number" in page
    assert "123 456 7890" not in page  # the database's false alarm, dropped in Python
    assert "Nothing to see here." not in page
    change = reverse("admin:interviews_interviewsession_change", args=[session.pk])
    assert f'href="{change}"' in page
    assert "LSI-900" in page


def test_the_review_list_is_for_coordinators_only(client, analyst, interviewer):
    client.force_login(analyst)
    assert client.get(review_url()).status_code == 403
    client.force_login(interviewer)
    response = client.get(review_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_review_list_sends_anonymous_visitors_to_log_in(client):
    response = client.get(review_url())
    assert response.status_code == 302
    assert "login" in response.url


def test_the_review_list_is_paginated_and_bad_page_numbers_are_not_errors(
    client, coordinator, monkeypatch
):
    session = InterviewSessionFactory()
    for i in range(3):
        QuoteFactory(session=session, position=i, text=f"Email me{i}@example.org")
    client.force_login(coordinator)
    monkeypatch.setattr(InterviewSessionAdmin, "identifiers_per_page", 2)
    first = client.get(review_url()).content.decode()
    second = client.get(review_url(2)).content.decode()
    assert client.get(review_url("nonsense")).status_code == 200
    assert client.get(review_url(99)).status_code == 200
    assert "3 quotes to check, page 1 of 2" in first
    assert "Next page" in first
    assert "page 2 of 2" in second
    assert sum(f"me{i}@example.org" in first + second for i in range(3)) == 3


def test_the_review_list_query_count_does_not_grow_with_rows(client, coordinator):
    counts = []
    for quotes in (1, 10):
        session = InterviewSessionFactory()
        for i in range(quotes):
            QuoteFactory(session=session, position=i, text=f"Call 07700 900{i:03d}")
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(review_url()).status_code == 200
        counts.append(len(captured))
    # login session, user, their roles and permissions; the candidates (pk, text); the page's
    # quotes with their sessions
    assert counts == [5, 5]


def test_quotes_of_verified_records_are_listed_too(client, coordinator, interviewer, partner):
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    QuoteFactory(session=session, text="Find me at W2 1AA")
    services.session_submit(session=session, user=interviewer)
    services.session_verify(session=session, user=partner)
    client.force_login(coordinator)
    page = client.get(review_url()).content.decode()
    assert "Find me at W2 1AA" in page and "Verified" in page
