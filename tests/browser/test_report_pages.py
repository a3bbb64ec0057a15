"""The report page and its settings page in a real browser, at desktop (1366) and tablet (820)
width: axe finds no WCAG 2.2 AA violation and the Content-Security-Policy blocks nothing."""

import pytest
from django.apps import apps
from playwright.sync_api import expect

from tests.browser.conftest import check_state, log_in
from tests.factories import InterviewerFactory, QuoteFactory, TagFactory, complete_session
from themes.models import ReportSettings
from themes.reference_data import seed_report_settings, seed_report_shares

pytestmark = pytest.mark.django_db(transaction=True)


def interviews(analyst) -> None:
    seed_report_settings(apps)  # as migration 0012 seeds it (the browser tests flush it)
    seed_report_shares(apps)  # and 0015 its shares
    pair = {"interviewer_1": InterviewerFactory(), "interviewer_2": InterviewerFactory()}
    for number in range(6):
        session = complete_session(status="verified", participant_code=f"BRW-{number}", **pair)
        quote = QuoteFactory(session=session, text=f"The lunch club, every Tuesday ({number}).")
        TagFactory(quote=quote, tagged_by=analyst)


@pytest.mark.parametrize("width", [1366, 820])
def test_the_report_pages_are_accessible(new_context, analyst, width):
    interviews(analyst)
    page = new_context(viewport={"width": width, "height": 1000}).new_page()
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(page, analyst)

    page.goto("/admin/")
    page.get_by_role("link", name="Report", exact=True).click()
    expect(page.get_by_role("heading", name="Findings", level=2)).to_be_visible()
    expect(page.get_by_role("img", name="Bar chart of How often").first).to_be_visible()
    expect(page.get_by_text("saw fewer than three people a week")).to_be_visible()
    check_state(page, f"report-{width}", seen)

    page.get_by_label("Borough of residence").select_option(label="Westminster")
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_text("Borough of residence: Westminster")).to_be_visible()
    check_state(page, f"report-filtered-{width}", seen)

    page.get_by_label("Borough of residence").select_option(label="Elsewhere")
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_text("These filters leave 0 interviews")).to_be_visible()
    check_state(page, f"report-refused-{width}", seen)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Word (.docx)").click()
    assert download.value.suggested_filename == "report.docx"

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Show the report")).to_be_hidden()
    page.emulate_media(media="screen")

    settings = ReportSettings.objects.get(evaluation__code="loneliness-2018")
    page.goto(f"/admin/themes/reportsettings/{settings.pk}/change/")
    expect(page.get_by_role("heading", name="Recommendations")).to_be_visible()
    expect(page.get_by_role("heading", name="Answer shares")).to_be_visible()
    check_state(page, f"report-settings-{width}", seen)
    page.get_by_label("Title:").fill("Loneliness: what helps")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    page.goto("/admin/themes/reportsettings/report/")
    expect(page.get_by_role("heading", name="Loneliness: what helps", level=1)).to_be_visible()
