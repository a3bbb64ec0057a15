"""Locked out and let back in, in a real browser: the lock-out page sends people to their
coordinator, who finds them under "Log-in lock-outs" and unlocks them; axe finds no WCAG 2.2 AA
violation on either page and the Content-Security-Policy blocks nothing."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, log_in
from tests.browser.test_analyst_pages import check

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_unlocks_someone_who_is_locked_out(
    page, new_context, coordinator, interviewer, csp_violations
):
    locked_out = new_context().new_page()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(locked_out, interviewer, password="not-the-password")
    expect(locked_out.get_by_role("heading", name="Too many tries")).to_be_visible()
    expect(locked_out.get_by_text("ask your coordinator to unlock it now")).to_be_visible()
    check_accessibility(locked_out, "locked-out")

    log_in(page, coordinator)
    page.goto("/admin/")
    page.get_by_role("link", name="Log-in lock-outs").click()
    expect(page.get_by_role("heading", name="Log-in lock-outs")).to_be_visible()
    expect(page.get_by_role("link", name=interviewer.username)).to_be_visible()
    check(page, "admin-lockouts", csp_violations)

    page.locator("input[name=_selected_action]").first.check()
    page.get_by_label("Action:").select_option(label="Unlock the selected accounts")
    page.get_by_role("button", name="Go").click()
    expect(
        page.get_by_text(f"Unlocked {interviewer.username}: they can log in again now.")
    ).to_be_visible()
    expect(page.get_by_role("link", name=interviewer.username)).to_have_count(0)
    check(page, "admin-lockouts-unlocked", csp_violations)

    log_in(locked_out, interviewer)
    expect(locked_out.get_by_role("heading", name="My interviews")).to_be_visible()
