"""Uploaded files that passed their check and wait for "Import": kept on the server, never in
the session, as the bytes uploaded (a CSV file's text, or a workbook).

The session table is read by every request and kept until the session is purged, and a
withdrawal cannot reach into it, so an uploaded file (participants' words) must not go there.
Instead each checked file is one file in ``settings.IMPORT_DIR`` (outside the web root: nothing
serves that folder), in a folder only the app's own system account may open, under a random
name; the session holds only that name, the token. A file is removed when it is imported or
cancelled, when a newer file is checked in its place, by every withdrawal (any of them may hold
the participant's words), and after ``LIFETIME`` by ``manage.py maintenance`` (and by the next
upload).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# Long enough to read the preview and press Import; short enough that nothing lingers.
LIFETIME_SECONDS = 60 * 60
# secrets.token_urlsafe(32): 43 characters, 256 random bits. Checked before any path is made.
TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
SUFFIX = ".pending"


@dataclass(frozen=True)
class PendingImport:
    token: str
    kind: str
    name: str
    data: bytes


def _folder() -> Path:
    folder = Path(settings.IMPORT_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkdir's mode does not apply to a folder that was already there.
    folder.chmod(0o700)
    return folder


def _path(token: str) -> Path | None:
    if not isinstance(token, str) or not TOKEN.match(token):
        return None
    return _folder() / f"{token}{SUFFIX}"


def pending_import_save(*, user, kind: str, name: str, data: bytes) -> str:
    """Keep a checked file's bytes until it is imported; returns the token for the session."""
    pending_imports_purge()
    token = secrets.token_urlsafe(32)
    path = _path(token)
    # O_EXCL: never write into a file someone else made; 0600: the app's account reads it.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        # json.dumps escapes every line break, so the first line ends where the file begins.
        out.write(json.dumps({"user": user.pk, "kind": kind, "name": name}).encode() + b"\n")
        out.write(data)
    return token


def pending_import_read(*, token: str | None, user, kind: str) -> PendingImport | None:
    """The file this user checked for this kind of import, or None (then they choose it
    again): no such token, someone else's, another kind, or older than LIFETIME_SECONDS."""
    path = _path(token)
    try:
        if path is None or time.time() - path.stat().st_mtime > LIFETIME_SECONDS:
            pending_import_discard(token=token)
            return None
        with path.open("rb") as source:
            about = json.loads(source.readline())
            if about["user"] != user.pk or about["kind"] != kind:
                return None
            return PendingImport(token=token, kind=kind, name=about["name"], data=source.read())
    except (FileNotFoundError, ValueError, KeyError):
        # Gone (imported or cancelled in another tab), or not one of ours.
        return None


def pending_import_discard(*, token: str | None) -> None:
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def pending_imports_purge(*, everything: bool = False) -> int:
    """Remove the files older than LIFETIME_SECONDS (``everything``: every file); returns how
    many were removed."""
    folder = Path(settings.IMPORT_DIR)
    if not folder.is_dir():
        return 0
    oldest = time.time() - LIFETIME_SECONDS
    removed = 0
    for path in folder.glob(f"*{SUFFIX}"):
        try:
            if everything or path.stat().st_mtime < oldest:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            # Imported or cancelled meanwhile by another process.
            pass
    return removed
