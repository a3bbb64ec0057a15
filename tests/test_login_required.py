"""Every URL except log in (the health check, the favicon, the service worker and the offline
page) sends anonymous visitors to log in."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Log-in pages (the app's and the admin's own), the load balancer's health check, and the
# favicon (the log-in page shows it too; tests/test_favicon.py), and the service worker and its
# offline page, the same for everyone and holding nobody's data (tests/test_offline_views.py).
OPEN_TO_ALL = {"login", "healthz", "favicon", "service_worker", "offline"}


def all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from all_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def example_path(route: str) -> str:
    """A concrete path for a route, with 1 for every parameter."""
    import re

    path = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    return "/" + path.lstrip("^").rstrip("$").replace("\\", "")


ROUTES = sorted({route for route, pattern in all_patterns() if pattern.name not in OPEN_TO_ALL})


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_visitors_are_sent_to_log_in(client, route):
    response = client.get(example_path(route))
    assert response.status_code in (301, 302), route
    assert response.url.startswith((reverse("login"), reverse("admin:login"))), route


def test_the_login_page_is_open(client):
    assert client.get(reverse("login")).status_code == 200


def test_the_health_check_is_open(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
