"""The four exports of exchange.md: exact bytes, the rules of the contract, and the same bytes
from the command and the download."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interviews.models import Evaluation
from interviews.schedules import schedule_of
from tests.analysis_data import build, interview, subtheme
from tests.factories import InterviewerFactory, QuoteFactory, TagFactory
from themes.export_counts import percent
from themes.export_filters import ExportFilters, FilterError
from themes.exports import export_stream
from themes.models import ExportRecord

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
KINDS = ["interviews", "quotes", "counts", "theme_counts"]


def export(kind: str, filters: ExportFilters | None = None, *, excel: bool = False) -> bytes:
    pieces = export_stream(
        kind=kind,
        filters=filters or ExportFilters(),
        excel=excel,
        user=None,
        channel=ExportRecord.Channel.COMMAND,
    )
    return b"".join(pieces)


def rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def data(analyst):
    return build(analyst)


@pytest.mark.parametrize("kind", ["interviews", "counts", "theme_counts"])
def test_each_export_matches_its_golden_file_byte_for_byte(data, kind):
    assert export(kind) == (GOLDEN / f"{kind}.csv").read_bytes()


def test_quotes_export_is_exact_and_leaves_out_unconsented_unverified_and_withdrawn(data):
    q1, q2, q3, _, _ = (q.pk for q in data["quotes"])
    assert export("quotes").decode() == (
        "quote_id,participant_code,item,answer,text,tags\n"
        f'{q1},LSI-001,companionship,often,"Nobody calls, not even on Sundays.",'
        "safe_spaces;living_with_others\n"
        f'{q2},LSI-001,companionship,often,"She said ""come round"" once.",other_networks\n'
        f"{q3},LSI-001,what_helped,,The £2 lunch club.,safe_spaces\n"
    )


def test_words_without_quote_consent_are_never_exported(data):
    for kind in KINDS:
        assert b"SECRET" not in export(kind, ExportFilters(include_unverified=True))


def test_withdrawn_participants_are_in_no_export(data):
    for kind in KINDS:
        out = export(kind, ExportFilters(include_unverified=True))
        assert b"LSI-004" not in out and b"WITHDRAWN" not in out
    counts = rows(export("counts", ExportFilters(include_unverified=True)))
    assert {r["base"] for r in counts} == {"3"}


def test_unverified_interviews_count_only_when_asked(data):
    assert b"LSI-003" not in export("interviews")
    with_them = rows(export("interviews", ExportFilters(include_unverified=True)))
    assert [r["participant_code"] for r in with_them] == ["LSI-001", "LSI-002", "LSI-003"]
    assert with_them[2]["status"] == "submitted"
    quotes = rows(export("quotes", ExportFilters(include_unverified=True)))
    assert "Not verified yet." in [r["text"] for r in quotes]


@pytest.mark.parametrize(
    ("n", "base", "expected"),
    [(1, 8, "12.5"), (1, 3, "33.3"), (2, 3, "66.7"), (1, 16, "6.3"), (3, 16, "18.8"),
     (0, 5, "0.0"), (5, 5, "100.0"), (1, 0, "")],
)  # fmt: skip
def test_percent_has_one_decimal_rounded_half_up(n, base, expected):
    assert percent(n, base) == expected


def test_counts_have_every_code_with_zeros_in_schedule_order(data):
    counts = rows(export("counts"))
    ppw = [(r["value"], r["n"]) for r in counts if r["variable"] == "people_per_week"]
    assert ppw == [("0", "0"), ("1-2", "2"), ("3-5", "0"), ("6-10", "0"), ("11+", "0")]
    assert [r["value"] for r in counts if r["variable"] == "ucla3"] == [
        "3", "4", "5", "6", "7", "8", "9", "missing",
    ]  # fmt: skip
    assert {r["section"] for r in counts if r["variable"] == "ucla3"} == {"score"}


def test_sees_percents_may_sum_past_100(data):
    sees = [r for r in rows(export("counts")) if r["variable"] == "sees"]
    assert sum(float(r["percent"]) for r in sees) == 150.0


def test_where_filters_set_the_base_and_combine_with_and(data):
    westminster = rows(
        export(
            "counts", ExportFilters.parse(include_unverified=False, where=["borough=westminster"])
        )
    )
    assert {r["base"] for r in westminster} == {"1"}
    nobody = ExportFilters.parse(
        include_unverified=False, where=["borough=westminster", "carer=yes"]
    )
    counts = rows(export("counts", nobody))
    assert {r["base"] for r in counts} == {"0"} and {r["percent"] for r in counts} == {""}
    assert rows(export("interviews", nobody)) == []
    sees_peers = ExportFilters.parse(include_unverified=True, where=["sees=peers"])
    assert [r["participant_code"] for r in rows(export("interviews", sees_peers))] == ["LSI-003"]


@pytest.mark.parametrize("bad", ["borough", "nope=1", "borough=mars"])
def test_bad_where_filters_are_refused(bad):
    with pytest.raises(FilterError):
        ExportFilters.parse(include_unverified=False, where=[bad])


def test_theme_rows_count_each_quote_and_participant_once(analyst):
    pair = (InterviewerFactory(), InterviewerFactory())
    answers = {"companionship": "often"}
    one = interview("P-1", pair=pair, answers=answers)
    two = interview("P-2", pair=pair, answers=answers)
    first = QuoteFactory(session=one)
    for code in ("safe_spaces", "living_with_others", "community_engagement"):
        TagFactory(quote=first, subtheme=subtheme(code), tagged_by=analyst)
    TagFactory(quote=QuoteFactory(session=one), subtheme=subtheme("safe_spaces"))
    TagFactory(quote=QuoteFactory(session=two), subtheme=subtheme("safe_spaces"))
    theme_rows = {
        (r["by"], r["group"], r["theme"], r["subtheme"]): (r["quotes"], r["participants"])
        for r in rows(export("theme_counts"))
    }
    assert theme_rows[("all", "", "settings", "")] == ("3", "2")
    assert theme_rows[("all", "", "settings", "safe_spaces")] == ("3", "2")
    assert theme_rows[("all", "", "settings", "living_with_others")] == ("1", "1")
    assert theme_rows[("answer", "companionship:often", "settings", "")] == ("3", "2")
    assert theme_rows[("all", "", "people", "other_networks")] == ("0", "0")


def test_retired_subthemes_stay_in_exports_but_not_as_zero_rows(data):
    for code in ("safe_spaces", "community_engagement"):
        s = subtheme(code)
        s.is_active = False
        s.save()
    all_rows = [r for r in rows(export("theme_counts")) if r["by"] == "all"]
    codes = [r["subtheme"] for r in all_rows]
    assert "safe_spaces" in codes  # tagged: kept
    assert "community_engagement" not in codes  # retired and unused


def test_excel_variant_is_the_same_bytes_after_a_bom(data):
    for kind in KINDS:
        plain, excel = export(kind), export(kind, excel=True)
        assert not plain.startswith(b"\xef\xbb\xbf")
        assert excel == b"\xef\xbb\xbf" + plain


def test_command_and_download_give_the_same_bytes(data, coordinator, client, tmp_path):
    client.force_login(coordinator)  # who may include unverified interviews on the page
    today = timezone.localdate().isoformat()
    for kind in KINDS:
        for excel in (False, True):
            out = tmp_path / f"{kind}.csv"
            args = ["export", kind, "--out", str(out), "--include-unverified", "--where",
                    "service=secondary"] + (["--excel"] if excel else [])  # fmt: skip
            call_command(*args)
            post = {"kind": kind, "include_unverified": "on", "where_service": "secondary"}
            if excel:
                post["format"] = "excel"
            response = client.post(reverse("admin:themes_exports"), post)
            assert response.status_code == 200
            name = f"{kind}_loneliness-2018_service-secondary_with-unverified_made-{today}.csv"
            assert response["Content-Disposition"] == f'attachment; filename="{name}"'
            assert b"".join(response.streaming_content) == out.read_bytes()


def test_command_writes_to_standard_output(data):
    out = io.StringIO()
    call_command("export", "counts", stdout=out)
    assert out.getvalue().encode() == export("counts")


def test_command_refuses_bad_filters_with_a_reason():
    with pytest.raises(CommandError, match="'colour' is not a variable of loneliness-2018"):
        call_command("export", "counts", "--where", "colour=blue", stdout=io.StringIO())


def test_every_export_is_recorded(data, analyst, client):
    call_command("export", "quotes", "--where", "borough=westminster", stdout=io.StringIO())
    record = ExportRecord.objects.get()
    assert (record.file, record.channel, record.made_by, record.rows, record.format) == (
        "quotes.csv", "command", None, 3, "csv",
    )  # fmt: skip
    assert record.filters == {
        "evaluation": "loneliness-2018",
        "include_unverified": False,
        "where": ["borough=westminster"],
    }
    client.force_login(analyst)
    response = client.post(reverse("admin:themes_exports"), {"kind": "counts", "format": "excel"})
    b"".join(response.streaming_content)
    download = ExportRecord.objects.filter(channel="download").get()
    assert (download.file, download.made_by, download.format) == ("counts.csv", analyst, "excel")
    assert download.rows == len(rows(export("counts")))


def many_interviews(n: int, analyst, prefix: str) -> None:
    pair = (InterviewerFactory(), InterviewerFactory())
    for i in range(n):
        session = interview(
            f"{prefix}-{i:03d}",
            pair=pair,
            answers={"companionship": "often", "help": "no_answer"},
            sees=["friends", "peers"],
        )
        for item in ("companionship", "what_else"):
            quote = QuoteFactory(session=session, item=item)
            TagFactory(quote=quote, subtheme=subtheme("safe_spaces"), tagged_by=analyst)


def queries_for(kind: str) -> int:
    # As a running server or the command has it: the evaluation already chosen (the page and
    # the command look it up before the export starts) and its schedule read.
    filters = ExportFilters(evaluation=Evaluation.objects.current())
    schedule_of(filters.evaluation)
    with CaptureQueriesContext(connection) as ctx:
        export(kind, filters)
    return len(ctx.captured_queries)


# Each export: its record (insert, then update of the row count) plus, for
# interviews: sessions, answers, quotes, ticks (merged in one streaming pass);
# quotes: quotes with their answer, tags; counts: base, answers, ticks, one per score (UCLA-3);
# theme_counts: themes, sub-themes, taggable, then 2 per grouping (all, item, answer and the
# one-answer demographics, all in one).
EXPECTED_QUERIES = {"interviews": 6, "quotes": 4, "counts": 6, "theme_counts": 13}
if connection.vendor == "postgresql":
    # The row exports are one COPY on psycopg's own cursor, which Django does not capture:
    # what is seen is the record's insert and update.
    EXPECTED_QUERIES.update(interviews=2, quotes=2)
    # theme_counts: the record (2), themes, sub-themes, taggable, then one statement for every
    # grouping in a savepoint with its own planner settings (savepoint, 3 SETs, the
    # statement, release).
    EXPECTED_QUERIES.update(theme_counts=11)


@pytest.mark.parametrize("kind", KINDS)
def test_export_query_count_is_pinned_and_independent_of_rows(analyst, kind):
    many_interviews(1, analyst, "ONE")
    one = queries_for(kind)
    many_interviews(19, analyst, "MORE")
    assert len(rows(export(kind))) >= 20
    assert queries_for(kind) == one == EXPECTED_QUERIES[kind]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
@pytest.mark.parametrize("kind", ["interviews", "quotes", "theme_counts"])
def test_copy_gives_the_same_bytes_as_the_python_path(analyst, kind, monkeypatch):
    """Awkward words: commas, double quotes, accents, £, a lone quote mark, leading spaces."""
    from themes import export_counts, exports

    many_interviews(3, analyst, "AWK")
    for i, text in enumerate(
        ['He said "no", then left.', "£5 for the café, too much", '"', "  spaced  ", "a,b"]
    ):
        pair = (InterviewerFactory(), InterviewerFactory())
        session = interview(f"AWK-X{i}", pair=pair, answers={"help": "often"})
        quote = QuoteFactory(session=session, item="what_helped", text=text)
        # Two sub-themes of one theme on one quote: the theme counts the quote once.
        for code in ("safe_spaces", "community_engagement", "trusted_professional"):
            TagFactory(quote=quote, subtheme=subtheme(code), tagged_by=analyst)
        other = QuoteFactory(session=session, item="help", text=text + " again")
        TagFactory(quote=other, subtheme=subtheme("safe_spaces"), tagged_by=analyst)
    with_copy = export(kind)
    not_postgres = type("NotPostgres", (), {"vendor": "sqlite"})
    monkeypatch.setattr(exports, "connection", not_postgres)
    monkeypatch.setattr(export_counts, "connection", not_postgres)
    assert export(kind) == with_copy
    assert len(rows(with_copy)) >= 8


def test_site_and_dates_filter_every_export(data):
    def base(**options) -> set[str]:
        filters = ExportFilters.parse(include_unverified=False, **options)
        return {r["base"] for r in rows(export("counts", filters))}

    # Both counted interviews took place at Pall Mall on 12 April 2018.
    assert base(where=["site=pall_mall"]) == {"2"}
    assert base(where=["site=oremi_centre"]) == {"0"}
    assert base(where=[], date_from="2018-04-12", date_to="2018-04-12") == {"2"}
    assert base(where=[], date_from="2018-04-13") == {"0"}
    assert base(where=[], date_to="2018-04-11") == {"0"}
    filters = ExportFilters.parse(include_unverified=False, where=[], date_from="2018-04-13")
    assert [r["participant_code"] for r in rows(export("interviews", filters))] == []
    assert rows(export("quotes", filters)) == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--from", "12/04/2018"], "--from needs a date as YYYY-MM-DD (got '12/04/2018')"),
        (["--to", "2018-02-30"], "--to needs a date as YYYY-MM-DD (got '2018-02-30')"),
        (["--where", "site=nowhere"], "'nowhere' is not a code of site; use one of: "),
        (["--where", "borough"], "--where needs VARIABLE=CODE, e.g. living_arrangement=alone"),
    ],
)
def test_command_refuses_bad_sites_and_dates_with_a_reason(options, message):
    with pytest.raises(CommandError) as refused:
        call_command("export", "counts", *options, stdout=io.StringIO())
    assert str(refused.value).startswith(message)
    assert not ExportRecord.objects.exists()


def test_the_command_records_the_dates_it_was_given(data):
    call_command(
        "export", "counts", "--from", "2018-01-01", "--to", "2018-12-31", stdout=io.StringIO()
    )
    assert ExportRecord.objects.get().filters == {
        "evaluation": "loneliness-2018",
        "include_unverified": False,
        "where": [],
        "from": "2018-01-01",
        "to": "2018-12-31",
    }
