"""The four exports as .xlsx workbooks (exchange.md, "Spreadsheet workbooks"), for Excel.

Excel runs a CSV cell that starts with "=" as a formula and turns codes such as 1-2 or 6-10
into dates. A workbook says what each cell is: here every cell is text, except the counts,
quote ids and derived scores, which are numbers; none is ever a formula. The first sheet holds
the rows and columns of the CSV file, read from the same row functions; the second, ``labels``,
gives the label of every code the first one uses, from the evaluation's schedule and the
codebook.

openpyxl's write-only mode sends each row on to a temporary file as it goes, so memory stays
flat however many rows there are; the workbook itself is written to a temporary file too,
which the caller sends and closes (closing removes it).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import IO, TYPE_CHECKING

from interviews.exchange import score_column
from interviews.models import ConsentRecord, InterviewSession, Site
from interviews.schedules import Schedule
from themes.export_counts import (
    SCORE,
    SCORE_MISSING,
    SCORE_MISSING_LABEL,
    score_values,
    theme_count_groupings,
)
from themes.export_filters import ExportFilters
from themes.exports import EXPORTS, file_name
from themes.models import ExportRecord, SubTheme, Theme

if TYPE_CHECKING:
    from openpyxl import Workbook

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Columns of exchange.md that hold numbers (and each score's, ``number_columns``); every
# other cell, codes included, is text.
NUMBER_COLUMNS = frozenset({"quote_id", "n", "base", "percent", "quotes", "participants"})
LABEL_COLUMNS = ("variable", "code", "label")
# The most characters Excel keeps in a cell; openpyxl would cut the rest off without a word.
CELL_LIMIT = 32_767
# Characters XML cannot hold (and openpyxl refuses), and an underscore that starts what looks
# like an escape: both written as OOXML escapes (_x000B_, _x005F_), which Excel reads back as
# the characters they stand for, so the words arrive as they were said.
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")

# Codes the exports themselves use, with no definition elsewhere to read a label from.
SECTION_LABELS = {
    "schedule": "Questions of the schedule",
    "demographics": "Questions about the participant",
    SCORE: "Derived scores",
}
BY_LABELS = {
    "all": "All quotes",
    "item": "By the quote's item",
    "answer": "By the answer to the quote's item",
}
YES_NO = [("yes", "Yes"), ("no", "No")]


def number_columns(schedule: Schedule) -> frozenset[str]:
    """The columns of an evaluation's exports that hold numbers."""
    return NUMBER_COLUMNS | {score_column(q.code) for q in schedule.scores}


class WorkbookError(ValueError):
    """A workbook that cannot be made; ``message`` is written for the person who asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def label_book(schedule: Schedule) -> dict[tuple[str, str], str]:
    """{(variable, code): label} for every code an export of the evaluation may hold, in
    survey order and codebook order. Reads sites, themes and sub-themes (three queries)."""
    book: dict[tuple[str, str], str] = {}

    def add(variable: str, pairs) -> None:
        for code, label in pairs:
            book.setdefault((variable, str(code)), str(label))

    coded = [q for q in schedule.questions if q.is_select or q.is_score]
    add("section", SECTION_LABELS.items())
    add("variable", [(q.code, q.label) for q in coded])
    add("by", [*BY_LABELS.items(), *((q.code, q.label) for q in schedule.variables)])
    add("site", Site.objects.order_by("order", "label").values_list("code", "label"))
    add("consent_method", ConsentRecord.Method.choices)
    add("consent_quotes", YES_NO)
    add("item", [(q.code, q.label) for q in schedule.quote_questions])
    for question in schedule.quote_questions:
        add("answer", [(o.code, o.label) for o in question.options])
    for question in coded:
        if question.is_score:
            values = [(v, v) for v in score_values(question)]
            add(question.code, [*values, (SCORE_MISSING, SCORE_MISSING_LABEL)])
        else:
            add(question.code, [(o.code, o.label) for o in question.options])
    add("status", InterviewSession.Status.choices)
    # The evaluation's own codebook: codes are unique within one codebook only.
    themes = Theme.objects.filter(evaluation_id=schedule.evaluation_id)
    add("theme", themes.order_by("order", "code").values_list("code", "label"))
    subthemes = SubTheme.objects.of(schedule.evaluation_id)
    add(
        "subtheme",
        subthemes.order_by("theme__order", "order", "code").values_list("code", "label"),
    )
    return book


def _codes_of(
    kind: str, header: list[str], schedule: Schedule
) -> Callable[[list], Iterator[tuple[str, str]]]:
    """For one export, a function giving the (variable, code) pairs of a row of data."""
    at = {name: i for i, name in enumerate(header)}
    many = {q.code: ";" for q in schedule.select_questions if q.many} | {"tags": ";"}
    if kind == "interviews":
        coded = ["site", "consent_method", "consent_quotes"]
        coded += [q.code for q in schedule.select_questions] + ["status"]
        columns = [(column, column) for column in coded]
    elif kind == "quotes":
        columns = [("item", "item"), ("answer", "answer"), ("tags", "subtheme")]
    elif kind == "counts":
        columns = [("section", "section"), ("variable", "variable")]
    else:
        columns = [("by", "by"), ("theme", "theme"), ("subtheme", "subtheme")]
    # theme_counts.csv's groups, as the (variable, code) pairs each one names.
    groups = {(by, group): key for by, group, key in theme_count_groupings(schedule)}

    def codes(row: list) -> Iterator[tuple[str, str]]:
        for column, variable in columns:
            value = str(row[at[column]])
            for code in value.split(many[column]) if column in many else [value]:
                yield variable, code
        if kind == "counts":
            # The value column holds codes of the variable the row is about.
            yield str(row[at["variable"]]), str(row[at["value"]])
        elif kind == "theme_counts":
            by, group = row[at["by"]], row[at["group"]]
            key = groups.get((by, group), ())
            if by == "answer":
                yield "item", key[0]
                yield key[0], key[1]
            elif by != "all":
                yield ("item" if by == "item" else by), group

    return codes


def _text(sheet, value: str, where: str):
    if len(value) > CELL_LIMIT:
        raise WorkbookError(
            f"{where} holds {len(value):,} characters, more than the {CELL_LIMIT:,} Excel "
            "keeps in a cell, so no workbook was made (nothing would be cut off without a "
            "word). Download the CSV file instead: it holds every word."
        )
    # Imported when used: at start-up it would slow every command and worker.
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, UNWRITABLE.sub(lambda m: f"_x{ord(m[0]):04X}_", value))
    # openpyxl makes a formula of any text that starts with "=": this one stays text.
    cell.data_type = "s"
    return cell


def _number(sheet, value, column: str):
    if isinstance(value, str):
        value = Decimal(value) if "." in value else int(value)
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    if column == "percent":
        cell.number_format = "0.0"  # one decimal place, as in the CSV file
    return cell


def _header(sheet, names: list[str]) -> list:
    return [_text(sheet, name, "The header") for name in names]


def _row(
    sheet, values: list, header: list[str], line: int, numbers: frozenset[str] = NUMBER_COLUMNS
) -> list:
    cells = []
    for column, value in zip(header, values, strict=True):
        if value is None or value == "":
            cells.append(None)  # an empty cell, never an empty string
        elif column in numbers:
            cells.append(_number(sheet, value, column))
        else:
            cells.append(_text(sheet, str(value), f"Row {line}, column {column},"))
    return cells


def export_workbook(
    *, kind: str, filters: ExportFilters, user, channel: str
) -> tuple[IO[bytes], ExportRecord]:
    """The workbook of an export, in a temporary file open at its start, and its record. The
    record is made once the workbook is whole, before a byte of it is sent. Raises
    WorkbookError (nothing recorded, nothing left behind) when it cannot be made."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    # Returned open: the caller sends it, then closes it, which removes it.
    target = tempfile.TemporaryFile(prefix="ufm-export-", suffix=".xlsx")  # noqa: SIM115
    try:
        count = _write(book, kind, filters)
        book.save(target)
    except BaseException:
        _discard(book)
        target.close()
        raise
    record = ExportRecord.objects.create(
        file=file_name(kind, "xlsx"),
        made_by=user if user is not None and user.is_authenticated else None,
        channel=channel,
        filters=filters.as_json(),
        format=ExportRecord.Format.XLSX,
        rows=count,
    )
    target.seek(0)
    return target, record


def _write(book: Workbook, kind: str, filters: ExportFilters) -> int:
    """Fill both sheets; returns the number of rows of data."""
    schedule = filters.schedule
    labels_of = label_book(schedule)
    numbers = number_columns(schedule)
    data = book.create_sheet(kind)
    data.freeze_panes = "A2"
    rows = EXPORTS[kind](filters)
    try:
        header = [str(column) for column in next(rows)]
        data.append(_header(data, header))
        codes = _codes_of(kind, header, schedule)
        used: set[tuple[str, str]] = set()
        count = 0
        for count, values in enumerate(rows, start=1):
            data.append(_row(data, values, header, count + 1, numbers))
            used.update(pair for pair in codes(values) if pair[1])
    finally:
        rows.close()  # its streaming queries end here too when a cell is refused

    labels = book.create_sheet("labels")
    labels.freeze_panes = "A2"
    columns = list(LABEL_COLUMNS)
    labels.append(_header(labels, columns))
    known = [pair for pair in labels_of if pair in used]
    # A code without a definition still gets its row, with a blank label, never a gap.
    unknown = sorted(used - set(labels_of))
    for line, (variable, code) in enumerate([*known, *unknown], start=2):
        labels.append(
            _row(labels, [variable, code, labels_of.get((variable, code), "")], columns, line)
        )
    return count


def _discard(book: Workbook) -> None:
    """Close and remove the temporary files of a workbook that was not finished (openpyxl
    would otherwise leave them until the process ends)."""
    for sheet in book.worksheets:
        rows, writer = getattr(sheet, "_rows", None), getattr(sheet, "_writer", None)
        if rows is not None:
            rows.close()
        if writer is not None:
            writer.close()
            writer.cleanup()
