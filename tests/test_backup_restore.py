"""A pg_dump restored into a new database gives byte-identical exports (PostgreSQL only;
CI runs the suite on PostgreSQL too)."""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.db import connection

from tests.analysis_data import build
from themes.export_filters import ExportFilters
from themes.exports import EXPORTS, export_stream

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL"),
]


def url_for(database: str) -> str:
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{database}"


def psql(command: str) -> None:
    subprocess.run(["psql", "-X", "-q", url_for("postgres"), "-c", command], check=True)


def test_a_restored_dump_gives_byte_identical_exports(reference_data, analyst, tmp_path):
    build(analyst)
    made_here = {
        kind: b"".join(
            export_stream(
                kind=kind, filters=ExportFilters(), excel=False, user=None, channel="command"
            )
        )
        for kind in EXPORTS
    }
    dump = tmp_path / "ufm.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}",
         url_for(connection.settings_dict["NAME"])],
        check=True,
    )  # fmt: skip
    restored = f"ufm_restore_{uuid.uuid4().hex[:8]}"
    psql(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={url_for(restored)}", str(dump)], check=True
        )
        for kind, expected in made_here.items():
            out = tmp_path / f"{kind}.csv"
            subprocess.run(
                [sys.executable, "manage.py", "export", kind, "--out", str(out)],
                cwd=settings.BASE_DIR,
                env={
                    **os.environ,
                    "DATABASE_URL": url_for(restored),
                    "SECRET_KEY": "restore-test-only-key-0123456789abcdefghijklmnopqrstuvwxyz",
                },
                check=True,
            )
            assert out.read_bytes() == expected, kind
            assert expected.count(b"\n") > 1, kind  # something more than a header
    finally:
        psql(f'DROP DATABASE IF EXISTS "{restored}"')
