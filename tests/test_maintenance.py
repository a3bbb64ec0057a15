"""`manage.py maintenance`: expired sessions deleted, import files left waiting removed."""

from __future__ import annotations

import datetime
import io
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command, load_command_class
from django.utils import timezone

from ufm.pending_imports import LIFETIME_SECONDS, pending_import_save

pytestmark = pytest.mark.django_db


def test_maintenance_deletes_expired_sessions_and_stale_files(analyst):
    expired, current = SessionStore(), SessionStore()
    for store, minutes in ((expired, -1), (current, 30)):
        store["x"] = 1
        store.set_expiry(timezone.now() + datetime.timedelta(minutes=minutes))
        store.save()
    stale = pending_import_save(user=analyst, kind="interviews", name="a.csv", data=b"old")
    fresh = pending_import_save(user=analyst, kind="interviews", name="b.csv", data=b"new")
    old = time.time() - LIFETIME_SECONDS - 1
    os.utime(Path(settings.IMPORT_DIR) / f"{stale}.pending", (old, old))

    out = io.StringIO()
    call_command("maintenance", stdout=out)

    assert set(Session.objects.values_list("session_key", flat=True)) == {current.session_key}
    assert [p.name for p in Path(settings.IMPORT_DIR).iterdir()] == [f"{fresh}.pending"]
    assert "1 import file" in out.getvalue()


def test_maintenance_explains_itself_in_its_help():
    command = load_command_class("themes", "maintenance")
    text = command.create_parser("manage.py", "maintenance").format_help()
    assert "clearsessions" in text and "every hour" in text
