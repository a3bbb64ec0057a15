"""The profile's rules for single cells: codes, yes/no, integers, dates, patterns."""

from __future__ import annotations

import contextlib
import datetime
import re

from interviews.workbooks.sheets import Row, WorkbookProblem

FORM_ID = re.compile(r"^[a-z0-9-]{2,40}$")
# Question, group, list, theme and statement codes: stored, and used in the files' column names.
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CODE_RULE = "1 to 40 of a-z, 0-9 and '_', starting with a letter"
# Answer codes: stored, and joined by ';' for tick-all questions, so no spaces, ';' or ','.
CHOICE_CODE = re.compile(r"^[A-Za-z0-9_.+-]{1,40}$")
CHOICE_CODE_RULE = "1 to 40 of letters, digits and _ . + -"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INTEGER = re.compile(r"^-?\d{1,6}$")
# The longest words the stored design keeps (the models' max_length; test_workbook_problems
# checks that the two agree), so that a long cell is a problem here and not a failed save.
TITLE_LONGEST = 300  # the evaluation's title, and a section's
VERSION_LONGEST = 100
CONSENT_VERSION_LONGEST = 20
PATTERN_LONGEST = 300


class Cells:
    """Reads the cells of one sheet, noting each problem; a bad cell reads as None."""

    def __init__(self, sheet: str, problems: list[WorkbookProblem]) -> None:
        self.sheet = sheet
        self.problems = problems

    def problem(self, row: Row | int, column: str, message: str) -> None:
        number = row.number if isinstance(row, Row) else row
        self.problems.append(WorkbookProblem(self.sheet, number, column, message))

    def needed(self, row: Row, column: str, what: str, *, longest: int | None = None) -> str | None:
        value = row[column]
        if not value:
            self.problem(row, column, f"{what} is missing")
            return None
        return self.short(row, column, value, longest)

    def short(self, row: Row, column: str, value: str, longest: int | None) -> str | None:
        """The value, or None and a problem when it is over ``longest`` characters."""
        if longest is not None and len(value) > longest:
            self.problem(
                row, column, f"at most {longest:,} characters here (this has {len(value):,})"
            )
            return None
        return value

    def code(self, row: Row, column: str, what: str = "the code") -> str | None:
        value = self.needed(row, column, what)
        if value is not None and not CODE.match(value):
            self.problem(row, column, f"'{value}' is not a code: use {CODE_RULE}")
            return None
        return value

    def yes_no(self, row: Row, column: str, *, blank_means_no: bool = True) -> bool | None:
        value = row[column]
        if not value and blank_means_no:
            return False
        if value in ("yes", "no"):
            return value == "yes"
        self.problem(row, column, f"write yes or no (got '{value}')")
        return None

    def blank(self, row: Row, column: str, why: str) -> None:
        if row[column]:
            self.problem(row, column, f"leave this blank: {why}")

    def integer(self, row: Row, column: str, *, minimum: int | None = None) -> int | None:
        value = row[column]
        if not INTEGER.match(value):
            self.problem(row, column, f"'{value}' is not a whole number")
            return None
        number = int(value)
        if minimum is not None and number < minimum:
            self.problem(row, column, f"{number} is less than {minimum}")
            return None
        return number

    def date(self, row: Row, column: str) -> datetime.date | None:
        value = row[column]
        day = None
        if DATE.match(value):
            with contextlib.suppress(ValueError):  # a day that does not exist, like 2018-02-30
                day = datetime.date.fromisoformat(value)
        if day is None:
            self.problem(row, column, f"'{value}' is not a date: write it as YYYY-MM-DD")
        return day

    def pattern(self, row: Row, column: str) -> str | None:
        value = self.short(row, column, row[column], PATTERN_LONGEST)
        if value is None:
            return None
        try:
            compiled = re.compile(value)
        except re.error as error:
            self.problem(row, column, f"'{value}' is not a regular expression ({error})")
            return None
        if not (value.startswith("^") and value.endswith("$")):
            self.problem(row, column, "the pattern must start with ^ and end with $")
            return None
        if compiled.match(""):
            self.problem(row, column, "the pattern must not accept an empty code")
            return None
        return value

    def unique(self, seen: dict[str, int], value: str | None, row: Row, column: str) -> None:
        """Note a code, or a problem if an earlier row has it already."""
        if value is None:
            return
        if value in seen:
            self.problem(row, column, f"'{value}' is already used on row {seen[value]}")
        else:
            seen[value] = row.number
