"""Two interviewers' devices autosaving the same interview at the same moment, 50 times, against
a live server on the SQLite file: never a 500, and no change lost.

Each round both devices send a change to a different question at once. Every answer must be
200 (saved, perhaps merged with the partner's change), 409 (a conflict) or 503 (busy: sent again
after Retry-After); after the round both changes are in the database.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from interviews.selectors import session_values
from tests.factories import ConsentRecordFactory, InterviewSessionFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locking"),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 50
JSON = "application/json"
CSRF_TOKEN = "a" * 32  # any 32 letters: the cookie and the header only have to agree


class Device:
    """One interviewer's browser, as the autosave script uses the server: it remembers the
    version and the value of its own field that the server last confirmed."""

    def __init__(self, live_server, user, session, field: str) -> None:
        client = Client()
        client.force_login(user)
        self.cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF_TOKEN}"
        self.url = live_server.url + reverse("interviews:autosave", args=[session.pk])
        self.field = field
        self.known: list[str] = []
        self.version = session.version
        self.statuses: list[int] = []

    def post(self, value: list[str]) -> tuple[int, dict, str | None]:
        body = {"version": self.version, "changes": {self.field: {"old": self.known, "new": value}}}
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Cookie": self.cookie,
                "X-CSRFToken": CSRF_TOKEN,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.load(response), None
        except urllib.error.HTTPError as error:
            content = error.read()
            # A 500 is Django's HTML page: its status is what the test reports.
            body = json.loads(content) if error.headers.get_content_type() == JSON else {}
            return error.code, body, error.headers.get("Retry-After")

    def save(self, value: list[str]) -> None:
        """Send until the server has it, as the script does."""
        for _ in range(10):
            status, body, retry_after = self.post(value)
            self.statuses.append(status)
            if status == 503:
                time.sleep(min(int(retry_after), 1))  # the script waits Retry-After (capped)
                continue
            if status == 200:
                self.version = body["version"]
                conflicted = {conflict["field"] for conflict in body["conflicts"]}
                if self.field not in conflicted:
                    self.known = value
                    return
            return  # 409, or a conflict: shown to the person, who chooses
        raise AssertionError(f"{self.field} still not saved after 10 tries: {self.statuses}")


def _both_save_at_once(devices: list[Device], round_: int) -> None:
    start = threading.Barrier(len(devices))
    errors: list[BaseException] = []

    def type_and_save(device: Device) -> None:
        try:
            start.wait(10)
            device.save([f"{device.field} round {round_}"])
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=type_and_save, args=(device,)) for device in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert errors == []


def test_fifty_rounds_of_two_concurrent_autosaves(
    live_server, reference_data, interviewer, partner
):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    devices = [
        Device(live_server, interviewer, session, "quotes:help"),
        Device(live_server, partner, session, "quotes:what_else"),
    ]
    for round_ in range(ROUNDS):
        _both_save_at_once(devices, round_)
        values = session_values(session)
        for device in devices:
            expected = [f"{device.field} round {round_}"]
            assert values[device.field] == expected, (round_, device.statuses)

    statuses = [status for device in devices for status in device.statuses]
    assert 500 not in statuses
    assert set(statuses) <= {200, 409, 503}
    assert statuses.count(200) >= 2 * ROUNDS  # every change saved, none given up on
