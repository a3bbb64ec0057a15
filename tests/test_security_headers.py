"""Strict headers on every response; secure cookies and HSTS when DEBUG is off."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def csp_of(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("url", ["login", "healthz"])
def test_public_pages_send_strict_headers(client, url):
    response = client.get(reverse(url))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    if url == "login":
        policy = csp_of(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]


def test_the_policy_allows_no_inline_code_and_no_outside_origin(client, analyst):
    client.force_login(analyst)
    for url in (reverse("home"), reverse("admin:index")):
        policy = csp_of(client.get(url))
        for name, values in policy.items():
            assert "'unsafe-inline'" not in values, name
            assert "'unsafe-eval'" not in values, name
            assert all(v.startswith("'") or v == "data:" for v in values), (name, values)


def test_cookies_are_secure_and_http_only_when_debug_is_off():
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE
    assert settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SECURE_HSTS_SECONDS >= 31536000


def test_sessions_end_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # The expiry moves on once a minute (tests/test_session_refresh.py), not on every request.
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    middleware = settings.MIDDLEWARE
    assert middleware.index("ufm.session_refresh.SessionRefreshMiddleware") == (
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1
    )


def test_an_idle_session_is_logged_out(client, coordinator, settings):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(coordinator)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_hsts_header_on_https(client, settings):
    response = client.get(reverse("login"), secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_password_validators_refuse_weak_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("password123", "12345678901", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)
