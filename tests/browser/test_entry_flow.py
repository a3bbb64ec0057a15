"""Paired data entry in a real browser: two interviewers, two devices, lost wifi, conflicts,
the keyboard alone, and axe on every interviewer page."""

import re

import pytest
from playwright.sync_api import expect

from interviews.models import Evaluation, InterviewSession
from interviews.schedules import Schedule, schedule_of
from interviews.selectors import session_values
from interviews.services import sessions as services
from interviews.services.evaluations import evaluation_import
from interviews.workbooks import read_workbook
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import ConsentRecordFactory, InterviewSessionFactory, complete_session
from tests.workbook_examples import EXAMPLE

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = re.compile(r"^Saved \d\d:\d\d$")


def loneliness() -> Schedule:
    return schedule_of(Evaluation.objects.get(code="loneliness-2018"))


def give_consent(session: InterviewSession) -> None:
    """Consent for tests whose subject is a later step (the whole flow uses the real page)."""
    ConsentRecordFactory(session=session)


def consent_on_the_page(page, partner, statements: int = 5) -> None:
    """The consent step as the interviewers do it: every statement read out and agreed."""
    for number in range(1, statements + 1):
        page.get_by_role("group", name=f"{number}.").get_by_label("Yes", exact=True).check()
    page.get_by_label("Signed paper form").check()
    page.get_by_label(f"{partner.username} witnessed this consent").check()
    page.get_by_role("button", name="Save consent").click()


def watch_csp(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def open_section(page, session, slug):
    page.goto(f"/interviews/{session.pk}/section/{slug}/")
    expect(page.locator("#save-status")).to_have_text("Your answers save as you type.")


def status(page):
    return page.locator("#save-status")


def consented_draft(interviewer, partner) -> InterviewSession:
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    give_consent(session)
    return session


def test_a_whole_interview_by_a_pair_on_two_devices(new_context, interviewer, partner):
    page = new_context().new_page()
    csp = watch_csp(page)
    log_in(page, interviewer)
    expect(page.get_by_role("heading", name="My interviews")).to_be_visible()
    check_accessibility(page, "entry-my-interviews-empty")

    page.get_by_role("link", name="Start a new interview").click()
    check_accessibility(page, "entry-start")
    page.get_by_label("Participant code").fill("lsi-023")
    page.get_by_label("Pall Mall CMHT").check()
    page.get_by_label("Who are you interviewing with?").select_option(label=partner.username)
    page.get_by_role("button", name="Continue to consent").click()
    session = InterviewSession.objects.get(participant_code="LSI-023")
    assert session.interviewer_2 == partner

    consent_on_the_page(page, partner)
    expect(page.get_by_role("heading", name="How you feel")).to_be_visible()
    expect(page.get_by_text(loneliness().question("items_prompt").label)).to_be_visible()
    check_accessibility(page, "entry-section-feel")
    for i, item in enumerate(q.code for q in loneliness().items):
        page.locator(f"#answer-{item.replace('_', '-')}-{i % 4}").check()
    page.locator("#quotes-companionship-0").fill("Some days I don't speak to anyone.")
    question = "How often do you feel that you lack companionship?"
    page.get_by_role("button", name=f"Add another quote for: {question}").click()
    expect(page.locator("#quotes-companionship-1")).to_be_focused()
    page.keyboard.type("My cat is my company.")
    page.locator("#quotes-help-0").click()  # leaving the box saves it
    expect(status(page)).to_have_text(SAVED)
    page.get_by_role("button", name="Next: What helps").click()

    expect(page.get_by_role("heading", name="What helps")).to_be_visible()
    check_accessibility(page, "entry-section-helps")
    page.get_by_label("Quote 1 for: What, if anything, has helped").fill("The peer group.")
    page.get_by_label("Quote 1 for: What else could help").fill("Cheaper buses.")
    page.get_by_role("button", name="Next: About you").click()

    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    check_accessibility(page, "entry-section-about")
    for q in loneliness().variables:
        page.locator(f"#demo-{q.code.replace('_', '-')}-0").check()
    page.get_by_role("checkbox", name="Friends").check()
    page.get_by_role("checkbox", name="Health professionals").check()
    page.get_by_role("button", name="Next: Check and submit").click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("“My cat is my company.”")).to_be_visible()
    check_accessibility(page, "entry-review")
    page.get_by_role("button", name="Submit for checking").click()
    expect(page.get_by_text(f"Sent to {partner.username} for checking")).to_be_visible()
    check_accessibility(page, "entry-my-interviews-waiting")

    other = new_context().new_page()
    other_csp = watch_csp(other)
    log_in(other, partner)
    expect(other.get_by_role("heading", name="Waiting for my verification")).to_be_visible()
    other.get_by_role("link", name="LSI-023").click()
    expect(other.get_by_role("heading", name="Check the record")).to_be_visible()
    expect(other.get_by_text("“Cheaper buses.”")).to_be_visible()
    check_accessibility(other, "entry-verify")
    other.get_by_role("button", name="Verify the record").click()
    expect(other.get_by_text("LSI-023 is verified")).to_be_visible()

    session.refresh_from_db()
    assert session.status == InterviewSession.Status.VERIFIED
    assert session.verified_by == partner
    values = session_values(session)
    assert values["quotes:companionship"] == [
        "Some days I don't speak to anyone.",
        "My cat is my company.",
    ]
    assert values["quotes:what_else"] == ["Cheaper buses."]
    assert values["ticks:sees"] == ["friends", "health_professionals"]
    assert values["answer:left_out"] == "often"  # the fifth item, first choice
    assert csp == other_csp == []


def test_the_returned_record_shows_the_note_to_the_submitter(new_context, interviewer, partner):
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    services.session_submit(session=session, user=interviewer)
    checker = new_context().new_page()
    log_in(checker, partner)
    checker.goto(f"/interviews/{session.pk}/")
    checker.get_by_role("button", name=f"Return it to {interviewer.username}").click()
    expect(checker.get_by_role("alert")).to_contain_text("Write what needs correcting")
    check_accessibility(checker, "entry-verify-error")
    checker.get_by_label("What needs correcting?").fill("Age band should be 35-44.")
    checker.get_by_role("button", name=f"Return it to {interviewer.username}").click()

    page = new_context().new_page()
    log_in(page, interviewer)
    expect(page.get_by_role("heading", name="Returned to me")).to_be_visible()
    expect(page.get_by_text("Note: Age band should be 35-44.")).to_be_visible()
    check_accessibility(page, "entry-my-interviews-returned")
    page.get_by_role("link", name=session.participant_code).click()
    expect(page.get_by_text("Your partner returned this record to you")).to_be_visible()
    expect(page.get_by_text("Age band should be 35-44.")).to_be_visible()
    check_accessibility(page, "entry-returned")


def test_submitting_an_incomplete_record_links_to_what_is_missing(page, interviewer, partner):
    session = consented_draft(interviewer, partner)
    log_in(page, interviewer)
    page.goto(f"/interviews/{session.pk}/review/")
    page.get_by_role("button", name="Submit for checking").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    check_accessibility(page, "entry-review-missing")
    summary.get_by_role("link", name=re.compile("Who do you live with")).click()
    expect(page).to_have_url(re.compile(r"/section/about/#demo-living-arrangement-0$"))


def test_nothing_is_lost_when_the_wifi_drops(new_context, interviewer, partner):
    session = consented_draft(interviewer, partner)
    context = new_context()
    page = context.new_page()
    log_in(page, interviewer)
    open_section(page, session, "feel")
    page.locator("#quotes-companionship-0").fill("Before the wifi went.")
    page.locator("#answer-companionship-0").check()
    expect(status(page)).to_have_text(SAVED)

    context.set_offline(True)
    page.locator("#quotes-isolation-0").fill("Typed with no connection.")
    page.locator("#answer-isolation-1").check()
    expect(status(page)).to_have_text(
        "Warning: Not saved yet – no connection, your answers are kept on this device"
    )
    assert "Typed with no connection." in page.evaluate("JSON.stringify(localStorage)")

    context.set_offline(False)
    expect(status(page)).to_have_text(SAVED, timeout=15_000)
    page.reload()
    expect(page.locator("#quotes-isolation-0")).to_have_value("Typed with no connection.")
    expect(page.locator("#answer-isolation-1")).to_be_checked()
    values = session_values(session)
    assert values["quotes:companionship"] == ["Before the wifi went."]
    assert values["quotes:isolation"] == ["Typed with no connection."]
    assert values["answer:isolation"] == "some_of_the_time"


def test_answers_typed_offline_are_sent_when_the_page_is_opened_again(
    new_context, interviewer, partner
):
    session = consented_draft(interviewer, partner)
    context = new_context()
    page = context.new_page()
    log_in(page, interviewer)
    open_section(page, session, "helps")
    # No connection for this page. (Not set_offline: closing an offline page lets its last
    # retry through as the emulation is detached, which a flat battery would not.)
    page.route("**/autosave/", lambda route: route.abort("internetdisconnected"))
    page.locator("#quotes-what-else-0").fill("A place to go on Sundays.")
    page.keyboard.press("Tab")
    expect(status(page)).to_contain_text("Not saved yet – no connection")
    page.close()  # the tablet's battery ran out
    assert session_values(session)["quotes:what_else"] == []

    again = context.new_page()
    again.goto(f"/interviews/{session.pk}/section/helps/")
    expect(again.locator("#quotes-what-else-0")).to_have_value("A place to go on Sundays.")
    expect(status(again)).to_have_text(SAVED)
    assert session_values(session)["quotes:what_else"] == ["A place to go on Sundays."]


def test_leaving_with_unsaved_changes_asks_first(page, interviewer, partner):
    session = consented_draft(interviewer, partner)
    log_in(page, interviewer)
    open_section(page, session, "helps")
    page.route("**/autosave/", lambda route: route.abort())  # never reaches the server
    page.locator("#quotes-what-else-0").fill("Unsaved words.")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.get_by_role("link", name="My interviews").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(page.locator("#quotes-what-else-0")).to_have_value("Unsaved words.")


def test_two_devices_merge_different_answers_and_choose_on_a_conflict(
    new_context, interviewer, partner
):
    session = consented_draft(interviewer, partner)
    mine = new_context().new_page()
    theirs = new_context().new_page()
    log_in(mine, interviewer)
    log_in(theirs, partner)
    open_section(mine, session, "feel")
    open_section(theirs, session, "feel")

    # Different questions on each device: both kept.
    theirs.locator("#quotes-help-0").fill("My sister helps.")
    theirs.locator("#answer-companionship-0").check()  # Often
    expect(status(theirs)).to_have_text(SAVED)
    mine.locator("#quotes-left-out-0").fill("At the day centre, never.")
    mine.keyboard.press("Tab")
    expect(status(mine)).to_have_text(SAVED)

    # The same question on both: this device is asked, nothing is overwritten.
    mine.locator("#answer-companionship-2").check()  # Hardly ever
    conflict = mine.get_by_role("group", name=re.compile("Your partner also changed"))
    expect(conflict).to_contain_text("Your partner saved: Often")
    expect(conflict).to_contain_text("You entered: Hardly ever")
    check_accessibility(mine, "entry-conflict")
    assert session_values(session)["answer:companionship"] == "often"
    conflict.get_by_role("button", name="Keep my answer").click()
    expect(conflict).to_have_count(0)
    expect(status(mine)).to_have_text(SAVED)

    values = session_values(session)
    assert values["answer:companionship"] == "hardly_ever"
    assert values["quotes:help"] == ["My sister helps."]
    assert values["quotes:left_out"] == ["At the day centre, never."]
    theirs.reload()
    expect(theirs.locator("#answer-companionship-2")).to_be_checked()
    expect(theirs.locator("#quotes-left-out-0")).to_have_value("At the day centre, never.")


def test_choosing_the_partners_answer_keeps_it(new_context, interviewer, partner):
    session = consented_draft(interviewer, partner)
    mine = new_context().new_page()
    log_in(mine, interviewer)
    open_section(mine, session, "about")
    services.answers_save(
        session=session, user=partner, version=1, changes={"demo:carer": {"old": "", "new": "yes"}}
    )
    mine.get_by_label("No", exact=True).first.check()
    conflict = mine.get_by_role("group", name=re.compile("Your partner also changed"))
    conflict.get_by_role("button", name="Use my partner's answer").click()
    expect(mine.locator("#demo-carer-0")).to_be_checked()
    mine.reload()
    expect(mine.locator("#demo-carer-0")).to_be_checked()
    assert session_values(session)["demo:carer"] == "yes"


def test_a_section_can_be_completed_with_the_keyboard_alone(page, interviewer, partner):
    session = consented_draft(interviewer, partner)
    log_in(page, interviewer)
    open_section(page, session, "about")

    def focused_id():
        return page.evaluate("document.activeElement.id")

    def tab_to(predicate, limit=40):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if predicate():
                return
        raise AssertionError("the keyboard never reached it")

    tab_to(lambda: focused_id() == "demo-living-arrangement-0")
    demographics = loneliness().demographics
    for q in demographics:
        if q.many:
            assert focused_id() == "ticks-sees-0"
            page.keyboard.press("Space")  # Friends
            tab_to(lambda: focused_id() == "demo-carer-0")
            continue
        assert focused_id() == f"demo-{q.code.replace('_', '-')}-0"
        page.keyboard.press("ArrowDown")  # the second answer (arrows move and choose)
        if q.code != demographics[-1].code:
            page.keyboard.press("Tab")
    tab_to(lambda: page.evaluate("document.activeElement.textContent").startswith("Next"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()

    values = session_values(session)
    for q in loneliness().variables:
        assert values[f"demo:{q.code}"] == q.options[1].code, q.code
    assert values["ticks:sees"] == ["friends"]


def test_the_consent_step_and_the_verified_summary_are_accessible(page, interviewer, partner):
    waiting = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    verified = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    services.session_submit(session=verified, user=partner)
    services.session_verify(session=verified, user=interviewer)
    log_in(page, interviewer)
    page.goto(f"/interviews/{waiting.pk}/")
    check_accessibility(page, "entry-consent-needed")
    page.goto(f"/interviews/{verified.pk}/")
    expect(page.get_by_role("heading", name="Verified record")).to_be_visible()
    check_accessibility(page, "entry-verified")
    page.goto("/interviews/")
    check_accessibility(page, "entry-my-interviews-groups")


def test_the_sections_work_without_javascript(new_context, interviewer, partner):
    session = consented_draft(interviewer, partner)
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, interviewer)
    page.goto(f"/interviews/{session.pk}/section/helps/")
    question = "What else could help people feel less lonely?"
    page.get_by_label(f"Quote 1 for: {question}").fill("Somewhere warm.")
    page.get_by_role("button", name=f"Add another quote for: {question}").click()
    expect(page.get_by_label(f"Quote 2 for: {question}")).to_be_focused()
    page.get_by_label(f"Quote 2 for: {question}").fill("Someone to phone.")
    page.get_by_role("button", name=f"Remove quote 1 for: {question}").click()
    expect(page.get_by_label(f"Quote 1 for: {question}")).to_have_value("Someone to phone.")
    page.get_by_role("button", name=re.compile(r"^Back")).click()
    expect(page.get_by_role("heading", name="How you feel")).to_be_visible()
    assert session_values(session)["quotes:what_else"] == ["Someone to phone."]


def test_a_second_evaluation_is_entered_and_verified_in_the_browser(
    new_context, interviewer, partner
):
    """The crisis-care example, imported from its workbook: its own sections, answer lists,
    hint, tick-all and open question, saved as typed, then submitted and verified."""
    crisis = evaluation_import(read_workbook(EXAMPLE.read_bytes()), dry_run=False).evaluation
    page = new_context().new_page()
    csp = watch_csp(page)
    log_in(page, interviewer)
    # Two evaluations are open: the start page asks which; this one is being designed, so the
    # interview is a practice one.
    page.get_by_role("link", name="Start a new interview").click()
    expect(page.get_by_text("Which evaluation is this interview for?")).to_be_visible()
    page.get_by_label(re.compile("Crisis care.*practice interview")).check()
    check_accessibility(page, "entry-start-choose-evaluation")
    page.get_by_label("Participant code").fill("cc-001")
    page.get_by_label("Pall Mall CMHT").check()
    page.get_by_label("Who are you interviewing with?").select_option(label=partner.username)
    page.get_by_role("button", name="Continue to consent").click()
    expect(page.get_by_text("My words may be quoted without my name.")).to_be_visible()
    check_accessibility(page, "entry-second-evaluation-consent")
    consent_on_the_page(page, partner, statements=3)
    session = InterviewSession.objects.get(participant_code="CC-001")
    assert (session.evaluation, session.practice) == (crisis, True)
    expect(page.get_by_role("heading", name="Your care")).to_be_visible()
    expect(page.get_by_text("A practice interview for Crisis care")).to_be_visible()
    expect(
        page.get_by_text("Think of the last time you asked for help in a crisis.")
    ).to_be_visible()
    check_accessibility(page, "entry-second-evaluation-care")
    felt_safe = page.get_by_role("group", name="I felt safe.")
    expect(felt_safe).to_have_accessible_description(re.compile("Safe from harm"))
    for code in ("seen-quickly", "listened-to", "felt-safe"):
        page.locator(f"#answer-{code}-1").check()  # Partly
    expect(status(page)).to_have_text(SAVED)
    page.get_by_role("checkbox", name="Crisis line").check()
    page.get_by_role("checkbox", name="A&E").check()
    page.get_by_label("Quote 1 for: What helped most?").fill("Someone called me back.")
    page.get_by_label("Quote 1 for: Staff listened to me.").click()  # leaving the box saves it
    expect(status(page)).to_have_text(SAVED)
    page.get_by_role("button", name="Next: About you").click()

    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    check_accessibility(page, "entry-second-evaluation-you")
    page.get_by_label("55 or over").check()
    page.get_by_role("group", name="Was this your first contact").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Next: Check and submit").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("Crisis line, A&E")).to_be_visible()  # in the list's order
    page.get_by_role("button", name="Submit for checking").click()
    expect(page.get_by_text(f"Sent to {partner.username} for checking")).to_be_visible()

    other = new_context().new_page()
    log_in(other, partner)
    other.get_by_role("link", name="CC-001").click()
    expect(other.get_by_text("“Someone called me back.”")).to_be_visible()
    other.get_by_role("button", name="Verify the record").click()
    expect(other.get_by_text("CC-001 is verified")).to_be_visible()

    session.refresh_from_db()
    assert session.status == InterviewSession.Status.VERIFIED
    values = session_values(session)
    assert values["answer:felt_safe"] == "partly"
    assert values["ticks:contacted"] == ["a_and_e", "crisis_line"]
    assert values["quotes:helped_most"] == ["Someone called me back."]
    assert values["demo:age_band"] == "55+"
    assert values["demo:first_contact"] == "no"
    assert csp == []
