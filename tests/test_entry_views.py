"""The interviewers' pages: access, the no-JavaScript paths, autosave and pinned query counts."""

import datetime
import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interviews import schedule
from interviews.models import (
    InterviewSession,
    ItemAnswer,
    Quote,
    SessionAccess,
    SessionEvent,
    Withdrawal,
)
from interviews.selectors import missing_fields, session_values
from interviews.services import sessions as services
from interviews.views.presenter import _summary
from tests.factories import (
    ConsentRecordFactory,
    DemographicsFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    QuoteFactory,
    complete_session,
    site,
)

pytestmark = pytest.mark.django_db

ALL_ITEMS = list(schedule.Item.values)


@pytest.fixture
def draft(interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    return session


@pytest.fixture
def submitted(interviewer, partner):
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    return services.session_submit(session=session, user=interviewer)


def page_url(name, session, *args):
    return reverse(f"interviews:{name}", args=[session.pk, *args])


def autosave(client, session, changes, version=None):
    session.refresh_from_db()
    body = {"version": session.version if version is None else version, "changes": changes}
    return client.post(page_url("autosave", session), json.dumps(body), "application/json")


def original_of(response) -> str:
    found = re.search(r'name="original" value="([^"]*)"', response.content.decode())
    return html.unescape(found.group(1))


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


@pytest.mark.parametrize(("name", "args"), [*SESSION_PAGES, ("check", ()), ("reopen", ())])
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
    # session, user, roles, the sessions with their site and both interviewers, and the
    # session row saved again (savepoint, update, release: SESSION_SAVE_EVERY_REQUEST)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url)
    assert response.content.decode().count("ufm-session-card") == 10
    assert len(one) == len(ten) == 7


# Start


def start_data(partner, **overrides):
    return {
        "participant_code": "lsi-300 ",
        "interview_date": "2018-04-12",
        "site": site().pk,
        "partner": partner.pk,
        **overrides,
    }


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
        ItemAnswer.objects.create(session=session, item=item, answer="often")


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
        DemographicsFactory(session=draft)
    if stored.get("some_demographics"):
        DemographicsFactory(session=draft, borough="")
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
            "sees": ["friends", "family"],
            "go": "back",
        },
    )
    assert response.url == page_url("section", draft, "helps")
    assert session_values(draft)["sees"] == ["family", "friends"]


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
    assert not ItemAnswer.objects.exists()


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


def test_autosave_saves_and_answers_the_new_version(client, draft, interviewer):
    client.force_login(interviewer)
    response = autosave(client, draft, {"demo:gender": {"old": "", "new": "non_binary"}})
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2
    assert body["applied"] == ["demo:gender"]
    assert re.fullmatch(r"\d\d:\d\d", body["saved_at_display"])


def test_autosave_from_a_stale_version_merges_and_reports_conflicts(
    client, draft, interviewer, partner
):
    client.force_login(partner)
    autosave(client, draft, {"answer:help": {"old": "", "new": "often"}}, version=1)
    client.force_login(interviewer)
    response = autosave(
        client,
        draft,
        {
            "answer:help": {"old": "", "new": "hardly_ever"},
            "answer:left_out": {"old": "", "new": "often"},
        },
        version=1,
    )
    body = response.json()
    assert body["applied"] == ["answer:left_out"]
    [conflict] = body["conflicts"]
    assert conflict["field"] == "answer:help"
    assert (conflict["yours_display"], conflict["theirs_display"]) == ("Hardly ever", "Often")
    assert session_values(draft)["answer:help"] == "often"


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"version": "1", "changes": {}}', b'{"changes": {}}'],
)
def test_autosave_that_is_not_understood_is_400(client, draft, interviewer, body):
    client.force_login(interviewer)
    response = client.post(page_url("autosave", draft), body, "application/json")
    assert response.status_code == 400
    assert "error" in response.json()


def test_autosave_with_a_bad_value_is_400_and_saves_nothing(client, draft, interviewer):
    client.force_login(interviewer)
    response = autosave(
        client,
        draft,
        {
            "demo:carer": {"old": "", "new": "yes"},
            "quotes:help": {"old": [], "new": ["x" * 6000]},
        },
    )
    assert response.status_code == 400
    assert "longer than 5000" in response.json()["error"]
    assert session_values(draft)["demo:carer"] == ""


def test_autosave_of_half_a_character_is_400_and_saves_nothing(client, draft, interviewer):
    # A lone surrogate ("\\ud800" in the JSON) cannot be stored: it was a 500. Found by
    # tests/test_fuzz.py.
    client.force_login(interviewer)
    response = autosave(client, draft, {"quotes:help": {"old": [], "new": ["a\ud800"]}})
    assert response.status_code == 400
    assert "cannot be saved" in response.json()["error"]
    assert not Quote.objects.filter(session=draft).exists()


def test_autosave_drops_nul_characters_from_quotes(client, draft, interviewer):
    # PostgreSQL refuses NUL in text: this was a 500 there. Found by tests/test_fuzz.py.
    client.force_login(interviewer)
    response = autosave(client, draft, {"quotes:help": {"old": [], "new": ["a\x00b"]}})
    assert response.status_code == 200
    assert session_values(draft)["quotes:help"] == ["ab"]


def test_autosave_of_an_oversized_body_is_400(client, draft, interviewer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(interviewer)
    response = autosave(client, draft, {"quotes:help": {"old": [], "new": ["x" * 2000]}})
    assert response.status_code == 400
    assert "too much" in response.json()["error"]


def test_autosave_refuses_locked_records_other_pairs_other_roles_and_no_consent(
    client, draft, submitted, interviewer, analyst
):
    change = {"answer:help": {"old": "", "new": "often"}}
    client.force_login(interviewer)
    response = autosave(client, submitted, change)
    assert response.status_code == 409
    assert response.json()["locked"] is True
    unconsented = InterviewSessionFactory(interviewer_1=interviewer)
    assert autosave(client, unconsented, change).status_code == 409
    client.force_login(InterviewerFactory())
    assert autosave(client, draft, change).status_code == 404
    client.force_login(analyst)
    assert autosave(client, draft, change).status_code == 403
    assert not ItemAnswer.objects.filter(session=draft).exists()


def test_autosave_needs_a_post(client, draft, interviewer):
    client.force_login(interviewer)
    assert client.get(page_url("autosave", draft)).status_code == 405


# Review and submit


def test_submit_lists_what_is_missing_with_links(client, draft, interviewer):
    client.force_login(interviewer)
    response = client.post(page_url("review", draft))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    link = page_url("section", draft, "about") + "#demo-borough-0"
    assert f'href="{link}"' in page
    draft.refresh_from_db()
    assert draft.status == InterviewSession.Status.DRAFT


def test_submit_sends_a_complete_record_to_the_partner(client, interviewer, partner):
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    client.force_login(interviewer)
    response = client.post(page_url("review", session), follow=True)
    assert f"Sent to {partner.username} for checking" in response.content.decode()
    session.refresh_from_db()
    assert session.status == InterviewSession.Status.SUBMITTED
    # The submitter now reads the summary; the partner is sent to check it.
    assert client.get(page_url("session", session)).url == page_url("review", session)
    client.force_login(partner)
    assert client.get(page_url("session", session)).url == page_url("check", session)


# The partner's check


def test_the_partner_verifies(client, submitted, partner):
    client.force_login(partner)
    page = client.get(page_url("check", submitted)).content.decode()
    assert "Verify the record" in page
    client.post(page_url("check", submitted), {"action": "verify"})
    submitted.refresh_from_db()
    assert submitted.status == InterviewSession.Status.VERIFIED
    assert submitted.verified_by == partner


def test_the_partner_returns_with_a_note_shown_to_the_submitter(
    client, submitted, interviewer, partner
):
    client.force_login(partner)
    response = client.post(page_url("check", submitted), {"action": "return", "note": ""})
    assert response.status_code == 400
    assert "Write what needs correcting" in response.content.decode()
    client.post(page_url("check", submitted), {"action": "return", "note": "Age is 35-44."})
    client.force_login(interviewer)
    page = client.get(page_url("section", submitted, "feel")).content.decode()
    assert "Your partner returned this record to you" in page
    assert "Age is 35-44." in page
    assert SessionEvent.objects.filter(session=submitted, kind="returned").exists()


def test_the_submitter_cannot_check_their_own_record(client, submitted, interviewer):
    client.force_login(interviewer)
    assert client.get(page_url("check", submitted)).status_code == 403
    assert client.post(page_url("check", submitted), {"action": "verify"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == InterviewSession.Status.SUBMITTED


def test_checking_a_draft_is_refused(client, draft, partner):
    client.force_login(partner)
    assert client.post(page_url("check", draft), {"action": "verify"}).status_code == 409


# The coordinator's reopen


def test_a_coordinator_reopens_with_a_reason(client, submitted, partner, coordinator):
    services.session_verify(session=submitted, user=partner)
    client.force_login(coordinator)
    assert client.get(page_url("reopen", submitted)).status_code == 200
    response = client.post(page_url("reopen", submitted), {"note": ""})
    assert response.status_code == 400
    response = client.post(page_url("reopen", submitted), {"note": "Wrong site."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == InterviewSession.Status.DRAFT
    assert SessionEvent.objects.get(session=submitted, kind="reopened").note == "Wrong site."


def test_the_reopen_page_goes_back_to_the_record_in_the_admin(
    client, submitted, partner, coordinator
):
    services.session_verify(session=submitted, user=partner)
    client.force_login(coordinator)
    change = reverse("admin:interviews_interviewsession_change", args=[submitted.pk])
    assert f'href="{change}"' in client.get(page_url("reopen", submitted)).content.decode()
    response = client.post(page_url("reopen", submitted), {"note": "Wrong site."})
    assert response.url == change


def test_the_admin_page_of_a_verified_record_offers_coordinators_to_reopen_it(
    client, submitted, partner, coordinator, analyst
):
    change = reverse("admin:interviews_interviewsession_change", args=[submitted.pk])
    reopen = f'href="{page_url("reopen", submitted)}"'
    client.force_login(coordinator)
    assert reopen not in client.get(change).content.decode()  # submitted, not verified
    services.session_verify(session=submitted, user=partner)
    page = client.get(change).content.decode()
    assert reopen in page and "Reopen this record" in page
    client.force_login(analyst)
    assert reopen not in client.get(change).content.decode()


def test_reopen_is_for_coordinators_only(client, submitted, interviewer, analyst):
    for user in (interviewer, analyst):
        client.force_login(user)
        assert client.get(page_url("reopen", submitted)).status_code == 403


def test_reopening_what_is_not_verified_or_does_not_exist(client, submitted, coordinator):
    client.force_login(coordinator)
    assert client.get(page_url("reopen", submitted)).status_code == 409
    assert client.get(reverse("interviews:reopen", args=[99999])).status_code == 404


# Query counts, the same for 1 and 10 quotes


def queries(client, method, url, *args):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, *args)
    assert response.status_code in (200, 302), response.content[:500]
    return len(captured)


def add_quotes(session, count):
    for item in ("companionship", "what_helped"):
        for position in range(count):
            QuoteFactory(session=session, item=item, position=position)


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        # session, user, roles, the session; the consent gate (the session with its
        # withdrawal and consent record, locked inside a transaction; the statements with
        # their answers), quotes allowed; access log; answers, quotes, demographics, sees;
        # the login session saved (3)
        ("section", ("feel",), 15),
        ("section", ("helps",), 15),
        ("section", ("about",), 15),
        ("review", (), 15),
    ],
)
def test_session_pages_query_count_does_not_grow_with_quotes(
    client, interviewer, partner, name, args, expected
):
    counts = []
    for count in (1, 10):
        session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
        add_quotes(session, count)
        client.force_login(interviewer)
        counts.append(queries(client, "get", page_url(name, session, *args)))
    assert counts == [expected, expected]


def test_check_page_query_count_does_not_grow_with_quotes(client, interviewer, partner):
    counts = []
    for count in (1, 10):
        session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
        add_quotes(session, count)
        services.session_submit(session=session, user=interviewer)
        client.force_login(partner)
        counts.append(queries(client, "get", page_url("check", session)))
    # session, user, roles, the session; access log; quotes allowed; answers, quotes,
    # demographics, sees; the consent record (with its version and both interviewers), its
    # answers with their statements; the login session saved (3)
    assert counts[0] == counts[1] == 16


def test_autosave_query_count_does_not_grow_with_quotes(client, interviewer, partner):
    counts = []
    for count in (1, 10):
        session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
        add_quotes(session, count)
        texts = list(
            Quote.objects.filter(session=session, item="companionship").values_list(
                "text", flat=True
            )
        )
        client.force_login(interviewer)
        body = {
            "version": session.version,
            "changes": {
                "quotes:companionship": {"old": texts, "new": [*texts[:-1], "Edited."]},
                "answer:help": {"old": "some_of_the_time", "new": "often"},
            },
        }
        counts.append(
            queries(
                client, "post", page_url("autosave", session), json.dumps(body), "application/json"
            )
        )
    # session, user, roles, the session; in the transaction: lock the row, the consent gate
    # (2, and 1 more for quotes allowed), read the four tables, update one answer (with
    # history), update one quote (with history), bump the version; the login session saved
    # (3). The other nine quotes are not touched.
    assert counts[0] == counts[1] == 27


def test_review_marks_missing_what_submit_refuses(draft):
    """The summary's "not answered" marks are the submit rule's, whatever is answered."""
    ItemAnswer.objects.create(session=draft, item="companionship", answer="often")
    values = session_values(draft)
    marked = {
        row["key"]
        for section in _summary(draft, values, with_quotes=True)
        for row in section["rows"]
        if row.get("missing")
    }
    assert marked == set(missing_fields(values))
    assert "answer:companionship" not in marked
    assert "demo:borough" in marked
