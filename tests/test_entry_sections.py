"""The interviewers' pages without JavaScript: start, resume, and each section's Back, Next and
Save."""

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Answer, InterviewSession, Quote, SessionAccess
from interviews.selectors import session_values
from interviews.services import sessions as services
from tests.entry_pages import ALL_ITEMS, autosave, original_of, page_url, start_data
from tests.factories import (
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    ItemAnswerFactory,
    QuoteFactory,
    demographics_answer,
)

pytestmark = pytest.mark.django_db


def test_start_creates_the_session_and_goes_on_to_consent(client, interviewer, partner):
    client.force_login(interviewer)
    response = client.get(reverse("interviews:start"))
    assert str(timezone.localdate()) in response.content.decode()  # today by default
    assert interviewer.username not in response.content.decode().split("Who are you")[1]
    response = client.post(reverse("interviews:start"), start_data(partner))
    session = InterviewSession.objects.get()
    assert session.participant_code == "LSI-300"
    assert response.url == page_url("session", session)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"participant_code": "Mary Jones"}, "2 to 20 capital letters"),
        ({"participant_code": "LSI-001"}, "already used by another interview"),
        ({"interview_date": "2999-01-01"}, "cannot be in the future"),
        ({"site": ""}, "Choose where the interview is happening"),
    ],
)
def test_start_says_what_to_do_about_bad_input(client, interviewer, partner, overrides, message):
    InterviewSessionFactory(participant_code="LSI-001")
    client.force_login(interviewer)
    response = client.post(reverse("interviews:start"), start_data(partner, **overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert InterviewSession.objects.count() == 1


def test_start_does_not_offer_oneself_or_inactive_interviewers(client, interviewer):
    retired = InterviewerFactory(is_active=False)
    client.force_login(interviewer)
    response = client.post(reverse("interviews:start"), start_data(retired))
    assert response.status_code == 400
    assert not InterviewSession.objects.exists()
    response = client.post(reverse("interviews:start"), start_data(interviewer))
    assert response.status_code == 400


# The sections without JavaScript


def answer_items(session, items):
    for item in items:
        ItemAnswerFactory(session=session, item=item, answer="often")


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ({}, ("section", "feel")),
        ({"items": ["companionship", "left_out"]}, ("section", "feel")),
        ({"items": ALL_ITEMS}, ("section", "helps")),
        ({"items": ALL_ITEMS, "quote": True}, ("section", "about")),
        ({"items": ALL_ITEMS, "quote": True, "some_demographics": True}, ("section", "about")),
        ({"items": ALL_ITEMS[:4], "demographics": True}, ("section", "feel")),
        # Nothing is missing: an empty "What helps" is an answer too (nothing said).
        ({"items": ALL_ITEMS, "demographics": True}, ("review",)),
    ],
)
def test_opening_a_session_resumes_where_the_pair_left_off(
    client, draft, interviewer, stored, expected
):
    answer_items(draft, stored.get("items", []))
    if stored.get("quote"):
        QuoteFactory(session=draft, item="what_helped", position=0)
    if stored.get("demographics"):
        demographics_answer(draft)
    if stored.get("some_demographics"):
        demographics_answer(draft, borough="")
    client.force_login(interviewer)
    response = client.get(page_url("session", draft))
    assert response.status_code == 302
    assert response.url == page_url(expected[0], draft, *expected[1:])


def test_without_quote_consent_an_empty_what_helps_is_not_where_it_resumes(
    client, interviewer, partner
):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session, answers={"quotes": False})
    answer_items(session, ALL_ITEMS)
    client.force_login(interviewer)
    assert client.get(page_url("session", session)).url == page_url("section", session, "about")


def test_a_session_without_consent_shows_the_consent_step(client, interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    client.force_login(interviewer)
    response = client.get(page_url("section", session, "feel"))
    assert response.status_code == 302
    assert response.url == reverse("interviews:consent", args=[session.pk])


def test_the_feel_section_shows_each_question_as_asked_with_the_prompt(client, draft, interviewer):
    client.force_login(interviewer)
    page = client.get(page_url("section", draft, "feel")).content.decode()
    assert "For each one, tell me how often you feel that way." in page
    assert "How often do you feel that you lack companionship?" in page
    assert page.count('type="radio"') == 5 * 4
    assert page.count("Add another quote") == 5
    assert "Step 1 of 4" in page


def test_next_saves_the_section_and_moves_on(client, draft, interviewer):
    client.force_login(interviewer)
    response = client.get(page_url("section", draft, "feel"))
    response = client.post(
        page_url("section", draft, "feel"),
        {
            "version": draft.version,
            "original": original_of(response),
            "answer:companionship": "often",
            "quotes:companionship": ["I have nobody to talk to.", ""],
            "go": "next",
        },
    )
    assert response.url == page_url("section", draft, "helps")
    values = session_values(draft)
    assert values["answer:companionship"] == "often"
    assert values["quotes:companionship"] == ["I have nobody to talk to."]


def test_back_saves_too(client, draft, interviewer):
    client.force_login(interviewer)
    response = client.get(page_url("section", draft, "about"))
    response = client.post(
        page_url("section", draft, "about"),
        {
            "version": draft.version,
            "original": original_of(response),
            "demo:carer": "yes",
            "ticks:sees": ["friends", "family"],
            "go": "back",
        },
    )
    assert response.url == page_url("section", draft, "helps")
    assert session_values(draft)["ticks:sees"] == ["family", "friends"]


def test_add_another_quote_works_without_javascript(client, draft, interviewer):
    client.force_login(interviewer)
    response = client.get(page_url("section", draft, "helps"))
    response = client.post(
        page_url("section", draft, "helps"),
        {
            "version": draft.version,
            "original": original_of(response),
            "quotes:what_helped": ["My peer group."],
            "add_quote": "what_helped",
        },
    )
    assert "?add=what_helped" in response.url
    page = client.get(response.url).content.decode()
    assert page.count('name="quotes:what_helped"') == 2
    assert "autofocus" in page
    assert session_values(draft)["quotes:what_helped"] == ["My peer group."]


def test_remove_works_without_javascript(client, draft, interviewer):
    QuoteFactory(session=draft, item="what_else", position=0, text="One")
    QuoteFactory(session=draft, item="what_else", position=1, text="Two")
    client.force_login(interviewer)
    response = client.get(page_url("section", draft, "helps"))
    client.post(
        page_url("section", draft, "helps"),
        {
            "version": draft.version,
            "original": original_of(response),
            "quotes:what_else": ["One", "Two"],
            "remove_quote": "what_else:0",
        },
    )
    assert session_values(draft)["quotes:what_else"] == ["Two"]


def test_a_page_post_does_not_undo_the_partners_saves(client, draft, interviewer, partner):
    client.force_login(interviewer)
    response = client.get(page_url("section", draft, "feel"))
    # The partner answers another question while this page is open.
    services.answers_save(
        session=draft, user=partner, version=1, changes={"answer:help": {"old": "", "new": "often"}}
    )
    client.post(
        page_url("section", draft, "feel"),
        {"version": 1, "original": original_of(response), "answer:isolation": "hardly_ever"},
    )
    values = session_values(draft)
    assert values["answer:help"] == "often"
    assert values["answer:isolation"] == "hardly_ever"


def test_a_page_post_shows_both_values_of_a_conflict(client, draft, interviewer, partner):
    client.force_login(interviewer)
    response = client.get(page_url("section", draft, "feel"))
    services.answers_save(
        session=draft, user=partner, version=1, changes={"answer:help": {"old": "", "new": "often"}}
    )
    response = client.post(
        page_url("section", draft, "feel"),
        {"version": 1, "original": original_of(response), "answer:help": "hardly_ever"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "your partner saved <strong>Often</strong>" in page
    assert "you entered <strong>Hardly ever</strong>" in page
    assert session_values(draft)["answer:help"] == "often"
    # Saving again from this page keeps the interviewer's choice.
    client.post(
        page_url("section", draft, "feel"),
        {"version": 2, "original": original_of(response), "answer:help": "hardly_ever"},
    )
    assert session_values(draft)["answer:help"] == "hardly_ever"


def test_a_page_post_with_a_bad_code_shows_the_error_summary(client, draft, interviewer):
    client.force_login(interviewer)
    response = client.get(page_url("section", draft, "feel"))
    response = client.post(
        page_url("section", draft, "feel"),
        {
            "version": 1,
            "original": original_of(response),
            "answer:help": "always",
            "answer:isolation": "often",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#answer-help-0"' in page
    assert not Answer.objects.exists()


def test_a_page_post_without_its_version_is_a_clear_400(client, draft, interviewer):
    client.force_login(interviewer)
    response = client.post(page_url("section", draft, "feel"), {"answer:help": "often"})
    assert response.status_code == 400
    assert "out of date" in response.content.decode()


def test_an_oversized_page_post_is_a_clear_400(client, draft, interviewer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(interviewer)
    response = client.post(
        page_url("section", draft, "helps"),
        {"version": 1, "original": "{}", "quotes:what_else": ["x" * 2000]},
    )
    assert response.status_code == 400
    assert "too much to save in one go" in response.content.decode()
    assert not Quote.objects.exists()


def test_without_quote_consent_there_are_no_quote_boxes_and_quotes_are_refused(
    client, interviewer, partner
):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session, answers={"quotes": False})
    client.force_login(interviewer)
    page = client.get(page_url("section", session, "feel")).content.decode()
    assert "did not agree to be quoted" in page
    assert "Add another quote" not in page
    response = autosave(client, session, {"quotes:help": {"old": [], "new": ["Words"]}})
    assert response.status_code == 403
    assert "did not agree to be quoted" in response.json()["error"]
    assert not Quote.objects.exists()


def test_a_submitted_record_cannot_be_changed_by_a_page_post(client, submitted, interviewer):
    client.force_login(interviewer)
    response = client.post(
        page_url("section", submitted, "feel"),
        {"version": 1, "original": "{}", "answer:help": "often"},
    )
    assert response.status_code == 409
    assert "submitted for checking" in response.content.decode()


def test_opening_a_session_page_is_recorded(client, draft, interviewer):
    client.force_login(interviewer)
    client.get(page_url("section", draft, "about"))
    client.get(page_url("review", draft))
    accesses = SessionAccess.objects.filter(session=draft, user=interviewer)
    assert sorted(accesses.values_list("path", flat=True)) == [
        page_url("review", draft),
        page_url("section", draft, "about"),
    ]


# Autosave
