"""Deleted words do not stay in the SQLite file: the app sets ``secure_delete`` itself, so
what a withdrawal deletes is overwritten with zeros whatever the SQLite build's default.

PostgreSQL has no such setting: see the README, "What a withdrawal leaves on disk".
"""

import sqlite3

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="an SQLite setting"),
]


def secure_delete(conn) -> int:
    return conn.execute("PRAGMA secure_delete").fetchone()[0]


def test_the_apps_connection_overwrites_deleted_content():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


def test_it_does_not_rely_on_the_sqlite_build(monkeypatch):
    # Debian builds SQLite with secure_delete on by default, other builds do not: act as one
    # of those, whose new connections start with it off.
    connect = sqlite3.connect

    def connect_as_a_plain_build(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.execute("PRAGMA secure_delete = OFF")
        return conn

    monkeypatch.setattr(sqlite3.dbapi2, "connect", connect_as_a_plain_build)
    conn = connection.get_new_connection(connection.get_connection_params())
    try:
        assert secure_delete(conn) == 1
    finally:
        conn.close()
