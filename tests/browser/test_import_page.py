"""The import page in a real browser, in each of its states: a file too large, a file with
more problems than are listed, a preview cancelled, a preview imported. axe finds no WCAG 2.2 AA
violation in any of them and the Content-Security-Policy blocks nothing."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from interviews.models import InterviewSession
from tests.browser.conftest import check_state, log_in
from tests.factories import InterviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "interviews-example.csv"
PAGE = "/admin/interviews/interviewsession/import/"


def choose(page, name: str, data: bytes) -> None:
    page.get_by_label("CSV file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Check the file").click()


def test_every_state_of_the_import_page_is_accessible(page, analyst, csp_violations, settings):
    settings.IMPORT_MAX_MEGABYTES = 1
    for name in "abc":
        InterviewerFactory(username=f"interviewer_{name}")
    log_in(page, analyst)
    page.goto(PAGE)
    expect(page.get_by_text("At most 1 MB.")).to_be_visible()

    choose(page, "huge.csv", b"x" * (2 * 1024 * 1024))
    expect(page.get_by_text("The file is 2.0 MB and an import takes at most 1 MB.")).to_be_visible()
    check_state(page, "admin-import-too-large", csp_violations)

    # 250 rows, each at an unknown site: 200 problems listed, the rest counted.
    header, *_, ex_002, _ = EXAMPLE.read_text(encoding="utf-8").splitlines()
    row = ex_002.replace("oremi_centre", "mars")
    bad = "\n".join([header] + [row.replace("EX-002", f"BAD-{i}") for i in range(250)])
    choose(page, "bad.csv", bad.encode())
    expect(
        page.get_by_role("heading", name="There is a problem: nothing was imported")
    ).to_be_visible()
    expect(page.get_by_text("and 50 more problems", exact=False)).to_be_visible()
    check_state(page, "admin-import-many-problems", csp_violations)

    choose(page, "interviews.csv", EXAMPLE.read_bytes())
    expect(page.get_by_role("heading", name="The file is fine")).to_be_visible()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("Cancelled: nothing was imported")).to_be_visible()
    check_state(page, "admin-import-cancelled", csp_violations)
    assert not InterviewSession.objects.exists()

    choose(page, "interviews.csv", EXAMPLE.read_bytes())
    page.get_by_role("button", name="Import interviews.csv").click()
    expect(page.get_by_text("Imported interviews.csv: 3 row(s).")).to_be_visible()
    check_state(page, "admin-import-done", csp_violations)
    assert InterviewSession.objects.count() == 3
