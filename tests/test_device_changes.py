"""A device's outbox sent to autosave: each change id is applied once, in order, and a retry
(or a second tab) answers what the first send answered."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from interviews.models import DeviceChange, InterviewSession, Quote
from interviews.selectors import session_values
from tests.entry_pages import autosave
from tests.factories import ConsentRecordFactory, InterviewSessionFactory

pytestmark = pytest.mark.django_db


def change(id_, field, old, new):
    return {"id": id_, "field": field, "old": old, "new": new}


def test_a_change_is_applied_and_its_id_answered_done(client, draft, interviewer):
    client.force_login(interviewer)
    response = autosave(client, draft, [change("dev1-0001", "quotes:help", [], ["My sister."])])
    assert response.status_code == 200
    body = response.json()
    assert body["done"] == ["dev1-0001"]
    assert body["applied"] == ["quotes:help"]
    assert session_values(draft)["quotes:help"] == ["My sister."]
    assert DeviceChange.objects.get().outcome == DeviceChange.Outcome.APPLIED


def test_a_retry_never_duplicates_a_quote_and_answers_the_same(client, draft, interviewer):
    client.force_login(interviewer)
    sent = [change("dev1-0001", "quotes:help", [], ["My sister."])]
    first = autosave(client, draft, sent).json()
    # The partner adds a second quote; then the lost answer's retry arrives.
    autosave(client, draft, {"quotes:help": {"old": ["My sister."], "new": ["My sister.", "Hi"]}})
    again = autosave(client, draft, sent, version=first["version"]).json()
    assert again["done"] == ["dev1-0001"]
    assert again["applied"] == [] and again["conflicts"] == []
    assert session_values(draft)["quotes:help"] == ["My sister.", "Hi"]
    assert Quote.objects.filter(session=draft).count() == 2
    assert DeviceChange.objects.count() == 1


def test_changes_to_one_field_are_applied_in_the_order_made(client, draft, interviewer):
    client.force_login(interviewer)
    # Typed on after a send whose answer never came back: the second starts from the first.
    sent = [
        change("dev1-0001", "quotes:help", [], ["My sis"]),
        change("dev1-0002", "answer:help", "", "often"),
        change("dev1-0003", "quotes:help", ["My sis"], ["My sister helps."]),
    ]
    body = autosave(client, draft, sent).json()
    assert body["done"] == ["dev1-0001", "dev1-0002", "dev1-0003"]
    assert body["conflicts"] == []
    values = session_values(draft)
    assert values["quotes:help"] == ["My sister helps."]
    assert values["answer:help"] == "often"
    # Sent again with the first already there (a second tab): nothing changes.
    body = autosave(client, draft, sent).json()
    assert body["conflicts"] == [] and body["applied"] == []
    assert session_values(draft)["quotes:help"] == ["My sister helps."]


def test_a_conflict_is_reported_again_on_a_retry_and_writes_nothing(
    client, draft, interviewer, partner
):
    client.force_login(partner)
    autosave(client, draft, {"answer:help": {"old": "", "new": "often"}})
    client.force_login(interviewer)
    sent = [change("dev1-0001", "answer:help", "", "hardly_ever")]
    first = autosave(client, draft, sent).json()
    again = autosave(client, draft, sent).json()
    for body in (first, again):
        assert body["done"] == ["dev1-0001"]
        [conflict] = body["conflicts"]
        assert conflict["id"] == "dev1-0001"
        assert (conflict["yours_display"], conflict["theirs_display"]) == ("Hardly ever", "Often")
    assert session_values(draft)["answer:help"] == "often"


@pytest.mark.parametrize(
    "changes",
    [
        [{"field": "answer:help", "new": "often"}],  # no id
        [change("short", "answer:help", "", "often")],
        [change("dev1 0001 with spaces", "answer:help", "", "often")],
        [change("dev1-0001", 7, "", "often")],
        [{"id": "dev1-0001", "field": "answer:help"}],
        ["not a change"],
        [change(f"dev1-{n:05d}", "answer:help", "", "often") for n in range(501)],
    ],
)
def test_a_list_that_is_not_understood_is_400_and_saves_nothing(
    client, draft, interviewer, changes
):
    client.force_login(interviewer)
    response = autosave(client, draft, changes)
    assert response.status_code == 400
    assert "not understood" in response.json()["error"]
    assert not DeviceChange.objects.exists()


def test_one_bad_change_saves_none_of_the_list(client, draft, interviewer):
    client.force_login(interviewer)
    response = autosave(
        client,
        draft,
        [
            change("dev1-0001", "demo:carer", "", "yes"),
            change("dev1-0002", "quotes:help", [], ["x" * 6000]),
        ],
    )
    assert response.status_code == 400
    assert "longer than 5000" in response.json()["error"]
    assert session_values(draft)["demo:carer"] == ""
    assert not DeviceChange.objects.exists()


def test_a_locked_record_is_refused_for_new_ids(client, submitted, interviewer):
    client.force_login(interviewer)
    response = autosave(client, submitted, [change("dev1-0001", "answer:help", "", "often")])
    assert response.status_code == 409
    assert not DeviceChange.objects.exists()


def test_the_same_id_on_another_session_is_another_change(client, draft, interviewer, partner):
    other = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=other)
    client.force_login(interviewer)
    for session in (draft, other):
        body = autosave(client, session, [change("dev1-0001", "answer:help", "", "often")]).json()
        assert body["applied"] == ["answer:help"]


def test_a_second_evaluation_takes_the_outbox_too(client, crisis_care, interviewer, partner):
    session = InterviewSessionFactory(
        evaluation=crisis_care,
        participant_code="CC-001",
        interviewer_1=interviewer,
        interviewer_2=partner,
        practice=True,
    )
    ConsentRecordFactory(session=session)
    key = next(k for k in session_values(session) if k.startswith("quotes:"))
    client.force_login(interviewer)
    sent = [change("dev1-0001", key, [], ["Quick."])]
    for _ in range(2):
        body = autosave(client, session, sent).json()
        assert body["done"] == ["dev1-0001"]
    assert session_values(session)[key] == ["Quick."]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes one writer at a time: the race needs PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_tabs_sending_the_same_ids_at_once_apply_them_once(
    reference_data, interviewer, partner
):
    # Real commits, so that each tab's thread sees the draft.
    draft = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=draft)
    sent = [change(f"dev1-{n:04d}", "quotes:help", [], ["Once only."]) for n in range(1)]
    body = json.dumps({"version": 1, "changes": sent})
    answers = []

    def send():
        tab = Client()
        tab.force_login(interviewer)
        answers.append(tab.post(f"/interviews/{draft.pk}/autosave/", body, "application/json"))
        connection.close()

    tabs = [threading.Thread(target=send) for _ in range(4)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join()
    assert [a.status_code for a in answers] == [200] * 4
    assert Quote.objects.filter(session=draft).count() == 1
    assert DeviceChange.objects.count() == 1
    assert InterviewSession.objects.get(pk=draft.pk).version == 2
