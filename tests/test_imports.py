"""Imports of interviews.csv and quotes.csv (tags): all or nothing, every problem listed,
the consent gate, and the round trip of exchange.md."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from interviews.exchange import interview_columns
from interviews.interview_import import interviews_import
from interviews.models import (
    ConsentRecord,
    InterviewSession,
    Quote,
    SessionEvent,
)
from interviews.schedules import schedule_of
from tests.analysis_data import build, subtheme
from tests.factories import AnalystFactory, InterviewerFactory
from tests.test_import_limits import loneliness
from themes.export_filters import ExportFilters
from themes.exports import export_stream
from themes.models import ExportRecord, Tag
from themes.services import subtheme_merge, subtheme_retire
from themes.tag_import import tags_import
from ufm.import_rows import ImportFailed

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "interviews-example.csv"


def export(kind: str) -> str:
    return b"".join(
        export_stream(kind=kind, filters=ExportFilters(), excel=False, user=None, channel="command")
    ).decode("utf-8")


def table(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def as_csv(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


@pytest.fixture
def accounts(db):
    return [InterviewerFactory(username=f"interviewer_{x}") for x in "abc"]


@pytest.fixture
def example_rows(accounts):
    return table(EXAMPLE.read_text(encoding="utf-8"))


def problems_of(text: str, **kwargs) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        interviews_import(text=text, file_name="bad.csv", **kwargs)
    return [str(p) for p in failed.value.problems]


def test_the_example_file_imports_and_exports_the_same_cells(accounts):
    interviews_import(text=EXAMPLE.read_text(encoding="utf-8"), file_name=EXAMPLE.name)
    original = table(EXAMPLE.read_text(encoding="utf-8"))
    exported = table(export("interviews"))
    assert [{c: r[c] for c in original[0]} for r in exported] == original


def test_an_imported_interview_is_verified_consented_and_says_where_it_came_from(accounts):
    interviews_import(text=EXAMPLE.read_text(encoding="utf-8"), file_name="lsi-2018.csv")
    session = InterviewSession.objects.get(participant_code="EX-001")
    assert (session.status, session.source, session.source_file) == (
        "verified",
        "import",
        "lsi-2018.csv",
    )
    event = SessionEvent.objects.get(session=session)
    assert (event.kind, event.by, event.note) == ("imported", None, "Imported from lsi-2018.csv")
    consent = ConsentRecord.objects.get(session=session)
    assert (consent.recorded_by.username, consent.witness.username, consent.method) == (
        "interviewer_a",
        "interviewer_b",
        "signed",
    )
    agreed = {r.statement.code: r.agreed for r in consent.responses.all()}
    assert agreed == {
        "information": True,
        "voluntary": True,
        "pseudonymous": True,
        "storage": True,
        "quotes": True,
    }
    no_quotes = ConsentRecord.objects.get(session__participant_code="EX-002")
    assert no_quotes.responses.get(statement__code="quotes").agreed is False
    texts = Quote.objects.filter(session=session, question__code="companionship")
    texts = texts.values_list("text")
    assert [t for (t,) in texts] == [
        "Since I moved flat I hardly talk to anyone.",
        "The cat is my company most days.",
    ]


def test_a_byte_order_mark_and_unknown_columns_are_accepted(example_rows):
    for row in example_rows:
        row["notes"] = "ignored"
    result = interviews_import(text="\ufeff" + as_csv(example_rows), file_name="x.csv")
    assert result.rows == 3


def test_round_trip_export_import_export_gives_the_same_file(analyst):
    build(analyst)
    first = export("interviews")
    Tag.objects.all().delete()
    InterviewSession.objects.filter(withdrawal__isnull=True).delete()
    interviews_import(text=first, file_name="interviews.csv")
    assert export("interviews") == first


def test_dry_run_checks_without_saving(example_rows):
    result = interviews_import(text=as_csv(example_rows), file_name="x.csv", dry_run=True)
    assert (result.rows, result.dry_run) == (3, True)
    assert not InterviewSession.objects.exists()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("companionship", "always", "line 2, column companionship: unknown answer"),
        ("interview_date", "12/04/2018", "line 2, column interview_date: not a date"),
        ("interview_date", "2018-02-30", "line 2, column interview_date: not a real date"),
        ("interview_date", "2999-01-01", "line 2, column interview_date: the date is in the fut"),
        ("consent_form_version", "", "line 2, column consent_form_version: consent is required"),
        ("consent_form_version", "v9", "line 2, column consent_form_version: no consent form"),
        ("consent_quotes", "", "line 2, column consent_quotes: consent is required"),
        ("interviewer_2", "nobody", "line 2, column interviewer_2: no active interviewer"),
        ("site", "mars", "line 2, column site: unknown site"),
        ("sees", "friends;aliens", "line 2, column sees: unknown code 'aliens'"),
        ("borough", "", "line 2, column borough: unknown answer"),
        ("participant_code", "lsi 1", "line 2, column participant_code: A participant code is"),
        # PostgreSQL refuses a query holding NUL: the code must never reach the database.
        ("participant_code", "EX\x00", "line 2, column participant_code: A participant code is"),
    ],
)  # fmt: skip
def test_each_bad_cell_is_reported_with_line_column_and_value(example_rows, column, value, message):
    example_rows[0][column] = value
    problems = problems_of(as_csv(example_rows))
    assert any(p.startswith(message) and p.endswith(f"(got '{value}')") for p in problems), problems
    assert not InterviewSession.objects.exists()


def test_every_problem_is_listed_not_just_the_first(example_rows):
    example_rows[0]["site"] = "mars"
    example_rows[2]["carer"] = "maybe"
    problems = problems_of(as_csv(example_rows))
    # EX-001 spans lines 2-3 (a quote cell with a line break), so EX-003 starts on line 5.
    assert problems == [
        "line 2, column site: unknown site; use one of: woodfield_road, pall_mall, "
        "vauxhall_bridge_road, nightingale_place, oremi_centre, other (got 'mars')",
        "line 5, column carer: unknown answer; use one of: yes, no, prefer_not_to_say "
        "(got 'maybe')",
    ]


def test_duplicate_participant_codes_are_refused(example_rows):
    example_rows[1]["participant_code"] = "EX-001"
    problems = problems_of(as_csv(example_rows))
    assert problems == [
        "line 4, column participant_code: this participant code is already on line 2 of the "
        "file (got 'EX-001')"
    ]
    interviews_import(text=EXAMPLE.read_text(encoding="utf-8"), file_name="x.csv")
    again = problems_of(EXAMPLE.read_text(encoding="utf-8"))
    assert len(again) == 3 and "is already used by another interview" in again[0]


def test_a_missing_consent_column_refuses_the_whole_file(example_rows):
    for row in example_rows:
        del row["consent_quotes"]
    assert problems_of(as_csv(example_rows)) == [
        "line 1, column consent_quotes: this column is missing from the header (got '')"
    ]


def test_quotes_of_a_participant_who_said_no_are_refused(example_rows):
    example_rows[1]["help_quotes"] = "Words we may not keep."
    problems = problems_of(as_csv(example_rows))
    assert problems[0].startswith("line 4, column help_quotes: the participant did not agree")


def test_an_account_that_is_not_an_interviewer_is_refused(example_rows):
    AnalystFactory(username="an_analyst")
    example_rows[0]["interviewer_1"] = "an_analyst"
    assert problems_of(as_csv(example_rows))[0].startswith(
        "line 2, column interviewer_1: no active interviewer account"
    )


def test_the_command_exits_non_zero_with_every_reason(example_rows, tmp_path):
    example_rows[0]["companionship"] = "always"
    bad = tmp_path / "bad.csv"
    bad.write_text(as_csv(example_rows), encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 2, column companionship: unknown answer"):
        call_command("import_interviews", str(bad))
    assert not InterviewSession.objects.exists()
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_interviews", str(tmp_path / "missing.csv"))


def test_the_command_imports_and_its_dry_run_saves_nothing(accounts):
    out = io.StringIO()
    call_command("import_interviews", str(EXAMPLE), "--dry-run", stdout=out)
    assert "3 interview(s) would be imported" in out.getvalue()
    assert not InterviewSession.objects.exists()
    call_command("import_interviews", str(EXAMPLE), stdout=out)
    assert InterviewSession.objects.filter(source="import").count() == 3


# --- tags ---------------------------------------------------------------------------------


@pytest.fixture
def tagged(analyst):
    return build(analyst)


def quotes_file(edit: dict[int, str]) -> str:
    records = table(export("quotes"))
    for record in records:
        if int(record["quote_id"]) in edit:
            record["tags"] = edit[int(record["quote_id"])]
    return as_csv(records)


def test_tags_import_replaces_each_listed_quotes_tags_as_the_analyst(tagged):
    q1, q2, *_ = tagged["quotes"]
    other = AnalystFactory()
    result = tags_import(
        text=quotes_file({q1.pk: "safe_spaces; diverse_groups", q2.pk: ""}), user=other
    )
    assert (result.rows, result.added, result.removed) == (3, 1, 2)
    assert set(q1.tags.values_list("subtheme__code", flat=True)) == {
        "safe_spaces",
        "diverse_groups",
    }
    assert not q2.tags.exists()
    assert q1.tags.get(subtheme__code="diverse_groups").tagged_by == other
    # A tag that stays keeps who made it.
    assert q1.tags.get(subtheme__code="safe_spaces").tagged_by != other


def test_tags_import_errors_save_nothing(tagged):
    q1, _, _, unverified, withdrawn = tagged["quotes"]
    before = list(Tag.objects.values_list("quote_id", "subtheme_id"))
    text = quotes_file({q1.pk: "safe_spaces;made_up"}) + f"{unverified.pk},,,,,safe_spaces\n"
    text += "abc,,,,,\n" + f"{withdrawn.pk},,,,,\n"
    with pytest.raises(ImportFailed) as failed:
        tags_import(text=text, user=tagged["quotes"][0].tags.first().tagged_by)
    problems = [str(p) for p in failed.value.problems]
    assert problems == [
        "line 2, column tags: unknown sub-theme 'made_up' (got 'safe_spaces;made_up')",
        "line 5, column quote_id: unknown quote_id: no verified quote with quote consent has "
        f"this number (got '{unverified.pk}')",
        "line 6, column quote_id: unknown quote_id: no verified quote with quote consent has "
        "this number (got 'abc')",
        "line 7, column quote_id: unknown quote_id: no verified quote with quote consent has "
        f"this number (got '{withdrawn.pk}')",
    ]
    assert list(Tag.objects.values_list("quote_id", "subtheme_id")) == before


@pytest.mark.parametrize("quote_id", ["²", "99999999999999999999999", "-1", "１"])
def test_tags_import_reports_quote_ids_that_are_no_number_it_can_use(analyst, quote_id):
    # Found by tests/test_fuzz.py: "²" passed isdigit() and broke int(); 23 digits broke
    # SQLite's integers. Both were 500s on the upload page.
    with pytest.raises(ImportFailed) as failed:
        tags_import(text=f"quote_id,tags\n{quote_id},safe_spaces\n", user=analyst)
    assert [p.column for p in failed.value.problems] == ["quote_id"]


def test_a_cell_over_the_csv_size_limit_is_a_problem_not_a_crash(accounts):
    # An unclosed quote swallows the rest of the file into one cell; found by test_fuzz.py.
    text = ",".join(interview_columns(schedule_of(loneliness()))) + '\n"' + "x" * 200_000 + "\n"
    assert problems_of(text) == [
        "line 2, column -: this line cannot be read as CSV "
        "(field larger than field limit (131072)) (got '')"
    ]


def test_nul_characters_in_quotes_are_dropped(example_rows):
    # PostgreSQL refuses NUL in text: the import failed with a 500 there.
    example_rows[0]["help_quotes"] = "I would not\x00 know who to ring."
    interviews_import(text=as_csv(example_rows), file_name="nul.csv")
    assert Quote.objects.filter(text="I would not know who to ring.").exists()


def test_tags_import_refuses_merged_and_newly_retired_subthemes(tagged, analyst):
    q1, q2, *_ = tagged["quotes"]
    subtheme_retire(subtheme=subtheme("diverse_groups"))
    subtheme_merge(source=subtheme("living_with_others"), target=subtheme("safe_spaces"))
    text = quotes_file({q1.pk: "living_with_others", q2.pk: "diverse_groups"})
    with pytest.raises(ImportFailed) as failed:
        tags_import(text=text, user=analyst)
    assert [p.message for p in failed.value.problems] == [
        "sub-theme 'living_with_others' was merged into 'safe_spaces'; use that instead",
        "sub-theme 'diverse_groups' is retired",
    ]


def test_import_tags_command_needs_an_analyst(tagged, tmp_path, interviewer):
    path = tmp_path / "quotes.csv"
    path.write_text(export("quotes"), encoding="utf-8")
    with pytest.raises(CommandError, match="may tag"):
        call_command("import_tags", str(path), "--user", interviewer.username)
    analyst = AnalystFactory()
    out = io.StringIO()
    call_command("import_tags", str(path), "--user", analyst.username, stdout=out)
    assert "0 tag(s) added, 0 removed" in out.getvalue()
    assert not ExportRecord.objects.filter(channel="download").exists()


# --- upload pages ----------------------------------------------------------------------------


def test_upload_page_previews_then_imports_as_the_analyst(client, analyst, accounts):
    client.force_login(analyst)
    url = reverse("admin:interviews_interviewsession_import")
    assert client.get(url).status_code == 200
    with EXAMPLE.open("rb") as upload:
        preview = client.post(url, {"file": upload})
    assert b"The file is fine" in preview.content and b"EX-001, EX-002, EX-003" in preview.content
    assert not InterviewSession.objects.exists()
    done = client.post(url, {"confirm": "yes"})
    assert done.status_code == 302
    event = SessionEvent.objects.get(session__participant_code="EX-001")
    assert (event.by, event.note) == (analyst, "Imported from interviews-example.csv")


def test_upload_page_lists_every_problem_and_saves_nothing(client, analyst, example_rows):
    example_rows[0]["site"] = "mars"
    client.force_login(analyst)
    upload = io.BytesIO(as_csv(example_rows).encode())
    upload.name = "bad.csv"
    response = client.post(reverse("admin:interviews_interviewsession_import"), {"file": upload})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"line 2, column site: unknown site" in response.content
    assert b'name="confirm"' not in response.content
    assert not InterviewSession.objects.exists()


def test_tag_upload_page_works_for_analysts_only(client, analyst, coordinator, tagged):
    url = reverse("admin:themes_import_tags")
    client.force_login(coordinator)
    assert client.get(url).status_code == 403
    client.force_login(analyst)
    upload = io.BytesIO(export("quotes").encode())
    upload.name = "quotes.csv"
    assert b"The file is fine" in client.post(url, {"file": upload}).content
    assert client.post(url, {"confirm": "yes"}).status_code == 302


def test_interviewers_and_anonymous_cannot_reach_the_import_pages(client, interviewer):
    for name in ("admin:interviews_interviewsession_import", "admin:themes_import_tags"):
        url = reverse(name)
        assert client.get(url).status_code == 302
        client.force_login(interviewer)
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url
        client.logout()
