"""A workbook's sheets as rows of text, within size limits, and the problems found in them."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass

# The profile's sheets and their columns, in the order the writer puts them: (required, optional).
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "survey": (
        ("type", "name", "label"),
        ("hint", "required", "calculation", "ufm_quotes", "ufm_part"),
    ),
    "choices": (("list_name", "name", "label"), ("score",)),
    "settings": (
        ("form_id", "form_title", "version"),
        (
            "ufm_participant_code",
            "ufm_consent_version",
            "ufm_information_sheet_date",
            "ufm_withdrawal_days",
        ),
    ),
    "consent": (("code", "statement", "required"), ()),
    "codebook": (("theme", "theme_label", "subtheme", "subtheme_label"), ("description",)),
}

# A real design is a few hundred rows and some kilobytes; these limits keep a wrong or hostile
# file (a spreadsheet of data, a zip bomb) from taking the server's memory.
MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 30
MAX_CELL_CHARACTERS = 2000


@dataclass(frozen=True)
class WorkbookProblem:
    """One problem: ``row`` 0 and ``column`` "" when it concerns a whole sheet or the file."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.sheet:
            return f"the file: {self.message}"
        if not self.row:
            return f"sheet {self.sheet}: {self.message}"
        where = f"{self.sheet} row {self.row}"
        return (
            f"{where}, column {self.column}: {self.message}"
            if self.column
            else (f"{where}: {self.message}")
        )


class WorkbookInvalid(Exception):
    """The workbook has problems; ``problems`` lists every one of them, in sheet order."""

    def __init__(self, problems: list[WorkbookProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Sheet:
    name: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]  # blank rows left out

    def values(self) -> list[list[str]]:
        """The header and every row as text, the way a round trip compares them."""
        return [list(self.header)] + [[r[c] for c in self.header] for r in self.rows]


def cell_text(value: object) -> str:
    """A cell as the text it shows: numbers without a needless ".0", dates as YYYY-MM-DD,
    no-break spaces as spaces (as pyxform reads them), every line break as a line feed (the
    XML of a workbook keeps no carriage returns), no surrounding spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    text = str(value).replace("\xa0", " ").replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def read_sheets(data: bytes) -> dict[str, Sheet]:
    """The profile's sheets of an .xlsx file, by name. Raises WorkbookInvalid for a file that
    is not a workbook, is too large, lacks a sheet or a column, or has a column or sheet the
    profile does not know (its meaning would be lost when the design is written back)."""
    problems: list[WorkbookProblem] = []
    workbook = _open(data)
    try:
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        for name in names:
            if name not in COLUMNS:
                problems.append(
                    WorkbookProblem(
                        names[name],
                        0,
                        "",
                        "this sheet is not part of the UFM profile; the profile's sheets are "
                        + ", ".join(COLUMNS),
                    )
                )
        sheets = {}
        for name in COLUMNS:
            if name not in names:
                problems.append(WorkbookProblem(name, 0, "", "this sheet is missing"))
                continue
            sheet = _read_sheet(workbook[names[name]], name, problems)
            if sheet is not None:
                sheets[name] = sheet
    finally:
        workbook.close()
    if problems:
        raise WorkbookInvalid(problems)
    return sheets


def size_check(size: int) -> None:
    """Raise WorkbookInvalid for a file of ``size`` bytes that is empty or too large: asked
    before a file is read, and again of the bytes read."""
    if not size:
        raise WorkbookInvalid([WorkbookProblem("", 0, "", "the file is empty")])
    if size > MAX_BYTES:
        raise WorkbookInvalid(
            [
                WorkbookProblem(
                    "",
                    0,
                    "",
                    f"the file is {size / 1024 / 1024:.1f} MB and a workbook takes at most "
                    f"{MAX_BYTES // 1024 // 1024} MB",
                )
            ]
        )


def _open(data: bytes):
    size_check(len(data))
    not_a_workbook = WorkbookInvalid(
        [
            WorkbookProblem(
                "", 0, "", "this is not an Excel workbook (.xlsx); save it from Excel as .xlsx"
            )
        ]
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_a_workbook from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise WorkbookInvalid(
            [WorkbookProblem("", 0, "", "the workbook unpacks to more than 50 MB")]
        )
    import openpyxl  # imported when used: importing it at start-up slows every command and worker

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise not_a_workbook from None


def _read_sheet(worksheet, name: str, problems: list[WorkbookProblem]) -> Sheet | None:
    # Imported when used: at start-up it would slow every command and worker.
    from openpyxl.utils import get_column_letter

    required, optional = COLUMNS[name]
    rows = worksheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    first = next(rows, None)
    header = [cell_text(v).lower() for v in (first or ())]
    while header and not header[-1]:
        header.pop()
    if not header:
        problems.append(WorkbookProblem(name, 1, "", "the header row is empty"))
        return None
    if len(header) > MAX_COLUMNS:
        problems.append(WorkbookProblem(name, 1, "", f"a sheet has at most {MAX_COLUMNS} columns"))
        return None
    before = len(problems)
    seen: set[str] = set()
    for index, column in enumerate(header):
        letter = get_column_letter(index + 1)
        if not column:
            problems.append(WorkbookProblem(name, 1, letter, "this column has no header"))
        elif column in seen:
            problems.append(WorkbookProblem(name, 1, column, "this column appears twice"))
        elif column not in required + optional:
            problems.append(
                WorkbookProblem(
                    name,
                    1,
                    column,
                    "this column is not part of the UFM profile; the columns of this sheet are "
                    + ", ".join(required + optional),
                )
            )
        seen.add(column)
    for column in required:
        if column not in seen:
            problems.append(WorkbookProblem(name, 1, column, "this column is missing"))
    if len(problems) > before:
        return None
    kept = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            problems.append(
                WorkbookProblem(name, number, "", f"a sheet has at most {MAX_ROWS:,} rows")
            )
            return None
        cells = {}
        for index, value in enumerate(values):
            text = cell_text(value)
            if not text:
                continue
            if index >= len(header):
                letter = get_column_letter(index + 1)
                problems.append(
                    WorkbookProblem(name, number, letter, "this cell is outside the columns")
                )
            elif len(text) > MAX_CELL_CHARACTERS:
                problems.append(
                    WorkbookProblem(
                        name,
                        number,
                        header[index],
                        f"a cell holds at most {MAX_CELL_CHARACTERS:,} characters",
                    )
                )
            else:
                cells[header[index]] = text
        if cells:
            kept.append(Row(number, cells))
    return Sheet(name, tuple(header), tuple(kept))
