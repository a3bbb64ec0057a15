"""The privacy guard in a real browser: a quote that may identify someone is saved, and the
interviewer is asked, politely and accessibly, to check it."""

import re

import pytest
from playwright.sync_api import expect

from interviews.selectors import session_values
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import ConsentRecordFactory, InterviewSessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = re.compile(r"^Saved \d\d:\d\d$")


def test_a_quote_with_a_phone_number_is_saved_and_the_interviewer_is_asked_to_check_it(
    page, interviewer, partner, csp_violations
):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    log_in(page, interviewer)
    page.goto(f"/interviews/{session.pk}/section/feel/")
    expect(page.locator("#save-status")).to_have_text("Your answers save as you type.")

    box = page.locator("#quotes-companionship-0")
    box.click()
    page.keyboard.type("ring me on 07700 900123")
    expect(page.locator("#save-status")).to_have_text(SAVED)  # autosave, after a pause

    warning = page.locator("#quotes-companionship-0-warning")
    expect(warning).to_contain_text("Please check this quote.")
    expect(warning).to_contain_text("This quote may contain a phone number.")
    expect(warning).to_have_attribute("aria-live", "polite")
    expect(box).to_have_accessible_description(re.compile("may contain a phone number"))
    # The words are kept: the warning asks, it never throws them away.
    assert session_values(session)["quotes:companionship"] == ["ring me on 07700 900123"]
    check_accessibility(page, "privacy-warning")

    # Taking the number out takes the warning away, after the next save.
    box.fill("ring me")
    page.locator("#quotes-help-0").click()  # leaving the box saves it
    expect(warning).to_be_empty()
    assert session_values(session)["quotes:companionship"] == ["ring me"]

    # A box added afterwards gets its own place for a warning.
    question = "How often do you feel that you lack companionship?"
    page.get_by_role("button", name=f"Add another quote for: {question}").click()
    page.keyboard.type("my email is sam@example.org")
    page.locator("#quotes-help-0").click()
    second = page.locator("#quotes-companionship-1-warning")
    expect(second).to_contain_text("may contain an email address")
    expect(page.locator("#quotes-companionship-1")).to_have_accessible_description(
        re.compile("email address")
    )
    expect(warning).to_be_empty()
    assert csp_violations == []


def test_without_javascript_the_warning_is_at_the_top_and_going_on_is_not_stopped(
    new_context, interviewer, partner
):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, interviewer)
    page.goto(f"/interviews/{session.pk}/section/feel/")
    page.locator("#quotes-companionship-0").fill("I live at W2 1AA")
    page.get_by_role("button", name="Next: What helps").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please check this quote")
    expect(summary).to_contain_text("Your answers are saved.")
    expect(page.locator("#quotes-companionship-0-warning")).to_contain_text("a postcode")
    summary.get_by_role("link").click()
    expect(page.locator("#quotes-companionship-0")).to_be_focused()
    assert session_values(session)["quotes:companionship"] == ["I live at W2 1AA"]
    with_summary = page.url

    page.get_by_role("button", name="Next: What helps").click()
    expect(page.get_by_role("heading", name="What helps")).to_be_visible()

    # axe needs JavaScript: the same page (the summary is drawn by the server) in a browser
    # with it, where the summary takes the focus.
    other = new_context().new_page()
    log_in(other, interviewer)
    other.goto(with_summary.split("#")[0])
    expect(other.get_by_role("alert")).to_be_focused()
    check_accessibility(other, "privacy-warning-summary")
