"""The admin's history pages in a real browser: a past version is shown to read, with nothing
that looks editable, and axe finds no WCAG 2.2 AA violation."""

import pytest
from playwright.sync_api import expect

from interviews.models import Site
from tests.browser.conftest import check_accessibility, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_past_version_is_shown_read_only(page, coordinator, csp_violations):
    site = Site.objects.get(code="pall_mall")
    old_label = site.label
    site.save()  # the seeded site's first version in the history
    site.label = "Pall Mall Community Mental Health Team"
    site.save()
    log_in(page, coordinator)

    page.goto(f"/admin/interviews/site/{site.pk}/history/")
    expect(page.get_by_role("heading", name=f"View history: {site.label}")).to_be_visible()
    expect(page.get_by_text("Choose a date")).to_have_count(0)  # no offer to revert
    page.wait_for_load_state("networkidle")
    assert csp_violations == []
    check_accessibility(page, "admin-history-list")

    versions = page.locator("#change-history").get_by_role("link", name=old_label, exact=True)
    versions.first.click()
    expect(page.get_by_role("heading", name=f"View {old_label}")).to_be_visible()
    expect(page.locator(".readonly").get_by_text(old_label, exact=True)).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_role("checkbox")).to_have_count(0)
    expect(page.get_by_role("button", name="Revert")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert csp_violations == []
    check_accessibility(page, "admin-history-version")
