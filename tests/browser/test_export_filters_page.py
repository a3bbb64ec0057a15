"""The filters in a real browser, on a laptop (1366 px) and a tablet (820 px): the Exports page's
form, its errors and the named download, and the quotes list's interview dates; axe finds no
WCAG 2.2 AA violation and the Content-Security-Policy blocks nothing."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import check_state, log_in
from tests.filter_data import filter_people

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "tablet": {"width": 820, "height": 1180}}


@pytest.fixture(params=list(WIDTHS))
def sized(request, new_context):
    """A page at each width, with what it blocks by the Content-Security-Policy."""
    page = new_context(viewport=WIDTHS[request.param]).new_page()
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return request.param, page, seen


def fits(page) -> None:
    """Nothing wider than the window: no sideways scrolling at this width."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_the_exports_filters_work_and_are_accessible(sized, analyst):
    width, page, csp = sized
    filter_people(analyst)
    log_in(page, analyst)
    page.goto("/admin/themes/exportrecord/exports/")
    expect(page.get_by_label("Site")).to_be_visible()
    check_state(page, f"exports-filters-{width}", csp)
    fits(page)

    # The dates the wrong way round: said at the top and beside the date, nothing made.
    page.get_by_label("quotes.csv – one row per quote, with its tags").check()
    page.get_by_label("Interview date from").fill("2018-07-01")
    page.get_by_label("Interview date to").fill("2018-06-30")
    page.get_by_role("button", name="Download CSV", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("is after the interview date to")
    expect(page.get_by_label("Interview date to")).to_have_attribute("aria-invalid", "true")
    check_state(page, f"exports-filters-error-{width}", csp)
    fits(page)

    page.get_by_label("Site").select_option(label="Pall Mall CMHT")
    page.get_by_label("Interview date from").fill("2018-05-01")
    page.get_by_label("Interview date to").fill("2018-06-30")
    page.get_by_label("quotes.csv – one row per quote, with its tags").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download .xlsx (for Excel)").click()
    today = timezone.localdate().isoformat()
    assert download.value.suggested_filename == (
        f"quotes_loneliness-2018_site-pall_mall_from-2018-05-01_to-2018-06-30_made-{today}.xlsx"
    )
    saved = io.BytesIO(Path(download.value.path()).read_bytes())  # a name without ".xlsx"
    sheet = openpyxl.load_workbook(saved).worksheets[0]
    assert sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)) == [
        "FLT-A",
        "FLT-B",
    ]

    page.goto("/admin/themes/exportrecord/exports/")
    expect(
        page.get_by_text("Site: Pall Mall CMHT; from 1 May 2018 to 30 June 2018")
    ).to_be_visible()
    check_state(page, f"exports-recent-{width}", csp)
    fits(page)


def test_the_quotes_lists_dates_work_and_are_accessible(sized, analyst):
    width, page, csp = sized
    filter_people(analyst)
    log_in(page, analyst)
    page.goto("/admin/interviews/quote/?site=pall_mall")
    page.get_by_label("From").fill("2018-05-01")
    page.get_by_label("To", exact=False).last.fill("2018-06-30")
    page.get_by_role("button", name="Apply dates").click()
    expect(page.get_by_text("Words of FLT-A.")).to_be_visible()
    expect(page.get_by_text("Words of FLT-B.")).to_be_visible()
    expect(page.get_by_text("Words of FLT-D.")).to_have_count(0)  # the site kept, July left out
    assert "site=pall_mall" in page.url and "date_to=2018-06-30" in page.url
    check_state(page, f"quotes-dates-{width}", csp)

    page.get_by_label("From").fill("2018-07-01")
    page.get_by_role("button", name="Apply dates").click()
    expect(page.get_by_text("No quotes are listed until the dates are put right.")).to_be_visible()
    check_state(page, f"quotes-dates-error-{width}", csp)
