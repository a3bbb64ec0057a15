"""A checked file waits for "Import" on the server, not in the session: a private folder, a
random token in the session, removed on import, cancel, a newer file, a withdrawal, or after an
hour; and who may reach the import pages, by every method."""

from __future__ import annotations

import io
import os
import stat
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from interviews.models import InterviewSession
from tests.factories import AnalystFactory, InterviewerFactory
from ufm.pending_imports import (
    LIFETIME_SECONDS,
    TOKEN,
    pending_import_read,
    pending_import_save,
)

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "interviews-example.csv"
URL = reverse("admin:interviews_interviewsession_import")
KEY = "import_interviews"
PAGES = ["admin:interviews_interviewsession_import", "admin:themes_import_tags"]


@pytest.fixture
def accounts(db):
    return [InterviewerFactory(username=f"interviewer_{x}") for x in "abc"]


def waiting() -> list[Path]:
    folder = Path(settings.IMPORT_DIR)
    return sorted(folder.iterdir()) if folder.exists() else []


def check(client, text: str | None = None):
    if text is None:
        text = EXAMPLE.read_text(encoding="utf-8")
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "lsi-2018.csv"
    return client.post(URL, {"file": upload})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_a_checked_file_waits_in_a_private_folder_under_a_random_token(client, analyst, accounts):
    client.force_login(analyst)
    assert b"The file is fine" in check(client).content
    token = client.session[KEY]
    assert TOKEN.match(token)
    (path,) = waiting()
    assert path.name == f"{token}.pending"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert "EX-001" in path.read_text(encoding="utf-8")


def test_import_saves_the_checked_file_and_removes_it(client, analyst, accounts):
    client.force_login(analyst)
    check(client)
    response = client.post(URL, {"confirm": "yes"}, follow=True)
    assert "Imported lsi-2018.csv: 3 row(s)." in messages_of(response)
    assert InterviewSession.objects.count() == 3
    assert waiting() == []
    assert KEY not in client.session


def test_cancel_removes_the_file_and_imports_nothing(client, analyst, accounts):
    client.force_login(analyst)
    check(client)
    response = client.post(URL, {"cancel": "yes"}, follow=True)
    assert "Cancelled: nothing was imported, and the checked file was removed." in messages_of(
        response
    )
    assert waiting() == []
    assert not InterviewSession.objects.exists()
    # Pressing Import afterwards (another tab) finds nothing to import.
    again = client.post(URL, {"confirm": "yes"}, follow=True)
    assert "Please choose the file again" in messages_of(again)[0]
    assert not InterviewSession.objects.exists()


def test_a_file_checked_over_an_hour_ago_is_not_imported(client, analyst, accounts):
    client.force_login(analyst)
    check(client)
    (path,) = waiting()
    old = time.time() - LIFETIME_SECONDS - 60
    os.utime(path, (old, old))
    response = client.post(URL, {"confirm": "yes"}, follow=True)
    assert "Please choose the file again" in messages_of(response)[0]
    assert not InterviewSession.objects.exists()
    assert waiting() == []


def test_a_newer_file_replaces_the_waiting_one_and_a_bad_one_removes_it(client, analyst, accounts):
    client.force_login(analyst)
    check(client)
    check(client)
    assert len(waiting()) == 1
    assert b"There is a problem" in check(client, "participant_code\nEX-9\n").content
    assert waiting() == []
    assert KEY not in client.session


def test_only_who_checked_the_file_may_import_it(client, analyst, accounts):
    client.force_login(analyst)
    check(client)
    token = client.session[KEY]
    other = AnalystFactory()
    assert pending_import_read(token=token, user=other, kind="interviews") is None
    assert pending_import_read(token=token, user=analyst, kind="tags") is None
    # Even with the token copied into their own session.
    client.force_login(other)
    session = client.session
    session[KEY] = token
    session.save()
    response = client.post(URL, {"confirm": "yes"}, follow=True)
    assert "Please choose the file again" in messages_of(response)[0]
    assert not InterviewSession.objects.exists()


@pytest.mark.parametrize("token", [None, "", "../../etc/passwd", "a" * 42, 12])
def test_a_token_that_is_not_one_of_ours_finds_nothing(analyst, token):
    assert pending_import_read(token=token, user=analyst, kind="interviews") is None


def test_a_withdrawal_removes_every_waiting_file(client, analyst, coordinator, accounts):
    client.force_login(analyst)
    check(client)
    pending_import_save(user=coordinator, kind="tags", name="quotes.csv", data=b"quote_id,tags\n")
    call_command("import_interviews", str(EXAMPLE), stdout=io.StringIO())
    call_command(
        "withdraw", "EX-001", "--date", "2018-05-01", "--how", "phoned", "--yes",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert waiting() == []


# --- who may reach the pages, by every method ---------------------------------------------------

METHODS = ("get", "post", "put", "delete")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "name", ["admin:interviews_interviewsession_import", "admin:themes_import_tags"]
)
def test_anonymous_visitors_are_sent_to_log_in(client, method, name):
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "name", ["admin:interviews_interviewsession_import", "admin:themes_import_tags"]
)
def test_interviewers_never_reach_the_pages(client, interviewer, method, name):
    client.force_login(interviewer)
    response = getattr(client, method)(reverse(name))
    if method in ("put", "delete"):
        # The admin refuses these methods on every page, before looking at who asks.
        assert response.status_code == 405
    else:
        assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("method", METHODS)
def test_coordinators_may_not_import_tags(client, coordinator, method):
    client.force_login(coordinator)
    expected = 405 if method in ("put", "delete") else 403
    assert getattr(client, method)(reverse("admin:themes_import_tags")).status_code == expected


@pytest.mark.parametrize("method", ["put", "delete"])
@pytest.mark.parametrize(
    "name", ["admin:interviews_interviewsession_import", "admin:themes_import_tags"]
)
def test_other_methods_are_refused_and_change_nothing(client, analyst, accounts, method, name):
    client.force_login(analyst)
    check(client)
    response = getattr(client, method)(reverse(name), {"confirm": "yes"})
    assert response.status_code == 405
    assert not InterviewSession.objects.exists()
    assert len(waiting()) == 1
