"""The four CSV exports of ../shared/spec/exchange.md, byte for byte: rows written as bytes.

Every export is of one evaluation (``ExportFilters.evaluation``): its columns and rows follow
that evaluation's schedule in survey order (evaluation.md, "Files of an evaluation").

One function per file yields its rows (header first; ``themes.export_rows`` and
``themes.export_counts``); ``export_stream`` turns rows into the text the download and the
``export`` command both send, so the two can never differ.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterator

from django.db import connection

from interviews.schedules import Schedule
from themes.export_counts import counts_rows, theme_counts_rows
from themes.export_filters import ExportFilters
from themes.export_rows import (
    QUOTE_COLUMNS,
    interview_export_columns,
    interviews_rows,
    quotes_rows,
)
from themes.models import ExportRecord

BOM = "\ufeff"

FLUSH_EVERY = 500  # rows written before a piece of the file is sent on


EXPORTS: dict[str, Callable[[ExportFilters], Iterator[list]]] = {
    "interviews": interviews_rows,
    "quotes": quotes_rows,
    "counts": counts_rows,
    "theme_counts": theme_counts_rows,
}


# The header of each row export, from the export's evaluation (PostgreSQL's COPY writes the
# rows, these names head them).
ROW_EXPORT_COLUMNS: dict[str, Callable[[Schedule], tuple[str, ...]]] = {
    "interviews": interview_export_columns,
    "quotes": lambda schedule: QUOTE_COLUMNS,
}


def file_name(kind: str, extension: str = "csv") -> str:
    """The file's name in the contract (exchange.md), as each ExportRecord keeps it."""
    return f"{kind}.{extension}"


# What a download's name may hold (README, "Exports"): the codes' own characters, ASCII.
UNSAFE_IN_NAMES = re.compile(r"[^A-Za-z0-9_.+-]")
LONGEST_NAME = 200  # characters; file systems keep 255 bytes, some paths less


def download_name(kind: str, recorded: dict, extension: str, made_on: datetime.date) -> str:
    """The name a download is saved under, from its filters as recorded
    (``ExportFilters.as_json``): the kind, the evaluation, each --where filter as
    VARIABLE-CODE, from-DATE and to-DATE, with-unverified, then made-DATE, joined by "_", e.g.
    ``quotes_loneliness-2018_site-pall_mall_from-2018-05-01_to-2018-06-30_made-2026-12-02.csv``.
    Codes and ISO dates only: ASCII letters, digits and ``_ . + -``, never a space. Filters that
    would make it longer than LONGEST_NAME are left out of it, and ``more-filters`` says so."""
    head = [kind, recorded.get("evaluation", "")]
    filters = [text.replace("=", "-", 1) for text in recorded.get("where", [])]
    filters += [f"{end}-{recorded[end]}" for end in ("from", "to") if recorded.get(end)]
    if recorded.get("include_unverified"):
        filters.append("with-unverified")
    tail = [f"made-{made_on.isoformat()}"]

    def joined(parts: list[str]) -> str:
        return "_".join(UNSAFE_IN_NAMES.sub("-", part) for part in parts if part)

    kept = list(filters)
    while kept and len(joined([*head, *kept, "more-filters", *tail])) > LONGEST_NAME:
        kept.pop()
    more = ["more-filters"] if len(kept) < len(filters) else []
    return f"{joined([*head, *kept, *more, *tail])}.{extension}"


def export_stream(
    *, kind: str, filters: ExportFilters, excel: bool, user, channel: str
) -> Iterator[bytes]:
    """The bytes of an export, in pieces, recording it in ExportRecord as it goes: the record
    is made before the first byte (so even an interrupted download is on record) and its row
    count is filled in after the last. On PostgreSQL the row exports are one COPY (see
    ``themes.exports_pg``); everywhere else, and for the counts, Python writes the rows."""
    record = ExportRecord.objects.create(
        file=file_name(kind),
        made_by=user if user is not None and user.is_authenticated else None,
        channel=channel,
        filters=filters.as_json(),
        format=ExportRecord.Format.EXCEL if excel else ExportRecord.Format.CSV,
    )
    if excel:
        yield BOM.encode("utf-8")
    if kind in ROW_EXPORT_COLUMNS and connection.vendor == "postgresql":
        from themes import exports_pg

        select = exports_pg.select_for(kind, filters)
        header = list(ROW_EXPORT_COLUMNS[kind](filters.schedule))
        count = yield from exports_pg.copy_csv(select, header)
    else:
        count = yield from _python_csv(EXPORTS[kind](filters))
    record.rows = count
    record.save(update_fields=["rows"])


def _python_csv(rows: Iterator[list]) -> Iterator[bytes]:
    """Rows as CSV bytes (header first) in pieces; returns the number of data rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    count = -1  # the header is not a row of data
    for row in rows:
        writer.writerow(row)
        count += 1
        if count % FLUSH_EVERY == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
    return count
