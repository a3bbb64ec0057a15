"""The log-in lock-out cannot be used as a weapon: it locks a username from one address only,
and the address is the one the request really came from (behind a trusted proxy, the address
that proxy saw), never one the visitor wrote in a header."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from tests.test_deployment import import_settings
from ufm.client_address import client_address

pytestmark = pytest.mark.django_db

LOAD_BALANCER = "10.0.0.2"
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.7"


def log_in(client, user, password: str, **meta: str) -> int:
    """One log-in attempt; the answer's status (302 logged in, 200 wrong password, 429 locked)."""
    client.logout()  # the log-in page sends those already logged in on, without a try
    response = client.post(
        reverse("login"), {"username": user.username, "password": password}, **meta
    )
    client.logout()
    return response.status_code


def lock_out(client, settings, user, **meta: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user, "wrong", **meta)
    assert log_in(client, user, TEST_PASSWORD, **meta) == 429


def test_failures_from_one_address_do_not_lock_the_account_from_another(
    client, settings, interviewer
):
    lock_out(client, settings, interviewer, REMOTE_ADDR=ATTACKER)
    assert log_in(client, interviewer, TEST_PASSWORD, REMOTE_ADDR=VICTIM) == 302


def test_failures_for_one_account_do_not_lock_another_from_the_same_address(
    client, settings, interviewer, partner
):
    lock_out(client, settings, interviewer, REMOTE_ADDR=ATTACKER)
    assert log_in(client, partner, TEST_PASSWORD, REMOTE_ADDR=ATTACKER) == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored(client, settings, interviewer):
    settings.TRUSTED_PROXY_COUNT = 0
    # A new made-up address on every try must not reset the count.
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(
            client, interviewer, "wrong", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        )
    assert (
        log_in(
            client,
            interviewer,
            TEST_PASSWORD,
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR="192.0.2.200",
        )
        == 429
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_behind_a_trusted_proxy_failures_from_one_client_do_not_lock_another(
    client, settings, interviewer
):
    # Behind the load balancer every request comes from its address; only the header differs.
    settings.TRUSTED_PROXY_COUNT = 1
    lock_out(
        client, settings, interviewer, REMOTE_ADDR=LOAD_BALANCER, HTTP_X_FORWARDED_FOR=ATTACKER
    )
    assert (
        log_in(
            client,
            interviewer,
            TEST_PASSWORD,
            REMOTE_ADDR=LOAD_BALANCER,
            HTTP_X_FORWARDED_FOR=VICTIM,
        )
        == 302
    )


def test_behind_a_trusted_proxy_the_address_it_saw_is_used(client, settings, interviewer):
    settings.TRUSTED_PROXY_COUNT = 1
    log_in(client, interviewer, "wrong", REMOTE_ADDR=LOAD_BALANCER, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]


def test_behind_a_trusted_proxy_addresses_the_client_wrote_are_ignored(
    client, settings, interviewer
):
    # The proxy adds the address it saw at the right; whatever is to its left, the client sent.
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        forged = f"192.0.2.{n}, {ATTACKER}"
        log_in(client, interviewer, "wrong", REMOTE_ADDR=LOAD_BALANCER, HTTP_X_FORWARDED_FOR=forged)
    forged = f"192.0.2.200, {ATTACKER}"
    assert (
        log_in(
            client,
            interviewer,
            TEST_PASSWORD,
            REMOTE_ADDR=LOAD_BALANCER,
            HTTP_X_FORWARDED_FOR=forged,
        )
        == 429
    )


def address(count: int, remote: str = LOAD_BALANCER, forwarded: str | None = None) -> str | None:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    with override_settings(TRUSTED_PROXY_COUNT=count):
        return client_address(request)


def test_with_two_trusted_proxies_the_second_address_from_the_right_is_the_clients():
    assert address(2, forwarded=f"192.0.2.1, {VICTIM}, 10.0.0.9") == VICTIM


def test_a_request_that_did_not_come_through_the_proxies_counts_by_its_own_address():
    # The health check, or someone on the internal network.
    assert address(1) == LOAD_BALANCER
    assert address(2, forwarded=VICTIM) == LOAD_BALANCER


@pytest.mark.parametrize(
    "forwarded", ["", "not-an-address", f"{VICTIM}:4431", "\x00", " , ", "fe80::1%eth0"]
)
def test_a_forwarded_for_that_is_not_an_address_counts_as_the_proxys_own(forwarded):
    assert address(1, forwarded=forwarded) == LOAD_BALANCER


def test_ipv6_addresses_are_written_one_way():
    assert address(1, forwarded="2001:DB8:0:0::1") == "2001:db8::1"


def test_a_failed_log_in_with_a_bad_forwarded_for_is_counted_not_a_500(
    client, settings, interviewer
):
    settings.TRUSTED_PROXY_COUNT = 1
    status = log_in(
        client, interviewer, "wrong", REMOTE_ADDR=LOAD_BALANCER, HTTP_X_FORWARDED_FOR="junk"
    )
    assert status == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [LOAD_BALANCER]


@pytest.mark.parametrize("value", ["two", "-1", "1.5"])
def test_the_settings_refuse_a_proxy_count_that_is_not_a_whole_number(value):
    result = import_settings(DEBUG="1", TRUSTED_PROXY_COUNT=value)
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be a whole number" in result.stderr


def test_the_settings_read_the_proxy_count():
    assert import_settings(DEBUG="1", TRUSTED_PROXY_COUNT="1").returncode == 0
    assert import_settings(DEBUG="1", TRUSTED_PROXY_COUNT="").returncode == 0
