"""Reading a file to import: its size, its text, its rows, and the problems found in them."""

from __future__ import annotations

import csv
import datetime
import io
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import CommandError

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Enough to see what is wrong with a file; the rest are counted, not kept.
LISTED_PROBLEMS = 200
# A cell is shown up to this many characters in a problem: it may be a long quote.
SHOWN_CHARACTERS = 100


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str
    got: str

    def __str__(self) -> str:
        got = self.got
        if len(got) > SHOWN_CHARACTERS:
            got = got[:SHOWN_CHARACTERS] + "…"
        return f"line {self.line}, column {self.column}: {self.message} (got '{got}')"


class ImportFailed(Exception):
    """The file has problems; nothing was saved. ``problems`` lists the first
    LISTED_PROBLEMS of them, ``total`` counts them all."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        self.problems = problems
        self.total = len(problems) if total is None else total
        super().__init__(f"{self.total} problem(s)")

    @property
    def more(self) -> str:
        """ "and 1,234 more problems" when not all of them are listed, else ""."""
        more = self.total - len(self.problems)
        if not more:
            return ""
        return f"and {more:,} more problem{'s' if more > 1 else ''}"

    def lines(self) -> list[str]:
        """What the commands print: each problem listed, then how many more there are."""
        return [str(p) for p in self.problems] + ([self.more] if self.more else [])


class Problems:
    """The problems of one file as they are found: the first LISTED_PROBLEMS kept, all counted
    (a file of bad rows can hold millions: listing every one of an 86 MB file once took
    2.35 GB of memory and made a 63 MB page)."""

    def __init__(self) -> None:
        self.listed: list[Problem] = []
        self.total = 0

    def add(self, line: int, column: str, message: str, got: str = "") -> None:
        self.total += 1
        if len(self.listed) < LISTED_PROBLEMS:
            self.listed.append(Problem(line, column, message, got))

    def __bool__(self) -> bool:
        return self.total > 0

    def failed(self) -> ImportFailed:
        return ImportFailed(self.listed, self.total)


class FileTooLarge(Exception):
    """The file is over IMPORT_MAX_MEGABYTES; it was not read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ImportResult:
    rows: int
    dry_run: bool
    codes: list[str] = field(default_factory=list)
    added: int = 0
    removed: int = 0


def size_check(size: int) -> None:
    """Raise FileTooLarge for a file of ``size`` bytes over the limit: the upload page and
    both commands ask this before reading a file."""
    limit = settings.IMPORT_MAX_MEGABYTES
    if size > limit * 1024 * 1024:
        megabytes = math.ceil(size * 10 / 1024 / 1024) / 10
        raise FileTooLarge(
            f"The file is {megabytes:,} MB and an import takes at most {limit:,} MB. Split it "
            "into smaller files and import them one after another (or ask whoever runs the "
            "server to raise IMPORT_MAX_MEGABYTES)."
        )


def decode(data: bytes) -> str:
    """The file's text; a byte-order mark (Excel's "CSV UTF-8") is dropped."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(
            [Problem(1, "-", "the file is not UTF-8 text; save it as CSV UTF-8", repr(data[:20]))]
        ) from error


def command_text(file: str) -> str:
    """The text of ``file`` for an import command, its size checked before it is read; a
    CommandError saying why when it cannot be read."""
    try:
        with open(file, "rb") as source:
            size_check(os.fstat(source.fileno()).st_size)
            data = source.read()
    except OSError as error:
        raise CommandError(f"Cannot read {file}: {error.strerror}") from error
    except FileTooLarge as error:
        raise CommandError(f"Nothing was imported. {error.message}") from error
    try:
        return decode(data)
    except ImportFailed as failed:
        raise command_error(failed) from failed


def command_error(failed: ImportFailed) -> CommandError:
    """What an import command stops with when the file has problems."""
    return CommandError("Nothing was imported. Problems:\n" + "\n".join(failed.lines()))


def records(
    text: str, required: tuple[str, ...], problems: Problems
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows, one at a time, as (first line number, {column: cell}). Line numbers count
    physical lines, so a cell with line breaks is counted as it looks in an editor; unknown
    columns are ignored. A header without the required columns, or a line that cannot be
    read, is a problem and ends the rows."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        problems.add(1, "-", f"the header cannot be read as CSV ({error})")
        return
    if header is None:
        problems.add(1, "-", "the file is empty")
        return
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    for column in missing:
        problems.add(1, column, "this column is missing from the header")
    if missing:
        return
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                padded = cells + [""] * (len(header) - len(cells))
                yield line, dict(zip(header, padded, strict=False))
            line = reader.line_num + 1
    except csv.Error as error:
        # E.g. a cell over the csv module's size limit (an unclosed quote swallows the rest).
        problems.add(line, "-", f"this line cannot be read as CSV ({error})")


def date_cell(value: str, today: datetime.date) -> tuple[datetime.date | None, str | None]:
    if not value:
        return None, "a date is required, as YYYY-MM-DD"
    if not DATE_PATTERN.match(value):
        return None, "not a date: write it as YYYY-MM-DD"
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None, "not a real date"
    if day > today:
        return None, "the date is in the future"
    return day, None
