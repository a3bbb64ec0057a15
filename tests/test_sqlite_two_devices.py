"""SQLite holds two devices saving at once: WAL, and transactions that take the write lock as
they begin and wait for it (``transaction_mode`` IMMEDIATE and a busy timeout), set by the app.

The browser test of a pair on two devices (tests/browser/test_entry_flow.py) is the whole
story; this checks each setting on the app's own connection.
"""

import threading

import pytest
from django.db import connection, connections, transaction

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")


@pytest.mark.django_db
def test_the_apps_connection_uses_wal():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


@pytest.mark.django_db
def test_transactions_take_the_write_lock_as_they_begin_and_wait_for_it():
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000


@pytest.mark.django_db(transaction=True)
def test_a_second_writer_waits_instead_of_failing(reference_data):
    """Two transactions that each read, then write: deferred, the second fails at once with
    "database is locked"; immediate, it waits for the first and then goes on."""
    from interviews.models import Site

    first_holds_lock = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def first_writer():
        try:
            with transaction.atomic():
                Site.objects.filter(code="pall_mall").count()
                Site.objects.filter(code="pall_mall").update(order=1)
                first_holds_lock.set()
                release.wait(5)
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_writer)
    thread.start()
    assert first_holds_lock.wait(10)
    threading.Timer(0.5, release.set).start()
    with transaction.atomic():
        Site.objects.filter(code="pall_mall").count()
        Site.objects.filter(code="pall_mall").update(order=2)
    thread.join(10)
    assert errors == []
    assert Site.objects.get(code="pall_mall").order == 2
