"""What the tests of the interviewers' pages share: page addresses, an autosave call, quotes to
add and a query counter (the pair's draft and submitted records are fixtures in conftest)."""

import html
import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ITEMS, QuoteFactory, site

ALL_ITEMS = list(ITEMS)


def page_url(name, session, *args):
    return reverse(f"interviews:{name}", args=[session.pk, *args])


def autosave(client, session, changes, version=None):
    session.refresh_from_db()
    body = {"version": session.version if version is None else version, "changes": changes}
    return client.post(page_url("autosave", session), json.dumps(body), "application/json")


def original_of(response) -> str:
    found = re.search(r'name="original" value="([^"]*)"', response.content.decode())
    return html.unescape(found.group(1))


def queries(client, method, url, *args):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, *args)
    assert response.status_code in (200, 302), response.content[:500]
    return len(captured)


def add_quotes(session, count):
    for item in ("companionship", "what_helped"):
        for position in range(count):
            QuoteFactory(session=session, item=item, position=position)


def start_data(partner, **overrides):
    """What the start page's form sends, with ``overrides``."""
    return {
        "participant_code": "lsi-300 ",
        "interview_date": "2018-04-12",
        "site": site().pk,
        "partner": partner.pk,
        **overrides,
    }
