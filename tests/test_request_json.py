"""Request JSON (autosave's body, the section page's ``original``) is parsed by one helper
with a bound on nesting: too deep, or past Python's recursion limit, is a clear 400."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from interviews.models import InterviewSession
from interviews.selectors import session_values
from tests.factories import ConsentRecordFactory, InterviewSessionFactory
from ufm.json_input import MAX_DEPTH

pytestmark = pytest.mark.django_db

# Past Python's recursion limit (a RecursionError while parsing), and deep enough to parse but
# deeper than any page sends.
TOO_DEEP = ["[" * 100_000 + "]" * 100_000, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)]


@pytest.fixture
def draft(client, interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    client.force_login(interviewer)
    return session


def stored(session: InterviewSession) -> tuple[dict, int]:
    fresh = InterviewSession.objects.get(pk=session.pk)
    return session_values(fresh), fresh.version


@pytest.mark.parametrize("nested", TOO_DEEP, ids=["past-recursion", "past-max-depth"])
@pytest.mark.parametrize("where", ["body", "changes", "value"])
def test_autosave_of_json_nested_too_deep_is_a_clear_400(client, draft, nested, where):
    before = stored(draft)
    body = {
        "body": nested,
        "changes": f'{{"version": {draft.version}, "changes": {nested}}}',
        "value": (
            f'{{"version": {draft.version}, '
            f'"changes": {{"quotes:help": {{"old": [], "new": {nested}}}}}}}'
        ),
    }[where]
    response = client.post(
        reverse("interviews:autosave", args=[draft.pk]), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "not understood" in response.json()["error"]
    assert stored(draft) == before


@pytest.mark.parametrize("nested", TOO_DEEP, ids=["past-recursion", "past-max-depth"])
def test_a_section_post_with_an_original_nested_too_deep_is_a_clear_400(client, draft, nested):
    before = stored(draft)
    url = reverse("interviews:section", args=[draft.pk, "feel"])
    response = client.post(
        url,
        {"version": draft.version, "original": '{"x": ' + nested + "}", "go": "next"},
    )
    assert response.status_code == 400
    assert "out of date" in response.content.decode()
    assert stored(draft) == before


def test_a_form_post_to_autosave_is_not_understood_rather_than_a_500(interviewer, draft):
    # The CSRF check reads a form post before the view, which then cannot read the body.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(interviewer)
    browser.get(reverse("interviews:section", args=[draft.pk, "feel"]))
    token = browser.cookies["csrftoken"].value
    before = stored(draft)
    response = browser.post(
        reverse("interviews:autosave", args=[draft.pk]),
        {"csrfmiddlewaretoken": token, "version": str(draft.version)},
    )
    assert response.status_code == 400
    assert "not understood" in response.json()["error"]
    assert stored(draft) == before


def test_json_as_deep_as_the_pages_send_is_saved(client, draft):
    body = {"version": draft.version, "changes": {"quotes:help": {"old": [], "new": ["Yes."]}}}
    response = client.post(
        reverse("interviews:autosave", args=[draft.pk]),
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert session_values(draft)["quotes:help"] == ["Yes."]
