"""The address a request came from, as the log-in lock-out counts it (``TRUSTED_PROXY_COUNT``)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the connection's own, or behind ``TRUSTED_PROXY_COUNT`` proxies
    (the load balancer) the address the outermost of them saw.

    Each proxy adds the address it received the request from at the right of X-Forwarded-For,
    so the client's is the count-th from the right. Anything further left was written by the
    client, and anyone can write anything there: trusted, it would let an attacker pick a new
    address for every guess, or pick their victim's. With no trusted proxy the header is never
    read. A request with fewer addresses than proxies did not come through all of them (the
    health check, the internal network), and a value that is not an address is not trusted:
    both count by the connection's own address.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= count:
            try:
                address = ipaddress.ip_address(forwarded[-count].strip())
            except ValueError:
                return remote
            # A zone ("fe80::1%eth0") names the proxy's own network card, and PostgreSQL's
            # address type refuses it.
            if not getattr(address, "scope_id", None):
                # Written one way, so that one address cannot count as several.
                return str(address)
    return remote
