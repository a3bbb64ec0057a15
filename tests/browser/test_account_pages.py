"""The coordinators' account pages in a real browser, checked with axe and under the CSP.

Adding an account, changing its role, setting its password and refusing to demote oneself;
axe finds no WCAG 2.2 AA violation and the Content-Security-Policy blocks nothing."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_analyst_pages import check
from tests.factories import InterviewerFactory
from ufm.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-enough-passphrase"


def test_the_account_pages_are_accessible_and_work(page, coordinator, csp_violations):
    InterviewerFactory(username="sam_p", first_name="Sam P")
    log_in(page, coordinator)

    page.goto("/admin/auth/user/")
    expect(page.get_by_role("link", name="sam_p")).to_be_visible()
    check(page, "admin-accounts", csp_violations)

    page.goto("/admin/auth/user/add/")
    check(page, "admin-account-add", csp_violations)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.get_by_text("Choose the role: interviewer, analyst or coordinator.")
    ).to_be_visible()
    check(page, "admin-account-add-errors", csp_violations)

    page.get_by_label("Username").fill("kim_b")
    page.get_by_label("Display name").fill("Kim B")
    page.get_by_label("Analyst").check()
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    kim = get_user_model().objects.get(username="kim_b")
    assert kim.is_staff and list(kim.groups.values_list("name", flat=True)) == [Role.ANALYST]

    page.goto(f"/admin/auth/user/{kim.pk}/change/")
    expect(page.get_by_label("Analyst")).to_be_checked()
    check(page, "admin-account-change", csp_violations)
    page.get_by_label("Interviewer").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    kim.refresh_from_db()
    assert not kim.is_staff

    page.goto(f"/admin/auth/user/{kim.pk}/change/")
    page.get_by_role("link", name="Set password").click()
    expect(page.get_by_role("heading", name="Set password for kim_b")).to_be_visible()
    check(page, "admin-account-password", csp_violations)
    page.get_by_label("New password:", exact=True).fill("short")
    page.get_by_label("New password again").fill("short")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("This password is too short")).to_be_visible()
    check(page, "admin-account-password-errors", csp_violations)

    page.goto(f"/admin/auth/user/{coordinator.pk}/change/")
    page.get_by_label("Analyst").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("You cannot change your own role")).to_be_visible()
    check(page, "admin-account-own-role", csp_violations)
