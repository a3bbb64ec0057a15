"""Autosave: saving, merging a partner's changes, bad input, refusals and its pinned query count."""

import json
import re

import pytest

from interviews.models import Answer, Quote
from interviews.schedules import schedule_of
from interviews.selectors import session_values
from tests.entry_pages import add_quotes, autosave, page_url, queries
from tests.factories import (
    InterviewerFactory,
    InterviewSessionFactory,
    complete_session,
)

pytestmark = pytest.mark.django_db


def test_autosave_saves_and_answers_the_new_version(client, draft, interviewer):
    client.force_login(interviewer)
    response = autosave(client, draft, {"demo:gender": {"old": "", "new": "non_binary"}})
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2
    assert body["applied"] == ["demo:gender"]
    assert re.fullmatch(r"\d\d:\d\d", body["saved_at_display"])


def test_autosave_from_a_stale_version_merges_and_reports_conflicts(
    client, draft, interviewer, partner
):
    client.force_login(partner)
    autosave(client, draft, {"answer:help": {"old": "", "new": "often"}}, version=1)
    client.force_login(interviewer)
    response = autosave(
        client,
        draft,
        {
            "answer:help": {"old": "", "new": "hardly_ever"},
            "answer:left_out": {"old": "", "new": "often"},
        },
        version=1,
    )
    body = response.json()
    assert body["applied"] == ["answer:left_out"]
    [conflict] = body["conflicts"]
    assert conflict["field"] == "answer:help"
    assert (conflict["yours_display"], conflict["theirs_display"]) == ("Hardly ever", "Often")
    assert session_values(draft)["answer:help"] == "often"


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"version": "1", "changes": {}}', b'{"changes": {}}'],
)
def test_autosave_that_is_not_understood_is_400(client, draft, interviewer, body):
    client.force_login(interviewer)
    response = client.post(page_url("autosave", draft), body, "application/json")
    assert response.status_code == 400
    assert "error" in response.json()


def test_autosave_with_a_bad_value_is_400_and_saves_nothing(client, draft, interviewer):
    client.force_login(interviewer)
    response = autosave(
        client,
        draft,
        {
            "demo:carer": {"old": "", "new": "yes"},
            "quotes:help": {"old": [], "new": ["x" * 6000]},
        },
    )
    assert response.status_code == 400
    assert "longer than 5000" in response.json()["error"]
    assert session_values(draft)["demo:carer"] == ""


def test_autosave_of_half_a_character_is_400_and_saves_nothing(client, draft, interviewer):
    # A lone surrogate ("\\ud800" in the JSON) cannot be stored: it was a 500. Found by
    # tests/test_fuzz.py.
    client.force_login(interviewer)
    response = autosave(client, draft, {"quotes:help": {"old": [], "new": ["a\ud800"]}})
    assert response.status_code == 400
    assert "cannot be saved" in response.json()["error"]
    assert not Quote.objects.filter(session=draft).exists()


def test_autosave_drops_nul_characters_from_quotes(client, draft, interviewer):
    # PostgreSQL refuses NUL in text: this was a 500 there. Found by tests/test_fuzz.py.
    client.force_login(interviewer)
    response = autosave(client, draft, {"quotes:help": {"old": [], "new": ["a\x00b"]}})
    assert response.status_code == 200
    assert session_values(draft)["quotes:help"] == ["ab"]


def test_autosave_of_an_oversized_body_is_400(client, draft, interviewer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(interviewer)
    response = autosave(client, draft, {"quotes:help": {"old": [], "new": ["x" * 2000]}})
    assert response.status_code == 400
    assert "too much" in response.json()["error"]


def test_autosave_refuses_locked_records_other_pairs_other_roles_and_no_consent(
    client, draft, submitted, interviewer, analyst
):
    change = {"answer:help": {"old": "", "new": "often"}}
    client.force_login(interviewer)
    response = autosave(client, submitted, change)
    assert response.status_code == 409
    assert response.json()["locked"] is True
    unconsented = InterviewSessionFactory(interviewer_1=interviewer)
    assert autosave(client, unconsented, change).status_code == 409
    client.force_login(InterviewerFactory())
    assert autosave(client, draft, change).status_code == 404
    client.force_login(analyst)
    assert autosave(client, draft, change).status_code == 403
    assert not Answer.objects.filter(session=draft).exists()


def test_autosave_needs_a_post(client, draft, interviewer):
    client.force_login(interviewer)
    assert client.get(page_url("autosave", draft)).status_code == 405


# Review and submit


def test_autosave_query_count_does_not_grow_with_quotes(client, interviewer, partner):
    counts = []
    for count in (1, 10):
        session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
        add_quotes(session, count)
        texts = list(
            Quote.objects.filter(session=session, question__code="companionship").values_list(
                "text", flat=True
            )
        )
        client.force_login(interviewer)
        schedule_of(session.evaluation)  # read once, as a running server has it
        body = {
            "version": session.version,
            "changes": {
                "quotes:companionship": {"old": texts, "new": [*texts[:-1], "Edited."]},
                "answer:help": {"old": "some_of_the_time", "new": "often"},
            },
        }
        counts.append(
            queries(
                client, "post", page_url("autosave", session), json.dumps(body), "application/json"
            )
        )
    # session, user, roles, the session with its evaluation; in the transaction: lock the row
    # (with the evaluation again), the consent gate (2: quote consent is read in the same
    # query), read the stored answer and quotes of the two fields changed (2), update one
    # answer (with history), update one quote (with history), bump the version (with
    # history). The other nine quotes are not touched; the schedule is read from memory; the
    # login session is not saved again within its minute (ufm.session_refresh).
    assert counts[0] == counts[1] == 21
