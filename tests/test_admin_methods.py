"""Writes the admin refuses: methods no admin page takes (PUT, PATCH, DELETE), and POSTs to a
list from someone who may only view it (issue 11, item 1)."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from interviews.models import Site
from tests.factories import QuoteFactory, TagFactory, complete_session
from themes.models import SubTheme, Tag

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
def test_the_admin_takes_no_other_methods(client, coordinator, method):
    site = Site.objects.get(code="pall_mall")
    client.force_login(coordinator)
    for url in (
        reverse("admin:index"),
        reverse("admin:interviews_site_changelist"),
        reverse("admin:interviews_site_change", args=[site.pk]),
        reverse("admin:interviews_site_delete", args=[site.pk]),
        reverse("admin:themes_exports"),
    ):
        response = getattr(client, method)(url, "label=Relabelled")
        assert response.status_code == 405, url
        assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD", "POST"]
    assert Site.objects.filter(pk=site.pk).exists()
    assert Site.objects.get(pk=site.pk).label == site.label


@pytest.mark.parametrize("url", [reverse("login"), reverse("admin:login")])
def test_the_log_in_pages_take_no_put(client, url):
    response = client.put(url, "username=x&password=y")
    assert response.status_code == 405


def test_an_analyst_cannot_save_the_sites_list(client, analyst):
    """SiteAdmin's list_editable: for someone who may only view, the list has no form, and a
    POST of one is refused rather than shown the list again."""
    site = Site.objects.get(code="pall_mall")
    client.force_login(analyst)
    response = client.post(
        reverse("admin:interviews_site_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(site.pk),
            "form-0-order": "99",
            "_save": "Save",
        },
    )
    assert response.status_code == 403
    site.refresh_from_db()
    assert site.order != 99
    assert site.is_active


def test_an_analyst_cannot_run_a_codebook_action(client, analyst):
    subtheme = SubTheme.objects.get(code="safe_spaces")
    client.force_login(analyst)
    response = client.post(
        reverse("admin:themes_subtheme_changelist"),
        {"action": "retire", ACTION_CHECKBOX_NAME: [str(subtheme.pk)]},
    )
    assert response.status_code == 403
    subtheme.refresh_from_db()
    assert subtheme.is_active


def test_a_coordinator_cannot_delete_tags_from_their_list(client, coordinator):
    tag = TagFactory(quote=QuoteFactory(session=complete_session(status="verified")))
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:themes_tag_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [str(tag.pk)], "post": "yes"},
    )
    assert response.status_code == 403
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_a_coordinator_still_saves_the_sites_list(client, coordinator):
    site = Site.objects.get(code="pall_mall")
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:interviews_site_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(site.pk),
            "form-0-order": "99",
            "form-0-is_active": "on",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.order == 99
