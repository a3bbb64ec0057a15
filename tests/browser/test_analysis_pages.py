"""The analysis home and the quotes list in a real browser, at a laptop's width (1366) and a
tablet's (820): axe finds no WCAG 2.2 AA violation, the CSP blocks nothing, the quote column has
most of the list's width, and on a tablet it stays on screen."""

import pytest
from playwright.sync_api import expect

from interviews.schedules import schedule_of
from tests.analysis_data import build
from tests.browser.conftest import check_state, log_in
from themes.export_filters import default_evaluation

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": 1366, "tablet": 820}


@pytest.fixture(params=list(WIDTHS))
def width(request) -> tuple[str, int]:
    return request.param, WIDTHS[request.param]


@pytest.fixture
def sized_page(new_context, width):
    return new_context(viewport={"width": width[1], "height": 900}).new_page()


def csp_watch(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return seen


def test_analysts_land_on_the_analysis_home(sized_page, analyst, width):
    page, (name, _) = sized_page, width
    violations = csp_watch(page)
    build(analyst)
    log_in(page, analyst)
    expect(page.get_by_role("heading", name="Tagging progress")).to_be_visible()
    assert page.url.endswith("/admin/interviews/quote/analysis/")
    table = page.get_by_role("table", name="All quotes")
    expect(table.get_by_role("rowheader", name="Safe spaces")).to_be_visible()
    check_state(page, f"analysis-home-{name}", violations)

    # Each question's counts by answer, opened one at a time.
    question = schedule_of(default_evaluation()).question("companionship")
    page.get_by_text(question.label, exact=True).and_(page.locator("summary")).click()
    by_answer = page.get_by_role("table", name=question.label)
    often = question.option("often").label
    # The answer, then how many of its quotes are chosen for the report.
    head = by_answer.get_by_role("columnheader", name=f"{often} 0 chosen for the report")
    expect(head).to_be_visible()
    check_state(page, f"analysis-home-answers-{name}", violations)

    # A number opens the quotes list of exactly those quotes.
    table.get_by_role("link", name="2 quotes, 1 participant").first.click()
    expect(page.get_by_text("2 quotes", exact=True)).to_be_visible()


def test_the_quotes_list_gives_the_words_the_room(sized_page, analyst, width):
    page, (name, viewport) = sized_page, width
    violations = csp_watch(page)
    build(analyst)
    log_in(page, analyst)
    page.goto("/admin/interviews/quote/")
    expect(page.get_by_role("heading", name="Select quote to change")).to_be_visible()
    check_state(page, f"quotes-list-{name}", violations)

    table = page.locator("#result_list").bounding_box()
    words = page.locator("#result_list th.field-words").first.bounding_box()
    if viewport >= 1366:
        assert words["width"] > 0.4 * table["width"], (words, table)
    # The whole quote cell is on screen, with no sideways scrolling.
    assert words["x"] >= 0 and words["x"] + words["width"] <= viewport, (words, viewport)
    expect(page.locator(".ufm-chip").first).to_be_visible()

    # Search by the words of a quote, then tag it in bulk from the list.
    page.get_by_role("textbox", name="Search").fill("lunch club")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="The £2 lunch club.")).to_be_visible()
    page.get_by_role("checkbox", name="Select the quote “The £2 lunch club.”").check()
    page.get_by_label("Action:").select_option(label="Add tags…")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_role("heading", name="Add tags")).to_be_visible()
