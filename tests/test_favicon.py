"""The favicon: an SVG linked from the app's and the admin's pages, and /favicon.ico (which
browsers ask for whatever a page links to) leads to it instead of logging a 404."""

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

ICON = Path(settings.BASE_DIR) / "static" / "favicon.svg"
LINK = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'


def test_the_icon_is_a_small_svg():
    root = ElementTree.parse(ICON).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert ICON.stat().st_size < 2048


def test_favicon_ico_leads_to_the_icon_for_everyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"


def test_the_apps_pages_link_the_icon(client):
    assert LINK in client.get("/login/").content.decode()


def test_the_admins_pages_link_the_icon(client, coordinator):
    assert LINK in client.get("/admin/login/").content.decode()
    client.force_login(coordinator)
    assert LINK in client.get("/admin/").content.decode()


def test_the_error_pages_link_the_icon(client):
    assert LINK in client.get("/no-such-page/").content.decode()
