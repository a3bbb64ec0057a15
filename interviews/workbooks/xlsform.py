"""The XLSForm check: pyxform converts the survey, choices and settings as ODK would."""

from __future__ import annotations

import re

from interviews.workbooks.sheets import Sheet, WorkbookProblem

XLSFORM_SHEETS = ("survey", "choices", "settings")
ROW = re.compile(r"^\[row : (\d+)\]\s*")
SHEET = re.compile(r"On the '(\w+)' sheet, ")
COLUMN = re.compile(r"the '(\w+)' value")


def xlsform_problems(sheets: dict[str, Sheet]) -> list[WorkbookProblem]:
    """What pyxform finds wrong with the workbook (it stops at its first problem), placed by
    sheet, row and column where it says them. pyxform is given the rows already read, so the
    limits of sheets.py hold, and it ignores our ufm_ columns and our own sheets."""
    # Imported when used: at start-up it would slow every command and worker.
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    definition = {"sheet_names": list(sheets), "fallback_form_name": "evaluation"}
    # pyxform numbers the rows it is given from 2; ours skip blank rows, so map them back.
    numbers = {}
    for name in XLSFORM_SHEETS:
        sheet = sheets[name]
        definition[name] = [dict(row.cells) for row in sheet.rows]
        definition[f"{name}_header"] = [dict.fromkeys(sheet.header)]
        numbers[name] = [row.number for row in sheet.rows]
    try:
        convert(xlsform=definition, warnings=[])
    except PyXFormError as error:
        return [_placed(str(error), getattr(error, "context", {}) or {}, numbers)]
    except Exception as error:  # a pyxform bug must read as a problem, not a 500
        return [WorkbookProblem("survey", 0, "", f"XLSForm (pyxform) cannot read it: {error}")]
    return []


def _placed(message: str, context: dict, numbers: dict[str, list[int]]) -> WorkbookProblem:
    row = 0
    if match := ROW.match(message):
        row = int(match[1])
        message = message[match.end() :]
    sheet = context.get("sheet") or ""
    if match := SHEET.search(message):
        sheet = sheet or match[1]
        message = message[: match.start()] + message[match.end() :]
    sheet = sheet if sheet in numbers else "survey"
    column = context.get("column") or ""
    if not column and (match := COLUMN.search(message)):
        column = match[1]
    index = row - 2
    if 0 <= index < len(numbers[sheet]):
        row = numbers[sheet][index]
    message = message[:1].lower() + message[1:]
    return WorkbookProblem(sheet, row, column, f"XLSForm (pyxform): {message}")
