"""A second, small evaluation workbook for the tests, as the rows of its sheets.

evaluations/examples/crisis-care-2026.xlsx is these rows (test_workbook_read.py checks that); the
broken variants of test_workbook_problems.py are these rows with one thing changed.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

import openpyxl

EXAMPLE = (
    Path(__file__).resolve().parent.parent / "evaluations" / "examples" / "crisis-care-2026.xlsx"
)

SURVEY_HEADER = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "calculation",
    "ufm_quotes",
    "ufm_part",
]
# Survey rows as (type, name, label, hint, required, calculation, ufm_quotes, ufm_part).
CRISIS_CARE: dict[str, list[list[object]]] = {
    "survey": [
        SURVEY_HEADER,
        ["begin_group", "care", "Your care", "", "", "", "", "schedule"],  # row 2
        [
            "note",
            "intro",
            "Think of the last time you asked for help in a crisis.",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "select_one agreement",
            "seen_quickly",
            "I was seen quickly when I asked for help.",
            "",
            "yes",
            "",
            "yes",
            "",
        ],
        [
            "select_one agreement",
            "listened_to",
            "Staff listened to me.",
            "",
            "yes",
            "",
            "yes",
            "",
        ],  # row 5
        [
            "select_one agreement",
            "felt_safe",
            "I felt safe.",
            "Safe from harm, and safe to speak.",
            "yes",
            "",
            "",
            "",
        ],
        [
            "select_multiple services",
            "contacted",
            "Which services did you contact? (tick all that apply)",
            "",
            "",
            "",
            "",
            "",
        ],
        ["text", "helped_most", "What helped most?", "", "", "", "", ""],  # row 8
        ["end_group", "", "", "", "", "", "", ""],
        ["begin_group", "you", "About you", "", "", "", "", "demographics"],  # row 10
        ["select_one age", "age_band", "Age", "", "yes", "", "", ""],
        [
            "select_one yes_no_unsure",
            "first_contact",
            "Was this your first contact with crisis services?",
            "",
            "yes",
            "",
            "",
            "",
        ],
        [
            "calculate",
            "care_score",
            "Care score (0 to 6, higher is better)",
            "",
            "",
            "${seen_quickly} + ${listened_to} + ${felt_safe}",
            "",
            "",
        ],  # row 13
        ["end_group", "", "", "", "", "", "", ""],
    ],
    "choices": [
        ["list_name", "name", "label", "score"],
        ["agreement", "agree", "Agree", 2],  # row 2
        ["agreement", "partly", "Partly", 1],
        ["agreement", "disagree", "Disagree", 0],
        ["agreement", "not_sure", "Not sure", ""],  # row 5
        ["services", "crisis_line", "Crisis line", ""],
        ["services", "home_treatment", "Home treatment team", ""],
        ["services", "a_and_e", "A&E", ""],
        ["services", "police", "Police", ""],
        ["services", "other", "Other", ""],  # row 10
        ["age", "18-34", "18-34", ""],
        ["age", "35-54", "35-54", ""],
        ["age", "55+", "55 or over", ""],
        ["yes_no_unsure", "yes", "Yes", ""],
        ["yes_no_unsure", "no", "No", ""],  # row 15
        ["yes_no_unsure", "not_sure", "Not sure", ""],
    ],
    "settings": [
        [
            "form_id",
            "form_title",
            "version",
            "ufm_participant_code",
            "ufm_consent_version",
            "ufm_information_sheet_date",
            "ufm_withdrawal_days",
        ],
        [
            "crisis-care-2026",
            "Crisis care: what helped when things were hardest",
            "1",
            "^CC-[0-9]{3}$",
            "v1.0",
            "2026-09-01",
            28,
        ],
    ],
    "consent": [
        ["code", "statement", "required"],
        [
            "information",
            "I have read the information sheet about the crisis care evaluation.",
            "yes",
        ],
        ["voluntary", "I know I can stop at any time without giving a reason.", "yes"],
        ["quotes", "My words may be quoted without my name.", "no"],
    ],
    "codebook": [
        ["theme", "theme_label", "subtheme", "subtheme_label", "description"],
        [
            "access",
            "Getting help",
            "speed",
            "Speed of response",
            "waiting, call-backs, being turned away",
        ],
        ["access", "Getting help", "right_place", "The right place", "being sent between services"],
        ["people", "People", "being_heard", "Being heard", "staff who listened, or did not"],
        ["people", "People", "continuity", "Seeing the same person", ""],
    ],
}


def example_rows() -> dict[str, list[list[object]]]:
    """A fresh copy of the example's rows, to change for a broken variant."""
    return copy.deepcopy(CRISIS_CARE)


def workbook_bytes(rows: dict[str, list[list[object]]]) -> bytes:
    """An .xlsx file of sheets given as rows of cells ("" for a blank cell)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, sheet_rows in rows.items():
        sheet = workbook.create_sheet(name)
        for row in sheet_rows:
            sheet.append([None if cell == "" else cell for cell in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def text_rows(rows: dict[str, list[list[object]]]) -> dict[str, list[list[str]]]:
    """The rows as the text a workbook shows, the way ``Sheet.values()`` gives them."""
    return {name: [[str(cell) for cell in row] for row in sheet] for name, sheet in rows.items()}


if __name__ == "__main__":
    EXAMPLE.write_bytes(workbook_bytes(CRISIS_CARE))
