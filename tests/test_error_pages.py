"""The error pages: the app's look in plain English with a way back, the admin's look inside the
admin for its staff, no technical detail, and no debug page with DEBUG off."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import path

from ufm import urls as project_urls

pytestmark = pytest.mark.django_db


def _explodes(request):
    raise RuntimeError("secret detail: /srv/ufm/something.py line 12")


def _missing_table(request):
    raise OperationalError("no such table: interviews_site")


def _bare_refusal(request):
    raise PermissionDenied


# The project's URLs, the error handlers with them, plus views that fail on purpose.
urlpatterns = [
    *project_urls.urlpatterns,
    path("test-explodes/", _explodes),
    path("test-refuses/", _bare_refusal),
    path("test-missing-table/", _missing_table),
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


def text(response) -> str:
    return response.content.decode()


def test_the_settings_are_those_of_production(settings):
    assert settings.DEBUG is False
    assert settings.CSRF_FAILURE_VIEW == "ufm.error_pages.csrf_failure"


def test_a_missing_page_is_404_in_the_apps_look_with_a_way_back(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We cannot find that page" in text(response)
    assert 'class="ufm-brand"' in text(response)
    assert 'href="/"' in text(response)
    assert 'href="/login/"' in text(response)  # anonymous: log in


def test_a_missing_page_for_someone_logged_in_offers_no_log_in(client, interviewer):
    client.force_login(interviewer)
    response = client.get("/interviews/999999/")
    assert response.status_code == 404
    assert "We cannot find that page" in text(response)
    assert 'href="/login/"' not in text(response)
    assert interviewer.username in text(response)  # the header, as on every page


def test_a_refusal_says_why_in_the_apps_words(client, analyst):
    client.force_login(analyst)
    response = client.get("/interviews/")
    assert response.status_code == 403
    assert "These pages are for interviewers." in text(response)
    assert "You cannot do this here" in text(response)
    assert "403 Forbidden" not in text(response)


@override_settings(ROOT_URLCONF=__name__)
def test_a_refusal_without_a_message_gives_a_plain_reason(client, interviewer):
    client.force_login(interviewer)
    response = client.get("/test-refuses/")
    assert response.status_code == 403
    assert "Your account is not allowed to open this page." in text(response)


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_is_a_static_500_page_without_the_detail(interviewer):
    client = Client(raise_request_exception=False)
    client.force_login(interviewer)
    response = client.get("/test-explodes/")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in text(response)
    assert "secret detail" not in text(response)
    assert "Traceback" not in text(response)
    assert interviewer.username not in text(response)  # no request, no context processors


def test_the_500_page_renders_with_no_context_at_all():
    page = render_to_string("500.html")
    assert "Sorry, something went wrong" in page
    assert 'href="/"' in page


@override_settings(ROOT_URLCONF=__name__)
def test_an_operational_error_that_is_not_busy_stays_a_500(interviewer):
    client = Client(raise_request_exception=False)
    client.force_login(interviewer)
    response = client.get("/test-missing-table/")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in text(response)
    assert "Retry-After" not in response


def test_a_bad_request_is_400_in_plain_words():
    response = Client(HTTP_HOST="evil.example").get("/")
    assert response.status_code == 400
    assert "We could not understand that request" in text(response)
    assert "evil.example" not in text(response)


def test_a_failed_csrf_check_explains_and_offers_a_way_back(interviewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(interviewer)
    response = client.post("/interviews/start/", {"participant_code": "LSI-001"})
    assert response.status_code == 403
    assert "This page had expired" in text(response)
    assert "Nothing from this form was saved." in text(response)
    assert "CSRF" not in text(response)
    assert 'href="/"' in text(response)


def test_the_admin_shows_its_staff_a_missing_page_in_its_own_look(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/admin/no-such-page/")
    assert response.status_code == 404
    assert 'id="site-name"' in text(response)  # the admin's header
    assert "We cannot find that page" in text(response)
    assert 'href="/admin/"' in text(response)


def test_the_admin_shows_its_refusals_in_its_own_look(client, analyst):
    client.force_login(analyst)
    response = client.get("/admin/interviews/loginlockout/")
    assert response.status_code == 403
    assert 'id="site-name"' in text(response)
    assert "You cannot do this here" in text(response)
    assert "403 Forbidden" not in text(response)


def test_the_admin_shows_a_failed_csrf_check_in_its_own_look(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post("/admin/password_change/", {})
    assert response.status_code == 403
    assert 'id="site-name"' in text(response)
    assert "This page had expired" in text(response)


def test_the_lock_out_page_leads_back_to_log_in():
    page = render_to_string("registration/locked_out.html", {"cooloff_timedelta": None})
    assert "Too many tries" in page
    assert 'href="/login/"' in page
