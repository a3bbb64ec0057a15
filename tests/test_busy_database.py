"""A busy database is never a 500: the autosave gets a JSON 503 with Retry-After and nothing
saved, pages get a calm "try again" page; other database errors stay 500s.

The lock is real: another connection holds the write lock (SQLite) or the session's row
(PostgreSQL), and this test's connection is told to give up waiting after a moment.
"""

import json
import logging
import sqlite3

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from interviews.models import InterviewSession
from interviews.selectors import session_values
from tests.factories import ConsentRecordFactory, InterviewSessionFactory
from ufm.busy import RETRY_AFTER_SECONDS, is_busy
from ufm.session_refresh import SAVED_AT

BUSY_WORDS = "Not saved yet"


def _wrapped(cause: BaseException) -> OperationalError:
    """Django's error as its database wrapper raises it, with the driver's as the cause."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


def _sqlite_busy_error() -> sqlite3.OperationalError:
    holder = sqlite3.connect(":memory:")
    try:
        holder.execute("CREATE TABLE t (x)")
        # An in-memory database shared by name lets a second connection meet the first's lock.
        first = sqlite3.connect("file:busy?mode=memory&cache=shared", uri=True)
        second = sqlite3.connect("file:busy?mode=memory&cache=shared", uri=True, timeout=0)
        first.execute("CREATE TABLE t (x)")
        first.execute("BEGIN IMMEDIATE")
        first.execute("INSERT INTO t VALUES (1)")
        try:
            second.execute("SELECT * FROM t")
        except sqlite3.OperationalError as error:
            return error
        raise AssertionError("the second connection was not refused")
    finally:
        holder.close()


@pytest.mark.parametrize(
    "cause",
    [
        sqlite3.OperationalError("database is locked"),
        psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"),
        psycopg.errors.SerializationFailure("could not serialize access"),
        psycopg.errors.DeadlockDetected("deadlock detected"),
    ],
    ids=["sqlite-locked", "pg-lock-timeout", "pg-serialization", "pg-deadlock"],
)
def test_busy_errors_are_recognised(cause):
    assert is_busy(_wrapped(cause))


def test_sqlites_own_busy_error_is_recognised_by_its_code():
    assert is_busy(_wrapped(_sqlite_busy_error()))


@pytest.mark.parametrize(
    "error",
    [
        _wrapped(sqlite3.OperationalError("no such table: interviews_site")),
        _wrapped(sqlite3.OperationalError("disk I/O error")),
        _wrapped(psycopg.errors.QueryCanceled("canceling statement due to statement timeout")),
        _wrapped(psycopg.errors.AdminShutdown("terminating connection")),
        ValueError("database is locked"),
    ],
    ids=["missing-table", "disk", "statement-timeout", "shutdown", "not-a-database-error"],
)
def test_other_errors_are_not_busy(error):
    assert not is_busy(error)


@pytest.fixture
def draft(reference_data, interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    return session


@pytest.fixture
def interviewer_client(draft, interviewer) -> Client:
    # The busy page may come from Django's 500 handler (the session saved after the view):
    # answered as a real server answers, not raised into the test. Logged in before the
    # database is made busy: logging in writes.
    client = Client(raise_request_exception=False)
    client.force_login(interviewer)
    # Its expiry due to move on (ufm.session_refresh), so the session is saved after the view,
    # as it is once a minute.
    session = client.session
    session[SAVED_AT] = 0
    session.save()
    return client


@pytest.fixture
def busy_database(draft, interviewer_client):
    """Another connection holds the lock this test's requests need, until released."""
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # the write lock: nobody else may write
        options = connection.settings_dict["OPTIONS"]
        timeout = options["timeout"]
        options["timeout"] = 0.05
        connection.close()  # the next query connects with the short wait
    elif connection.vendor == "postgresql":
        other = psycopg.connect(**connection.get_connection_params())
        other.execute(
            f"SELECT 1 FROM {InterviewSession._meta.db_table} WHERE id = %s FOR UPDATE",
            [draft.pk],
        )
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '50ms'")
    else:
        pytest.skip(f"no lock to hold on {connection.vendor}")

    def release():
        if connection.vendor == "postgresql":
            other.rollback()
        elif other.in_transaction:
            other.execute("ROLLBACK")

    yield release
    release()
    other.close()
    if connection.vendor == "sqlite":
        options["timeout"] = timeout
    connection.close()


def _autosave(client, session, changes):
    session.refresh_from_db()
    return client.post(
        reverse("interviews:autosave", args=[session.pk]),
        json.dumps({"version": session.version, "changes": changes}),
        "application/json",
        headers={"accept": "application/json"},
    )


@pytest.mark.django_db(transaction=True)
def test_an_autosave_meeting_a_busy_database_is_a_json_503_and_saves_nothing(
    draft, interviewer_client, busy_database, caplog
):
    client = interviewer_client
    change = {"quotes:help": {"old": [], "new": ["The peer group, every week."]}}
    with caplog.at_level(logging.WARNING, logger="ufm.busy"):
        response = _autosave(client, draft, change)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    body = response.json()
    assert body["busy"] is True
    assert "try again" in body["error"]
    assert "database is locked" not in body["error"]
    # Logged, with the address only: never the words that were being saved.
    assert any("Database busy" in record.getMessage() for record in caplog.records)
    assert "peer group" not in caplog.text

    busy_database()  # the other save finishes
    assert session_values(draft)["quotes:help"] == []
    response = _autosave(client, draft, change)
    assert response.status_code == 200
    assert session_values(draft)["quotes:help"] == ["The peer group, every week."]


@pytest.mark.django_db(transaction=True)
def test_a_page_meeting_a_busy_database_is_a_calm_503_page(
    draft, interviewer_client, busy_database
):
    client = interviewer_client
    url = reverse("interviews:section", args=[draft.pk, "feel"])
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert "please try again" in page
    assert "Nothing you typed has been lost." in page
    assert f'href="{url}"' in page  # try again
    assert "database is locked" not in page and "OperationalError" not in page


@pytest.mark.django_db(transaction=True)
def test_a_form_post_meeting_a_busy_database_leads_back_to_the_page(
    draft, interviewer_client, busy_database
):
    client = interviewer_client
    url = reverse("interviews:section", args=[draft.pk, "helps"])
    response = client.post(
        url,
        {"quotes:help": "The peer group.", "original": "{}", "version": "1", "next": "1"},
        headers={"referer": f"http://testserver{url}"},
    )
    assert response.status_code == 503
    page = response.content.decode()
    assert "press the button again" in page
    assert f'href="http://testserver{url}"' in page
    busy_database()
    assert session_values(draft)["quotes:help"] == []


@pytest.mark.django_db(transaction=True)
def test_the_way_back_never_leads_to_another_site(draft, interviewer_client, busy_database):
    client = interviewer_client
    response = client.post(
        reverse("interviews:section", args=[draft.pk, "helps"]),
        {"quotes:help": "The peer group.", "original": "{}", "version": "1", "next": "1"},
        headers={"referer": "https://elsewhere.example/phish"},
    )
    assert response.status_code == 503
    assert "elsewhere.example" not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_busy_database_after_the_view_is_the_same_calm_page(
    draft, interviewer_client, busy_database
):
    """My interviews only reads; what meets the lock is saving the log-in session after the
    view, which Django answers through its 400 handler, not the middleware."""
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite's write lock keeps the log-in session from being saved")
    response = interviewer_client.get(reverse("interviews:my_interviews"))
    assert response.status_code == 503
    assert "please try again" in response.content.decode()


def test_the_500_handler_answers_a_busy_database_met_elsewhere_as_busy(rf):
    """Other middleware than the session's (none writes today) end in Django's 500 handler."""
    from ufm.error_pages import server_error

    try:
        raise _wrapped(sqlite3.OperationalError("database is locked"))
    except OperationalError:
        response = server_error(rf.get("/interviews/"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
