"""The analysts' pages in the admin, in a real browser: axe finds no WCAG 2.2 AA violation and
the Content-Security-Policy blocks nothing."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import Quote
from tests.analysis_data import build
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import InterviewerFactory, InterviewSessionFactory, QuoteFactory

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "interviews-example.csv"


def check(page, name: str, csp_violations: list[str]) -> None:
    """Nothing on the page blocked by the Content-Security-Policy, then axe on it.

    The CSP is checked first, and what axe itself trips afterwards forgotten: on some pages
    axe-core adds inline styles while it measures (seen on the quote's tagging page), which
    the policy rightly blocks; that is the test tool, not the app."""
    page.wait_for_load_state("networkidle")
    assert csp_violations == [], name
    check_accessibility(page, name)
    csp_violations.clear()


def test_the_analysts_pages_are_accessible(page, analyst, csp_violations):
    build(analyst)
    log_in(page, analyst)

    page.goto("/admin/")
    expect(page.get_by_role("link", name="Exports", exact=True)).to_be_visible()
    check(page, "admin-index-analyst", csp_violations)

    page.goto("/admin/interviews/quote/")
    expect(page.get_by_role("heading", name="Select quote to change")).to_be_visible()
    check(page, "admin-quotes", csp_violations)

    page.locator("input[name=_selected_action]").first.check()
    page.get_by_label("Action:").select_option(label="Add tags…")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_role("heading", name="Add tags")).to_be_visible()
    check(page, "admin-add-tags", csp_violations)

    quote = Quote.objects.for_analysis().order_by("pk").first()
    page.goto(f"/admin/interviews/quote/{quote.pk}/change/")
    expect(page.get_by_text(quote.text)).to_be_visible()
    check(page, "admin-quote-tagging", csp_violations)

    page.goto("/admin/themes/exportrecord/exports/")
    expect(page.get_by_role("heading", name="Exports", level=1)).to_be_visible()
    check(page, "admin-exports", csp_violations)
    page.get_by_label("quotes.csv – one row per quote, with its tags").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download .xlsx (for Excel)").click()
    today = timezone.localdate().isoformat()
    assert download.value.suggested_filename == f"quotes_loneliness-2018_made-{today}.xlsx"
    saved = io.BytesIO(Path(download.value.path()).read_bytes())  # a name without ".xlsx"
    sheet = openpyxl.load_workbook(saved).worksheets[0]
    assert next(sheet.iter_rows(values_only=True))[:2] == ("quote_id", "participant_code")
    assert sheet.max_row == 1 + Quote.objects.for_analysis().count()

    for name in "abc":
        InterviewerFactory(username=f"interviewer_{name}")
    page.goto("/admin/themes/exportrecord/import-interviews/")
    check(page, "admin-import", csp_violations)
    page.get_by_label("CSV file").set_input_files(str(EXAMPLE))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="The file is fine")).to_be_visible()
    check(page, "admin-import-preview", csp_violations)


def test_the_coordinators_review_list_is_accessible(page, coordinator, csp_violations):
    session = InterviewSessionFactory(participant_code="LSI-900")
    QuoteFactory(session=session, text="Ring me on 07700 900123")
    log_in(page, coordinator)
    page.goto("/admin/")
    page.get_by_role("link", name="Quotes that may identify someone").click()
    expect(page.get_by_text("Ring me on 07700 900123")).to_be_visible()
    check(page, "admin-identifiers", csp_violations)
    page.get_by_role("link", name="LSI-900").click()
    expect(page.get_by_role("heading", name="View interview session")).to_be_visible()
    assert csp_violations == []
