"""The four CSV exports of ../shared/spec/exchange.md, byte for byte: rows written as bytes.

Every export is of one evaluation (``ExportFilters.evaluation``): its columns and rows follow
that evaluation's schedule in survey order (evaluation.md, "Files of an evaluation").

One function per file yields its rows (header first; ``themes.export_rows`` and
``themes.export_counts``); ``export_stream`` turns rows into the text the download and the
``export`` command both send, so the two can never differ.
"""

from __future__ import annotations

import csv
import io
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
    return f"{kind}.{extension}"


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
