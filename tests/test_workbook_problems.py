"""A broken evaluation workbook: each problem by sheet, row and column, all at once, never a 500."""

import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from interviews.models import Evaluation, Section
from interviews.workbooks import WorkbookInvalid, read_workbook
from interviews.workbooks.rules import (
    CONSENT_VERSION_LONGEST,
    PATTERN_LONGEST,
    TITLE_LONGEST,
    VERSION_LONGEST,
)
from interviews.workbooks.sheets import MAX_ROWS
from tests.workbook_examples import example_rows, workbook_bytes

# Survey columns by letter of SURVEY_HEADER.
TYPE, NAME, LABEL, HINT, REQUIRED, CALCULATION, QUOTES, PART = range(8)


def problems(data: bytes) -> list[str]:
    with pytest.raises(WorkbookInvalid) as raised:
        read_workbook(data)
    return raised.value.lines()


def problems_of(change) -> list[str]:
    rows = example_rows()
    change(rows)
    return problems(workbook_bytes(rows))


def cell(sheet: str, row: int, column: int, value):
    """A change: the cell of spreadsheet row ``row`` (the header is row 1) becomes ``value``."""

    def change(rows):
        rows[sheet][row - 1][column] = value

    return change


def drop_row(sheet: str, row: int):
    def change(rows):
        del rows[sheet][row - 1]

    return change


def insert_row(sheet: str, row: int, values: list):
    """A change: ``values`` become spreadsheet row ``row``, the rows below move down."""

    def change(rows):
        rows[sheet].insert(row - 1, values)

    return change


BROKEN = {
    "form_id not a code": (
        cell("settings", 2, 0, "Crisis Care"),
        [
            "settings row 2, column form_id: 'Crisis Care' is not an evaluation code: use 2 to "
            "40 of a-z, 0-9 and '-', like loneliness-2018"
        ],
    ),
    "participant code pattern not a regular expression": (
        cell("settings", 2, 3, "^CC-[0-9{3}$"),
        [
            "settings row 2, column ufm_participant_code: '^CC-[0-9{3}$' is not a regular "
            "expression (unterminated character set at position 4)"
        ],
    ),
    "withdrawal days not a number": (
        cell("settings", 2, 6, "two weeks"),
        ["settings row 2, column ufm_withdrawal_days: 'two weeks' is not a whole number"],
    ),
    "information sheet date not a date": (
        cell("settings", 2, 5, "2026-02-30"),
        [
            "settings row 2, column ufm_information_sheet_date: '2026-02-30' is not a date: "
            "write it as YYYY-MM-DD"
        ],
    ),
    "select list that does not exist": (
        cell("survey", 4, TYPE, "select_one agreed"),
        ["survey row 4, column type: the list 'agreed' is not on the choices sheet"],
    ),
    "a type outside the profile": (
        cell("survey", 8, TYPE, "integer"),
        [
            "survey row 8, column type: 'integer' is not a type of the UFM profile: use "
            "begin_group, end_group, note, text, calculate, select_one LIST, "
            "select_multiple LIST"
        ],
    ),
    "ufm_quotes not yes or no": (
        cell("survey", 4, QUOTES, "sometimes"),
        ["survey row 4, column ufm_quotes: write yes or no (got 'sometimes')"],
    ),
    "quotes on a tick-all question": (
        cell("survey", 7, QUOTES, "yes"),
        [
            "survey row 7, column ufm_quotes: leave this blank: only a select_one question may "
            "take quotes as well"
        ],
    ),
    "a name used twice": (
        cell("survey", 12, NAME, "age_band"),
        ["survey row 12, column name: 'age_band' is already used on row 11"],
    ),
    "a name that is not a code": (
        cell("survey", 7, NAME, "Contacted"),
        [
            "survey row 7, column name: 'Contacted' is not a code: use 1 to 40 of a-z, 0-9 "
            "and '_', starting with a letter"
        ],
    ),
    "a group without ufm_part": (
        cell("survey", 10, PART, ""),
        ["survey row 10, column ufm_part: write schedule or demographics (it is blank)"],
    ),
    "a group with a wrong ufm_part": (
        cell("survey", 2, PART, "items"),
        ["survey row 2, column ufm_part: write schedule or demographics (got 'items')"],
    ),
    "a missing end_group": (
        drop_row("survey", 14),
        ["survey row 10, column type: this begin_group has no end_group after it"],
    ),
    "a section named as a page of every interview": (
        cell("survey", 10, NAME, "review"),
        [
            "survey row 10, column name: 'review' is the name of a page of every interview: "
            "choose another"
        ],
    ),
    "a group inside a group": (
        drop_row("survey", 9),
        ["survey row 9, column type: groups cannot be inside groups: end the one before"],
    ),
    "a question outside any group": (
        insert_row("survey", 2, ["note", "hello", "Hello", "", "", "", "", ""]),
        ["survey row 2, column type: this question is outside any group: put it in one"],
    ),
    "an end_group without a begin_group": (
        insert_row("survey", 10, ["end_group", "", "", "", "", "", "", ""]),
        ["survey row 10, column type: this end_group has no begin_group before it"],
    ),
    "an end_group with a name": (
        cell("survey", 9, NAME, "care_end"),
        ["survey row 9, column name: leave this blank: an end_group row has only its type"],
    ),
    "a note without name or label, and required": (
        insert_row("survey", 3, ["note", "", "", "", "yes", "", "", ""]),
        [
            "survey row 3, column name: the name is missing",
            "survey row 3, column label: the label is missing",
            "survey row 3, column required: leave this blank: a note row is never answered",
        ],
    ),
    "a calculation that is not a sum of questions": (
        cell("survey", 13, CALCULATION, "${seen_quickly} * 2"),
        [
            "survey row 13, column calculation: a calculation is a sum of questions, like "
            "${companionship} + ${isolation} (got '${seen_quickly} * 2')"
        ],
    ),
    "a calculation of a question without scores": (
        cell("survey", 13, CALCULATION, "${seen_quickly} + ${first_contact}"),
        [
            "survey row 13, column calculation: the answers of ${first_contact} have no scores "
            "on the choices sheet"
        ],
    ),
    "a calculation of a tick-all question": (
        cell("survey", 13, CALCULATION, "${seen_quickly} + ${contacted}"),
        ["survey row 13, column calculation: ${contacted} is not a select_one question"],
    ),
    "a calculation of a question that does not exist": (
        cell("survey", 13, CALCULATION, "${seen_quickly} + ${nowhere}"),
        ["survey row 13, column calculation: ${nowhere} is not a question of the survey"],
    ),
    "a required that is not yes or no": (
        cell("survey", 11, REQUIRED, "TRUE"),
        ["survey row 11, column required: write yes or no (got 'TRUE')"],
    ),
    "a question name that takes a file column": (
        cell("survey", 11, NAME, "listened_to_quotes"),
        [
            "survey row 11, column name: its file column listened_to_quotes is already the "
            "column of 'listened_to'"
        ],
    ),
    "a question named like a fixed column": (
        cell("survey", 11, NAME, "site"),
        ["survey row 11, column name: its file column site is already the files' fixed columns"],
    ),
    "a score that is not a number": (
        cell("choices", 3, 3, "one"),
        ["choices row 3, column score: 'one' is not a whole number"],
    ),
    "an answer code twice in a list": (
        cell("choices", 4, 1, "agree"),
        ["choices row 4, column name: 'agree' is already used on row 2"],
    ),
    "an answer code with a space": (
        cell("choices", 6, 1, "crisis line"),
        [
            "choices row 6, column name: 'crisis line' is not an answer code: use 1 to 40 of "
            "letters, digits and _ . + -"
        ],
    ),
    "a list on rows apart": (
        cell("choices", 11, 0, "agreement"),
        [
            "choices row 11, column list_name: the list 'agreement' has rows apart: keep its rows "
            "together"
        ],
    ),
    "quotes statement required": (
        cell("consent", 4, 2, "yes"),
        [
            "consent row 4, column required: the quotes statement is required no: without it "
            "the participant still takes part, and their words are never quoted"
        ],
    ),
    "consent required blank": (
        cell("consent", 3, 2, ""),
        ["consent row 3, column required: write yes or no (got '')"],
    ),
    "no quotes statement though the survey takes quotes": (
        drop_row("consent", 4),
        [
            "sheet consent: the survey takes quotes, so the consent sheet needs the statement "
            "with the code quotes (required no)"
        ],
    ),
    "a sub-theme code twice": (
        cell("codebook", 5, 2, "being_heard"),
        ["codebook row 5, column subtheme: 'being_heard' is already used on row 4"],
    ),
    "a theme with two labels": (
        cell("codebook", 3, 1, "Access"),
        ["codebook row 3, column theme_label: row 2 calls this theme 'Getting help'"],
    ),
    "a sub-theme without a label": (
        cell("codebook", 2, 3, ""),
        ["codebook row 2, column subtheme_label: the sub-theme's label is missing"],
    ),
    # Longer than the stored design keeps: a problem, not a failed save.
    "a title too long": (
        cell("settings", 2, 1, "T" * 301),
        ["settings row 2, column form_title: at most 300 characters here (this has 301)"],
    ),
    "a version too long": (
        cell("settings", 2, 2, "1" * 101),
        ["settings row 2, column version: at most 100 characters here (this has 101)"],
    ),
    "a participant code pattern too long": (
        cell("settings", 2, 3, "^" + "A" * 299 + "$"),
        ["settings row 2, column ufm_participant_code: at most 300 characters here (this has 301)"],
    ),
    "a consent version too long": (
        cell("settings", 2, 4, "v" * 21),
        ["settings row 2, column ufm_consent_version: at most 20 characters here (this has 21)"],
    ),
    "a section title too long": (
        cell("survey", 10, LABEL, "S" * 301),
        ["survey row 10, column label: at most 300 characters here (this has 301)"],
    ),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_it_reports_the_problem_by_sheet_row_and_column(case):
    change, expected = BROKEN[case]
    assert problems_of(change) == expected


def test_the_longest_cells_are_what_the_design_tables_keep():
    def longest(model, field: str) -> int:
        return model._meta.get_field(field).max_length

    assert longest(Evaluation, "title") == longest(Section, "title") == TITLE_LONGEST
    assert longest(Evaluation, "version") == VERSION_LONGEST
    assert longest(Evaluation, "consent_version") == CONSENT_VERSION_LONGEST
    assert longest(Evaluation, "participant_code") == PATTERN_LONGEST


def test_it_reports_every_problem_at_once():
    def change(rows):
        for case in (
            "form_id not a code",
            "select list that does not exist",
            "a name used twice",
            "a score that is not a number",
            "quotes statement required",
            "a theme with two labels",
        ):
            BROKEN[case][0](rows)

    # In sheet order (survey, choices, settings, consent, codebook), then by row.
    assert problems_of(change) == [
        "survey row 4, column type: the list 'agreed' is not on the choices sheet",
        "survey row 12, column name: 'age_band' is already used on row 11",
        "choices row 3, column score: 'one' is not a whole number",
        "settings row 2, column form_id: 'Crisis Care' is not an evaluation code: use 2 to 40 "
        "of a-z, 0-9 and '-', like loneliness-2018",
        "consent row 4, column required: the quotes statement is required no: without it the "
        "participant still takes part, and their words are never quoted",
        "codebook row 3, column theme_label: row 2 calls this theme 'Getting help'",
    ]


def zip_of(files: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return output.getvalue()


def test_a_file_that_is_not_a_workbook():
    not_a_workbook = [
        "the file: this is not an Excel workbook (.xlsx); save it from Excel as .xlsx"
    ]
    assert problems(b"type,name,label\nnote,intro,Hello\n") == not_a_workbook
    assert problems(zip_of({"hello.txt": b"hello"})) == not_a_workbook
    # An old Excel 97 (.xls) file starts like this.
    assert problems(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512) == not_a_workbook


def test_an_empty_file():
    assert problems(b"") == ["the file: the file is empty"]


def test_a_file_over_five_megabytes():
    assert problems(b"x" * (5 * 1024 * 1024 + 1)) == [
        "the file: the file is 5.0 MB and a workbook takes at most 5 MB"
    ]


def test_a_workbook_that_unpacks_too_large():
    bomb = zip_of({"xl/worksheets/sheet1.xml": b"\0" * (51 * 1024 * 1024)})
    assert len(bomb) < 5 * 1024 * 1024
    assert problems(bomb) == ["the file: the workbook unpacks to more than 50 MB"]


def test_a_missing_sheet_and_a_sheet_of_its_own():
    rows = example_rows()
    del rows["codebook"]
    rows["Notes"] = [["anything"]]
    assert problems(workbook_bytes(rows)) == [
        "sheet Notes: this sheet is not part of the UFM profile; the profile's sheets are "
        "survey, choices, settings, consent, codebook",
        "sheet codebook: this sheet is missing",
    ]


def test_wrong_headers():
    rows = example_rows()
    rows["survey"][0][LABEL] = "label::English (en)"
    rows["choices"][0][3] = "name"
    rows["consent"][0] = ["", "", ""]
    assert problems(workbook_bytes(rows)) == [
        "survey row 1, column label::english (en): this column is not part of the UFM "
        "profile; the columns of this sheet are type, name, label, hint, required, "
        "calculation, ufm_quotes, ufm_part",
        "survey row 1, column label: this column is missing",
        "choices row 1, column name: this column appears twice",
        "consent row 1: the header row is empty",
    ]


def test_a_cell_without_a_column_and_a_cell_too_long():
    rows = example_rows()
    rows["consent"][2].append("stray")
    rows["consent"][3][1] = "x" * 2001
    assert problems(workbook_bytes(rows)) == [
        "consent row 3, column D: this cell is outside the columns",
        "consent row 4, column statement: a cell holds at most 2,000 characters",
    ]


def test_too_many_rows():
    rows = example_rows()
    rows["choices"] += [["many", f"code{n}", "Label", ""] for n in range(MAX_ROWS)]
    assert problems(workbook_bytes(rows)) == [
        f"choices row {MAX_ROWS + 2}: a sheet has at most {MAX_ROWS:,} rows"
    ]


def test_settings_has_one_row():
    rows = example_rows()
    rows["settings"].append(list(rows["settings"][1]))
    assert problems(workbook_bytes(rows)) == [
        "sheet settings: the settings sheet has one row under its header"
    ]


def test_a_problem_only_pyxform_finds_is_reported_by_row_and_column():
    rows = example_rows()
    rows["survey"][7][NAME] = "meta"  # a name XLSForm keeps for itself
    rows["settings"][1][0] = "Not a code"  # a problem of the profile's own: pyxform waits
    assert problems(workbook_bytes(rows))[0].startswith("settings row 2, column form_id")
    rows["settings"][1][0] = "crisis-care-2026"
    assert problems(workbook_bytes(rows)) == [
        "survey row 8, column name: XLSForm (pyxform): the 'name' value 'meta' is invalid. "
        "The name 'meta' is reserved for form metadata."
    ]


def test_pyxform_rows_count_the_blank_rows_too():
    rows = example_rows()
    rows["survey"].insert(3, [""] * 8)
    rows["survey"][8][HINT] = "See ${nothing}"
    assert problems(workbook_bytes(rows)) == [
        "survey row 9, column hint: XLSForm (pyxform): the 'hint' value is invalid. Reference "
        "variables must contain a name from the 'survey' sheet. Could not find the name "
        "'nothing'."
    ]


CELLS = st.one_of(
    st.none(),
    st.text(max_size=30).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)),
    st.integers(-10, 10),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "select_one agreement",
            "select_multiple services",
            "begin_group",
            "end_group",
            "calculate",
            "text",
            "note",
            "yes",
            "no",
            "schedule",
            "demographics",
            "${seen_quickly}",
            "${seen_quickly} + ${age_band}",
            "quotes",
            "=1+1",
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sheet=st.sampled_from(["survey", "choices", "settings", "consent", "codebook"]),
    row=st.integers(0, 20),
    column=st.integers(0, 9),
    value=CELLS,
)
def test_any_cell_anywhere_never_raises(sheet, row, column, value):
    """One cell of the example changed to anything (the header too): the workbook reads, and
    round trips, or its problems are listed; nothing else is raised."""
    rows = example_rows()
    while len(rows[sheet]) <= row:
        rows[sheet].append([""] * len(rows[sheet][0]))
    while len(rows[sheet][row]) <= column:
        rows[sheet][row].append("")
    rows[sheet][row][column] = "" if value is None else value
    try:
        design = read_workbook(workbook_bytes(rows))
    except WorkbookInvalid as invalid:
        assert invalid.problems
        assert all(str(p) for p in invalid.problems)
    else:
        from interviews.workbooks import write_workbook

        assert read_workbook(write_workbook(design)) == design


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(["survey", "choices", "settings", "consent", "codebook", "other"]),
        st.lists(st.lists(CELLS, max_size=6), max_size=6),
        max_size=6,
    )
)
def test_any_workbook_never_raises(sheets):
    rows = {
        name: [["" if c is None else c for c in row] for row in sheet]
        for name, sheet in sheets.items()
    }
    data = workbook_bytes(rows) if rows else zip_of({})
    try:
        read_workbook(data)
    except WorkbookInvalid as invalid:
        assert invalid.problems


def test_openpyxl_reads_what_the_tests_write():
    # workbook_bytes() is the tests' own writer: it must keep the example's cells.
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes(example_rows())))["choices"]
    assert sheet["D2"].value == 2
