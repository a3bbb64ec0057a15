"""The filters of exchange.md ("Filters": --where site=CODE, --from, --to) in every export: each
of the four files, as CSV and as a workbook, by the Python path and (on PostgreSQL) by COPY and
the theme-count summary; the command's checks; and the download's name."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.filter_data import filter_people
from themes.export_filters import ExportFilters, FilterError
from themes.exports import download_name, export_stream
from themes.exports_xlsx import export_workbook
from themes.models import ExportRecord

pytestmark = pytest.mark.django_db

KINDS = ["interviews", "quotes", "counts", "theme_counts"]


@pytest.fixture
def people(analyst):
    return filter_people(analyst)


def export(kind: str, filters: ExportFilters) -> list[dict]:
    pieces = export_stream(
        kind=kind, filters=filters, excel=False, user=None, channel=ExportRecord.Channel.COMMAND
    )
    text = b"".join(pieces).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def workbook(kind: str, filters: ExportFilters) -> list[dict]:
    target, _ = export_workbook(
        kind=kind, filters=filters, user=None, channel=ExportRecord.Channel.COMMAND
    )
    with target:
        sheet = openpyxl.load_workbook(io.BytesIO(target.read())).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [
        {h: "" if v is None else str(v) for h, v in zip(header, row, strict=True)} for row in rows
    ]


def who(kind: str, rows: list[dict]) -> set[str] | int:
    """Who a file covers: its participants, or for the count files how many it counts."""
    if kind in ("interviews", "quotes"):
        return {r["participant_code"] for r in rows}
    if kind == "counts":
        (base,) = {r["base"] for r in rows}
        often = next(r for r in rows if (r["variable"], r["value"]) == ("companionship", "often"))
        assert often["n"] == base  # every one of them answered "often"
        return int(base)
    (row,) = [r for r in rows if (r["by"], r["subtheme"]) == ("all", "safe_spaces")]
    assert row["participants"] == row["quotes"]  # one tagged quote each
    return int(row["quotes"])


FILTERS = [
    ({"where": ["site=pall_mall"]}, {"FLT-A", "FLT-B", "FLT-D"}),
    (
        {"where": [], "date_from": "2018-05-01", "date_to": "2018-06-30"},
        {"FLT-A", "FLT-B", "FLT-C"},
    ),
    ({"where": [], "date_from": "2018-06-15"}, {"FLT-B", "FLT-C", "FLT-D"}),
    ({"where": [], "date_to": "2018-06-15"}, {"FLT-A", "FLT-C"}),
    # Both ends included; every filter at once ("and").
    (
        {"where": ["site=pall_mall"], "date_from": "2018-05-01", "date_to": "2018-06-30"},
        {"FLT-A", "FLT-B"},
    ),
    (
        {"where": ["site=pall_mall", "borough=westminster"], "date_to": "2018-06-30"},
        {"FLT-A"},
    ),
    ({"where": ["site=woodfield_road"]}, set()),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("options", "expected"), FILTERS)
def test_every_export_keeps_only_the_interviews_that_match(people, kind, options, expected):
    filters = ExportFilters.parse(include_unverified=False, **options)
    wanted = expected if kind in ("interviews", "quotes") else len(expected)
    assert who(kind, export(kind, filters)) == wanted
    assert who(kind, workbook(kind, filters)) == wanted


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
@pytest.mark.parametrize("kind", ["interviews", "quotes", "theme_counts"])
@pytest.mark.parametrize(("options", "expected"), FILTERS)
def test_postgresqls_own_paths_filter_as_the_python_path_does(
    people, kind, options, expected, monkeypatch
):
    from themes import export_counts, exports

    filters = ExportFilters.parse(include_unverified=False, **options)
    fast = export(kind, filters)
    not_postgres = type("NotPostgres", (), {"vendor": "sqlite"})
    monkeypatch.setattr(exports, "connection", not_postgres)
    monkeypatch.setattr(export_counts, "connection", not_postgres)
    assert export(kind, filters) == fast


def test_a_range_the_wrong_way_round_is_refused():
    with pytest.raises(FilterError) as refused:
        ExportFilters.parse(include_unverified=False, where=[], date_from="2018-07-01",
                            date_to="2018-06-30")  # fmt: skip
    assert str(refused.value) == (
        "--from 1 July 2018 is after --to 30 June 2018: no interview can be in that range. "
        "Swap the dates or correct one."
    )


def test_one_day_is_a_range(people):
    filters = ExportFilters.parse(
        include_unverified=False, where=[], date_from="2018-06-30", date_to="2018-06-30"
    )
    assert who("interviews", export("interviews", filters)) == {"FLT-B"}


@pytest.mark.parametrize("kind", KINDS)
def test_the_command_refuses_from_after_to_and_exits_non_zero(kind, tmp_path):
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="--from 1 July 2018 is after --to 30 June 2018"):
        call_command("export", kind, "--from", "2018-07-01", "--to", "2018-06-30", "--out",
                     str(out))  # fmt: skip
    assert not out.exists()
    assert not ExportRecord.objects.exists()


def test_the_command_filters_each_kind_by_site_and_dates(people, tmp_path):
    for kind in KINDS:
        out = tmp_path / f"{kind}.csv"
        call_command("export", kind, "--where", "site=pall_mall", "--from", "2018-05-01",
                     "--to", "2018-06-30", "--out", str(out))  # fmt: skip
        rows = list(csv.DictReader(io.StringIO(out.read_text(), newline="")))
        expected = {"FLT-A", "FLT-B"}
        assert who(kind, rows) == (expected if kind in ("interviews", "quotes") else 2)
    assert ExportRecord.objects.filter(
        filters__where=["site=pall_mall"], filters__from="2018-05-01", filters__to="2018-06-30"
    ).count() == len(KINDS)


def test_the_commands_help_documents_the_filters():
    from themes.management.commands.export import Command

    help_text = Command().create_parser("manage.py", "export").format_help()
    text = " ".join(help_text.split())
    for words in ("--where VARIABLE=CODE", "site=pall_mall", '"and"', "--from YYYY-MM-DD",
                  "--to YYYY-MM-DD", "on or after this day", "not before --from"):  # fmt: skip
        assert words in text


# --- the names downloads are saved under ----------------------------------------------------

DAY = datetime.date(2026, 12, 2)


def test_a_downloads_name_carries_its_kind_evaluation_filters_and_day():
    recorded = {
        "evaluation": "loneliness-2018",
        "include_unverified": False,
        "where": ["site=pall_mall", "age_band=18-34"],
        "from": "2018-05-01",
        "to": "2018-06-30",
    }
    assert download_name("quotes", recorded, "csv", DAY) == (
        "quotes_loneliness-2018_site-pall_mall_age_band-18-34_from-2018-05-01_to-2018-06-30"
        "_made-2026-12-02.csv"
    )
    plain = {"evaluation": "loneliness-2018", "include_unverified": True, "where": []}
    assert download_name("theme_counts", plain, "xlsx", DAY) == (
        "theme_counts_loneliness-2018_with-unverified_made-2026-12-02.xlsx"
    )
    assert download_name("counts", {"to": "2018-06-30"}, "csv", DAY) == (
        "counts_to-2018-06-30_made-2026-12-02.csv"
    )


def test_a_downloads_name_is_ascii_without_spaces_and_not_too_long():
    odd = {"evaluation": "x", "where": ['place=a b/c"d', "mood=café"]}
    name = download_name("quotes", odd, "csv", DAY)
    assert name == "quotes_x_place-a-b-c-d_mood-caf-_made-2026-12-02.csv"
    many = {"evaluation": "x", "where": [f"question_{i}=answer_{i}" for i in range(20)]}
    long = download_name("quotes", many, "csv", DAY)
    assert len(long) <= 205 and long.endswith("_more-filters_made-2026-12-02.csv")
    assert long.startswith("quotes_x_question_0-answer_0_question_1-answer_1_")
