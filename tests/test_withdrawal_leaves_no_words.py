"""After a withdrawal, no table in the database holds any of the participant's words: every
column of every table, read through the introspection API (so a table added later is searched
too), the sessions' data decoded, and the imports waiting for confirmation."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.urls import reverse

from interviews.models import InterviewSession
from interviews.services.withdrawal import participant_withdraw
from tests.factories import InterviewerFactory
from themes.export_filters import ExportFilters
from themes.exports import export_stream

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "interviews-example.csv"
# Words nobody else says: EX-001's quotes in the file.
WORDS = "marmalade zeppelin"
QUOTE = "The Marmalade Zeppelin lands on my street every Tuesday."


def searchable(value) -> str:
    """A cell as text to search: text and JSON as they are, bytes decoded, numbers skipped."""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value if isinstance(value, str) else ""


def tables_holding(words: str) -> list[str]:
    """Every "table.column" (and "django_session.session_data decoded") holding ``words``."""
    found = []
    words = words.lower()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        # The search is only as good as its list of tables.
        assert {"django_session", "interviews_quote", "interviews_historicalquote"} <= set(tables)
        for table in tables:
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            for values in cursor.fetchall():
                for column, value in zip(columns, values, strict=True):
                    if words in searchable(value).lower():
                        found.append(f"{table}.{column}")
                if table == "django_session":
                    decoded = SessionStore().decode(values[columns.index("session_data")])
                    if words in json.dumps(decoded, ensure_ascii=False).lower():
                        found.append("django_session.session_data decoded")
    return sorted(set(found))


def pending_files_holding(words: str) -> list[str]:
    """Imports waiting for confirmation (each test has its own folder, tests/conftest.py)."""
    folder = Path(settings.IMPORT_DIR)
    if not folder.exists():
        return []
    return [p.name for p in folder.iterdir() if words in p.read_text("utf-8", "replace").lower()]


def upload(client, name: str, text: str, filename: str):
    file = io.BytesIO(text.encode("utf-8"))
    file.name = filename
    return client.post(reverse(name), {"file": file})


def example_with_the_words() -> str:
    rows = list(csv.DictReader(io.StringIO(EXAMPLE.read_text(encoding="utf-8"), newline="")))
    rows[0]["help_quotes"] = QUOTE
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_no_table_holds_a_withdrawn_participants_words(client, analyst, coordinator):
    for name in "abc":
        InterviewerFactory(username=f"interviewer_{name}")
    client.force_login(analyst)
    # Imported through the page: checked (a preview), then confirmed.
    preview = upload(
        client, "admin:interviews_interviewsession_import", example_with_the_words(), "lsi.csv"
    )
    assert b"The file is fine" in preview.content
    assert client.post(
        reverse("admin:interviews_interviewsession_import"), {"confirm": "yes"}
    ).status_code
    # Then quotes.csv, which holds the words, checked for a tags import and left waiting.
    quotes = b"".join(
        export_stream(
            kind="quotes", filters=ExportFilters(), excel=False, user=None, channel="command"
        )
    ).decode("utf-8")
    assert QUOTE in quotes
    assert (
        b"The file is fine"
        in upload(client, "admin:themes_import_tags", quotes, "quotes.csv").content
    )
    # The search finds the words where they are, so it can find them anywhere.
    assert "interviews_quote.text" in tables_holding(WORDS)

    participant_withdraw(
        session=InterviewSession.objects.get(participant_code="EX-001"),
        withdrawal_date=InterviewSession.objects.get(participant_code="EX-001").interview_date,
        how_requested="phoned the office",
        recorded_by=coordinator,
    )

    assert tables_holding(WORDS) == []
    assert pending_files_holding(WORDS) == []


def test_no_session_holds_any_of_an_uploaded_file(client, analyst):
    for name in "abc":
        InterviewerFactory(username=f"interviewer_{name}")
    client.force_login(analyst)
    preview = upload(
        client, "admin:interviews_interviewsession_import", example_with_the_words(), "lsi-2018.csv"
    )
    assert b"The file is fine" in preview.content
    sessions = [SessionStore().decode(data) for data in _session_data()]
    dumped = json.dumps(sessions, ensure_ascii=False).lower()
    assert WORDS not in dumped
    # Not even the file's name or its participant codes.
    assert "lsi-2018" not in dumped and "ex-001" not in dumped


def _session_data() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session")
        return [data for (data,) in cursor.fetchall()]
