"""The interviewers' controls and record pages in a real browser: non-text contrast (WCAG
1.4.11, which axe does not check), the save status in view, steps as links, consent on check."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from interviews.services import sessions as services
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import (
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    complete_session,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Each radio button and tick box on the page: its border colour (the checked one's fill, which
# is what shows), its size, and the background of the page behind it (the first ancestor
# with an opaque background).
CONTROLS_JS = """
() => Array.from(document.querySelectorAll('input[type=radio], input[type=checkbox]'))
  .filter((input) => input.offsetParent !== null)
  .map((input) => {
    const style = getComputedStyle(input);
    let behind = 'rgb(255, 255, 255)';
    for (let node = input.parentElement; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (!/^rgba\\(.*, 0\\)$/.test(colour) && colour !== 'transparent') {
        behind = colour;
        break;
      }
    }
    return {
      id: input.id,
      border: style.borderTopColor,
      fill: style.backgroundColor,
      checked: input.checked,
      width: input.getBoundingClientRect().width,
      behind: behind,
    };
  })
"""


def rgb(colour: str) -> tuple[float, float, float]:
    red, green, blue = (float(n) for n in re.findall(r"[\d.]+", colour)[:3])
    return red, green, blue


def luminance(colour: str) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    # Bootstrap's border grey on our page: the faint control the issue reported.
    assert contrast("rgb(222, 226, 230)", "rgb(251, 250, 247)") < 1.3


def controls_of(page) -> list[dict]:
    found = page.evaluate(CONTROLS_JS)
    assert found, "no radio buttons or tick boxes on the page"
    return found


def assert_large_and_clear(page) -> None:
    """Every control 36px and at least 3:1 against the page, unticked and ticked."""
    for state in ("unticked", "ticked"):
        for control in controls_of(page):
            shows = control["fill"] if control["checked"] else control["border"]
            ratio = contrast(shows, control["behind"])
            assert ratio >= 3, f"{state} #{control['id']}: {ratio:.2f}:1 against the page"
            assert control["width"] == 36, f"#{control['id']} is {control['width']}px"
        if state == "unticked":
            for control in controls_of(page):
                page.locator(f"#{control['id']}").check()


@pytest.fixture
def pair():
    return InterviewerFactory(first_name="Alex K"), InterviewerFactory(first_name="Sam P")


def test_consent_controls_are_large_and_clear(page, pair):
    interviewer, partner = pair
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    log_in(page, interviewer)
    page.goto(reverse("interviews:consent", args=[session.pk]))
    assert_large_and_clear(page)


@pytest.mark.parametrize("slug", ["feel", "about"])
def test_section_controls_are_large_and_clear(page, pair, slug):
    interviewer, partner = pair
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    log_in(page, interviewer)
    page.goto(reverse("interviews:section", args=[session.pk, slug]))
    assert_large_and_clear(page)


def test_the_review_page_has_no_faint_controls(page, pair):
    interviewer, partner = pair
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    log_in(page, interviewer)
    page.goto(reverse("interviews:review", args=[session.pk]))
    # The review has no choices to make today; any added later must pass the same test.
    for control in page.evaluate(CONTROLS_JS):
        shows = control["fill"] if control["checked"] else control["border"]
        assert contrast(shows, control["behind"]) >= 3, control["id"]
    expect(page.get_by_role("link", name="4. Check and submit")).to_have_attribute(
        "aria-current", "step"
    )
    check_accessibility(page, "record-review")


def test_the_steps_are_links(page, pair):
    interviewer, partner = pair
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    log_in(page, interviewer)
    page.goto(reverse("interviews:section", args=[session.pk, "feel"]))
    steps = page.get_by_role("navigation", name="Progress")
    expect(steps.get_by_role("link", name="1. How you feel")).to_have_attribute(
        "aria-current", "step"
    )
    steps.get_by_role("link", name="3. About you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    expect(steps.get_by_role("link", name="3. About you")).to_have_attribute("aria-current", "step")
    check_accessibility(page, "record-steps-about")


def test_the_save_status_stays_in_view_and_warns_in_words(new_context, pair):
    interviewer, partner = pair
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    context = new_context()
    page = context.new_page()
    log_in(page, interviewer)
    page.goto(reverse("interviews:section", args=[session.pk, "feel"]))
    status = page.locator("#save-status")
    expect(status).to_have_text("Your answers save as you type.")

    # Typing far down the page: the status is still on screen, at the top.
    page.locator("#quotes-left-out-0").scroll_into_view_if_needed()
    page.locator("#quotes-left-out-0").fill("Nobody asks me.")
    expect(status).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))
    box = status.bounding_box()
    assert box is not None and box["y"] == 0
    field = page.locator("#quotes-left-out-0").bounding_box()
    assert field["y"] >= box["height"], "the status covers the box being typed in"

    context.set_offline(True)
    page.locator("#answer-left-out-0").check()
    expect(status).to_have_text(
        "Warning: Not saved yet – no connection, your answers are kept on this device"
    )
    sign = page.evaluate(
        "getComputedStyle(document.getElementById('save-status'), '::before').content"
    )
    assert "⚠" in sign
    assert (
        page.evaluate("getComputedStyle(document.getElementById('save-status')).borderTopWidth")
        == "4px"
    )
    check_accessibility(page, "record-save-status-offline")
    context.set_offline(False)
    expect(status).to_have_text(re.compile(r"^Saved \d\d:\d\d$"), timeout=15_000)


def test_at_320px_the_status_scrolls_with_the_page(new_context, pair):
    """400% zoom of a 1280 by 1024 screen: a stuck bar would hide what is being typed."""
    interviewer, partner = pair
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    page = new_context(viewport={"width": 320, "height": 256}).new_page()
    log_in(page, interviewer)
    page.goto(reverse("interviews:section", args=[session.pk, "feel"]))
    expect(page.locator("#save-status")).to_have_text("Your answers save as you type.")
    assert page.evaluate("getComputedStyle(document.getElementById('save-status')).position") == (
        "static"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_check_page_shows_the_consent(page, pair):
    interviewer, partner = pair
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    services.session_submit(session=session, user=interviewer)
    log_in(page, partner)
    page.goto(reverse("interviews:check", args=[session.pk]))
    consent = page.get_by_role("region", name="Consent")
    expect(consent).to_contain_text("Recorded by")
    expect(consent).to_contain_text("Alex K")
    expect(consent).to_contain_text("Sam P")
    table = consent.get_by_role("table", name="The participant's answers")
    expect(table.get_by_role("columnheader")).to_have_text(["Statement", "Answer"])
    expect(table.get_by_role("row")).to_have_count(6)
    expect(
        page.get_by_text("Their words: What else could help people feel less lonely?")
    ).to_be_visible()
    check_accessibility(page, "record-check")


def test_the_start_page_says_a_bad_code_once(page, pair):
    interviewer, _partner = pair
    log_in(page, interviewer)
    page.goto(reverse("interviews:start"))
    page.get_by_label("Participant code").fill("Mary Jones")
    page.get_by_role("button", name="Continue to consent").click()
    expect(page.get_by_text("2 to 20 capital letters")).to_have_count(2)  # summary, field
    check_accessibility(page, "record-start-bad-code")
