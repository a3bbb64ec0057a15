"""agreement.csv (exchange.md) of a round, as CSV and as an .xlsx workbook, each recorded in
ExportRecord; the download on the round's page and ``export agreement --round`` both use these.

A closed round's file is its kept figures, so it never changes; an open round's is computed
from its codings now.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

from themes.exports import BOM, _python_csv, file_name
from themes.exports_xlsx import LABEL_COLUMNS, _discard, _header, _row
from themes.models import CodingRound, ExportRecord
from themes.rounds.figures import round_table

KIND = "agreement"
COLUMNS = ("round", "theme", "subtheme", "coders", "quotes", "agreement", "kappa", "alpha")
NUMBERS = frozenset({"coders", "quotes", "agreement", "kappa", "alpha"})


def kept_rows(coding_round: CodingRound) -> list[dict]:
    """The round's table as kept rows (``figures.Row.as_kept``): kept at closing, else now."""
    if not coding_round.is_open:
        return coding_round.figures.get("rows", [])
    return [row.as_kept() for row in round_table(coding_round)]


def agreement_rows(coding_round: CodingRound, kept: list[dict] | None = None) -> Iterator[list]:
    """The rows of agreement.csv, header first; blank where a figure is undefined."""
    yield list(COLUMNS)
    for row in kept if kept is not None else kept_rows(coding_round):
        yield [
            coding_round.name,
            row["theme"],
            row["subtheme"],
            row["coders"],
            row["quotes"],
            *(row[name] or "" for name in ("agreement", "kappa", "alpha")),
        ]


def _record(coding_round: CodingRound, *, user, channel: str, form: str, rows=None):
    return ExportRecord.objects.create(
        file=file_name(KIND, "xlsx" if form == ExportRecord.Format.XLSX else "csv"),
        made_by=user if user is not None and user.is_authenticated else None,
        channel=channel,
        filters={"evaluation": coding_round.evaluation.code, "round": coding_round.name},
        format=form,
        rows=rows,
    )


def agreement_stream(
    *, coding_round: CodingRound, excel: bool, user, channel: str
) -> Iterator[bytes]:
    """The bytes of agreement.csv, recorded before the first byte, its rows after the last."""
    record = _record(
        coding_round,
        user=user,
        channel=channel,
        form=ExportRecord.Format.EXCEL if excel else ExportRecord.Format.CSV,
    )
    if excel:
        yield BOM.encode("utf-8")
    count = yield from _python_csv(agreement_rows(coding_round))
    record.rows = count
    record.save(update_fields=["rows"])


def agreement_workbook(*, coding_round: CodingRound, user, channel: str) -> IO[bytes]:
    """agreement.csv as a workbook in a temporary file open at its start (closing removes
    it): the rows, then a sheet of the labels of the theme and sub-theme codes used."""
    # Imported when used: at start-up it would slow every command and worker.
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    target = tempfile.TemporaryFile(prefix="ufm-export-", suffix=".xlsx")  # noqa: SIM115
    try:
        data = book.create_sheet(KIND)
        data.freeze_panes = "A2"
        kept = kept_rows(coding_round)
        rows = agreement_rows(coding_round, kept)
        header = next(rows)
        data.append(_header(data, header))
        count = 0
        for count, values in enumerate(rows, start=1):
            data.append(_row(data, values, header, count + 1, NUMBERS))
        labels = book.create_sheet("labels")
        labels.freeze_panes = "A2"
        labels.append(_header(labels, list(LABEL_COLUMNS)))
        used: dict[tuple[str, str], str] = {}
        for row in kept:
            if row["theme"]:
                used.setdefault(("theme", row["theme"]), row["theme_label"])
            if row["subtheme"]:
                used.setdefault(("subtheme", row["subtheme"]), row["subtheme_label"])
        for line, ((variable, code), label) in enumerate(used.items(), start=2):
            labels.append(_row(labels, [variable, code, label], list(LABEL_COLUMNS), line))
        book.save(target)
    except BaseException:
        _discard(book)
        target.close()
        raise
    _record(coding_round, user=user, channel=channel, form=ExportRecord.Format.XLSX, rows=count)
    target.seek(0)
    return target
