"""The admin works under our strict Content-Security-Policy (no inline code allowed)."""

import pytest

from interviews.models import Site
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_pages_raise_no_csp_violations(page, coordinator, csp_violations):
    log_in(page, coordinator)
    site = Site.objects.get(code="pall_mall")
    for path in (
        "/admin/",
        "/admin/interviews/site/",
        f"/admin/interviews/site/{site.pk}/change/",
        "/admin/interviews/consentformversion/",
        "/admin/themes/subtheme/",
        "/admin/auth/user/add/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert csp_violations == []
