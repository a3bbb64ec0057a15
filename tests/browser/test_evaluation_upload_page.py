"""The evaluation workbook's upload page in a real browser, in each of its states: the form, a
file too large, a file that is not a workbook, a workbook with problems, one that would change a
frozen code, the preview cancelled, the preview imported. axe finds no WCAG 2.2 AA violation in
any of them and the Content-Security-Policy blocks nothing."""

import pytest
from playwright.sync_api import expect

from interviews.models import Evaluation
from interviews.workbooks.sheets import MAX_BYTES
from tests.browser.conftest import check_state, log_in
from tests.test_evaluation_upload import crisis_with, loneliness_without_answer
from tests.workbook_examples import EXAMPLE

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/admin/interviews/evaluation/"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def choose(page, name: str, data: bytes) -> None:
    page.get_by_label("Workbook (.xlsx)").set_input_files(
        {"name": name, "mimeType": WORKBOOK_TYPE, "buffer": data}
    )
    page.get_by_role("button", name="Check the file").click()


def expect_refused(page) -> None:
    expect(
        page.get_by_role("heading", name="There is a problem: nothing was imported")
    ).to_be_visible()


def test_every_state_of_the_upload_page_is_accessible(page, coordinator, csp_violations):
    log_in(page, coordinator)
    page.goto(LIST)
    page.get_by_role("link", name="Upload a workbook").click()
    expect(page.get_by_role("heading", name="Upload a workbook")).to_be_visible()
    check_state(page, "admin-evaluation-upload", csp_violations)

    choose(page, "huge.xlsx", b"x" * (MAX_BYTES + 1))
    expect(
        page.get_by_text("The file is 5.0 MB and a workbook takes at most 5 MB.")
    ).to_be_visible()
    check_state(page, "admin-evaluation-upload-too-large", csp_violations)

    choose(page, "design.xlsx", b"type,name,label\nnote,intro,Hello\n")
    expect_refused(page)
    expect(page.get_by_text("this is not an Excel workbook (.xlsx)", exact=False)).to_be_visible()
    check_state(page, "admin-evaluation-upload-not-a-workbook", csp_violations)

    def break_it(rows):
        rows["settings"][1][0] = "Crisis Care"
        rows["codebook"][2][1] = "Access"

    choose(page, "broken.xlsx", crisis_with(break_it))
    expect_refused(page)
    expect(page.get_by_text("settings row 2, column form_id:", exact=False)).to_be_visible()
    expect(page.get_by_text("codebook row 3, column theme_label:", exact=False)).to_be_visible()
    check_state(page, "admin-evaluation-upload-problems", csp_violations)

    choose(page, "loneliness.xlsx", loneliness_without_answer("hardly_ever"))
    expect_refused(page)
    expect(
        page.get_by_text("the evaluation is published: put it back", exact=False)
    ).to_be_visible()
    check_state(page, "admin-evaluation-upload-frozen", csp_violations)

    choose(page, "crisis-care-2026.xlsx", EXAMPLE.read_bytes())
    expect(page.get_by_role("heading", name="The file is fine")).to_be_visible()
    expect(page.get_by_role("heading", name="Section 1: Your care (schedule)")).to_be_visible()
    check_state(page, "admin-evaluation-upload-preview", csp_violations)
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("Cancelled: nothing was imported")).to_be_visible()
    check_state(page, "admin-evaluation-upload-cancelled", csp_violations)
    assert not Evaluation.objects.filter(code="crisis-care-2026").exists()

    choose(page, "crisis-care-2026.xlsx", EXAMPLE.read_bytes())
    page.get_by_role("button", name="Import crisis-care-2026.xlsx").click()
    expect(page.get_by_text("The evaluation crisis-care-2026", exact=False)).to_be_visible()
    check_state(page, "admin-evaluation-upload-done", csp_violations)
    assert Evaluation.objects.get(code="crisis-care-2026").history.get().history_user == coordinator
