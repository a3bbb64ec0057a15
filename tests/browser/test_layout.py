"""The log-in page and the base layout, in a real browser."""

import pytest

from tests.browser.conftest import check_accessibility, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_login_page_is_accessible_and_logs_in(page, analyst, csp_violations):
    page.goto("/login/")
    assert page.title() == "Log in – UFM Interviews"
    check_accessibility(page, "login")
    log_in(page, analyst)
    # Analysts land on the analysis home, in the admin, which names who is logged in.
    assert page.url.endswith("/admin/interviews/quote/analysis/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Analysis: ")
    assert analyst.username in page.locator("#user-tools").text_content()
    check_accessibility(page, "home-analyst")
    assert csp_violations == []


def test_the_skip_link_is_the_first_stop_for_the_keyboard(page):
    page.goto("/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_a_wrong_password_is_announced(page, interviewer):
    log_in(page, interviewer, password="not-the-password")
    alert = page.get_by_role("alert")
    assert "not right" in alert.inner_text()
    check_accessibility(page, "login-error")


def test_an_address_we_cannot_read_gets_a_calm_accessible_page(page, csp_violations):
    response = page.goto("/login/?next=%00")
    assert response.status == 400
    assert page.get_by_role("heading", level=1).inner_text() == "We could not read that"
    assert "a character we cannot read" in page.get_by_role("alert").inner_text()
    check_accessibility(page, "unreadable")
    assert csp_violations == []
