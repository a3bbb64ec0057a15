"""A signed-in session's expiry moves on at most once a minute (ufm.session_refresh)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from ufm.session_refresh import REFRESH_SECONDS, SAVED_AT

pytestmark = pytest.mark.django_db


def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def _saved_ago(client, seconds: int) -> None:
    """Make the session look last saved ``seconds`` ago, with an expiry to match."""
    session = client.session
    session[SAVED_AT] = int(timezone.now().timestamp()) - seconds
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=30) - timedelta(seconds=seconds)
    )


def test_a_request_within_the_minute_writes_no_session(client, coordinator):
    client.force_login(coordinator)
    _saved_ago(client, 10)
    before = _session_row(client)
    assert client.get(reverse("home")).status_code == 200
    after = _session_row(client)
    assert after.expire_date == before.expire_date
    assert after.session_data == before.session_data


def test_a_request_a_minute_later_moves_the_expiry_on(client, coordinator):
    client.force_login(coordinator)
    _saved_ago(client, REFRESH_SECONDS)
    before = _session_row(client).expire_date
    assert client.get(reverse("home")).status_code == 200
    after = _session_row(client).expire_date
    assert after - before >= timedelta(seconds=REFRESH_SECONDS - 5)
    assert after > timezone.now() + timedelta(minutes=29)


def test_signing_in_saves_the_time_so_the_first_minute_writes_no_session(client, coordinator):
    client.force_login(coordinator)
    assert abs(client.session[SAVED_AT] - timezone.now().timestamp()) < 5
    before = _session_row(client)
    client.get(reverse("home"))
    assert _session_row(client).session_data == before.session_data


def test_signing_in_through_the_page_saves_the_time(client, coordinator):
    coordinator.set_password("a long enough password")
    coordinator.save()
    response = client.post(
        reverse("login"), {"username": coordinator.username, "password": "a long enough password"}
    )
    assert response.status_code == 302
    assert abs(client.session[SAVED_AT] - timezone.now().timestamp()) < 5


def test_signing_out_leaves_no_session(client, coordinator):
    client.force_login(coordinator)
    client.get(reverse("home"))
    client.post(reverse("logout"))
    assert not Session.objects.exists()


def test_a_visitor_who_is_not_signed_in_gets_no_session(client):
    client.get(reverse("login"))
    assert not Session.objects.exists()


def test_an_idle_session_still_ends_when_its_expiry_passes(client, coordinator):
    client.force_login(coordinator)
    client.get(reverse("home"))
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
