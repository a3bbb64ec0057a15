"""Imports stay small and quick whatever the file: a size limit, at most 200 problems listed
(all counted), quotes no longer than typed ones, a fixed number of queries, bounded memory,
and still the consent gate and the audit history."""

from __future__ import annotations

import csv
import io
import tracemalloc

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from interviews import interview_import as imports
from interviews.interview_import import interviews_import
from interviews.models import (
    Answer,
    ConsentRecord,
    ConsentResponse,
    Evaluation,
    InterviewSession,
    Quote,
    Tick,
)
from interviews.schedules import schedule_of
from interviews.services import session_import
from interviews.services.consent_gate import REFUSED
from interviews.services.sessions import MAX_QUOTE_LENGTH
from tests.factories import ConsentRecordFactory, InterviewerFactory, QuoteFactory
from themes.tag_import import tags_import
from ufm.import_rows import ImportFailed

pytestmark = pytest.mark.django_db

ROW = {
    "participant_code": "LIM-0",
    "interview_date": "2018-04-12",
    "site": "pall_mall",
    "interviewer_1": "interviewer_a",
    "interviewer_2": "interviewer_b",
    "consent_form_version": "v1",
    "consent_date": "2018-04-12",
    "consent_method": "signed",
    "consent_quotes": "yes",
    "companionship": "often",
    "companionship_quotes": "The cat is my company most days.",
    "contentment": "some_of_the_time",
    "contentment_quotes": "",
    "help": "hardly_ever",
    "help_quotes": "I would not know who to ring.",
    "isolation": "often",
    "isolation_quotes": "",
    "left_out": "some_of_the_time",
    "left_out_quotes": "",
    "what_helped_quotes": "",
    "what_else_quotes": "",
    "living_arrangement": "alone",
    "people_per_week": "1-2",
    "sees": "family;friends",
    "carer": "no",
    "disability": "yes",
    "medication": "yes",
    "service": "secondary",
    "age_band": "45-54",
    "gender": "man",
    "ethnicity": "M",
    "borough": "westminster",
}


@pytest.fixture
def accounts(db):
    return [InterviewerFactory(username=f"interviewer_{x}") for x in "abc"]


def rows(n: int, *, start: int = 0, **changes: str) -> list[dict[str, str]]:
    return [{**ROW, "participant_code": f"LIM-{i:05d}", **changes} for i in range(start, start + n)]


def as_csv(records: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(ROW), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def interviews_csv(n: int, **changes: str) -> str:
    return as_csv(rows(n, **changes))


def upload_file(text: str, name: str = "interviews.csv") -> io.BytesIO:
    file = io.BytesIO(text.encode("utf-8"))
    file.name = name
    return file


# --- the size limit ---------------------------------------------------------------------------


def test_the_page_refuses_a_file_over_the_limit_with_a_message(client, analyst, settings):
    settings.IMPORT_MAX_MEGABYTES = 1
    client.force_login(analyst)
    big = upload_file("x" * (3 * 1024 * 1024 // 2))
    response = client.post(reverse("admin:interviews_interviewsession_import"), {"file": big})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file is 1.5 MB and an import takes at most 1 MB." in page
    assert "IMPORT_MAX_MEGABYTES" in page
    assert "The file is fine" not in page
    assert "import_interviews" not in client.session


def test_the_commands_refuse_a_file_over_the_limit(settings, tmp_path, analyst, accounts):
    settings.IMPORT_MAX_MEGABYTES = 1
    path = tmp_path / "big.csv"
    path.write_text(interviews_csv(1) + "x" * 1024 * 1024, encoding="utf-8")
    for command, options in (
        ("import_interviews", {}),
        ("import_tags", {"user": analyst.username}),
    ):
        with pytest.raises(CommandError, match=r"The file is 1\.1 MB and an import takes at most"):
            call_command(command, str(path), **options)
    assert not InterviewSession.objects.exists()


def test_a_file_at_the_limit_is_taken(settings, accounts):
    settings.IMPORT_MAX_MEGABYTES = 1
    from ufm.import_rows import size_check

    size_check(1024 * 1024)


# --- problems: the first 200 listed, all counted ------------------------------------------------


def test_at_most_200_problems_are_listed_and_all_are_counted(accounts):
    with pytest.raises(ImportFailed) as failed:
        interviews_import(text=interviews_csv(300, site="mars", help="always"), file_name="x")
    assert len(failed.value.problems) == 200
    assert failed.value.total == 600
    assert failed.value.lines()[-1] == "and 400 more problems"
    assert str(failed.value.problems[0]).startswith("line 2, column site: unknown site")


def test_one_more_problem_is_one_problem(accounts):
    with pytest.raises(ImportFailed) as failed:
        interviews_import(text=interviews_csv(201, site="mars"), file_name="x")
    assert failed.value.more == "and 1 more problem"


def test_the_page_lists_200_problems_then_says_how_many_more(client, analyst, accounts):
    client.force_login(analyst)
    text = interviews_csv(1_500, site="mars")
    response = client.post(
        reverse("admin:interviews_interviewsession_import"), {"file": upload_file(text)}
    )
    page = response.content.decode()
    assert page.count("column site: unknown site") == 200
    assert "and 1,300 more problems" in page


def test_the_command_lists_200_problems_then_says_how_many_more(accounts, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(interviews_csv(250, site="mars"), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_interviews", str(path))
    assert str(error.value).count("column site: unknown site") == 200
    assert str(error.value).endswith("and 50 more problems")


def test_a_long_cell_is_shortened_in_the_problem(accounts):
    with pytest.raises(ImportFailed) as failed:
        interviews_import(text=interviews_csv(1, site="m" * 5_000), file_name="x")
    assert str(failed.value.problems[0]).endswith("(got '" + "m" * 100 + "…')")


def test_memory_stays_small_for_a_large_file_of_bad_rows(accounts):
    # 20,000 rows with a problem in every cell: listing them all kept 480,000 problems.
    text = ",".join(ROW) + "\n" + "x,\n" * 20_000
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailed) as failed:
            interviews_import(text=text, file_name="bad.csv")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert failed.value.total == 480_000
    assert len(failed.value.problems) == 200
    assert peak < 25 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MiB"


# --- quotes as long as typed ones ---------------------------------------------------------------


def test_a_quote_longer_than_a_typed_one_is_refused(accounts):
    words = "a" * (MAX_QUOTE_LENGTH + 1)
    with pytest.raises(ImportFailed) as failed:
        interviews_import(text=interviews_csv(1, help_quotes=f"Short.\n{words}"), file_name="x")
    assert [p.message for p in failed.value.problems] == [
        f"quote 2 is {MAX_QUOTE_LENGTH + 1:,} characters long; a quote is at most "
        f"{MAX_QUOTE_LENGTH:,}, so split it into two"
    ]
    assert not Quote.objects.exists()


def test_a_quote_as_long_as_a_typed_one_may_be_is_imported(accounts):
    words = "a" * MAX_QUOTE_LENGTH
    interviews_import(text=interviews_csv(1, help_quotes=words), file_name="x")
    assert Quote.objects.get(question__code="help").text == words


# --- queries ------------------------------------------------------------------------------------

LOOK_UPS = 5  # sites, interviewer accounts, consent forms and their statements, codes in use


def loneliness() -> Evaluation:
    """The evaluation the file is of, its schedule read as a running server has it read."""
    evaluation = Evaluation.objects.get(code="loneliness-2018")
    schedule_of(evaluation)
    return evaluation


@pytest.mark.parametrize("rows", [1, 50])
def test_the_check_of_interviews_takes_the_same_queries_for_1_or_50_rows(
    accounts, django_assert_num_queries, rows
):
    text = interviews_csv(rows)
    evaluation = loneliness()
    # The look-ups only: the check writes nothing (interviews/interview_import.py says why).
    with django_assert_num_queries(LOOK_UPS):
        result = interviews_import(
            text=text, file_name="x.csv", evaluation=evaluation, dry_run=True
        )
    assert result.rows == rows
    assert not InterviewSession.objects.exists()


IMPORT_QUERIES = (
    LOOK_UPS
    + 1  # SAVEPOINT: the test's transaction holds the import's
    + 2  # interviews and their history
    + 1  # the "imported" events
    + 4  # consent records and responses, each with history
    + 3  # the consent gate: the sessions (locked), the forms' statements, the responses
    + 6  # answers (items and demographics alike), ticks and quotes, each with history
    + 1  # RELEASE SAVEPOINT
)


@pytest.mark.parametrize("rows", [1, 6])
def test_the_import_of_interviews_takes_the_same_queries_for_1_or_6_rows(
    accounts, django_assert_num_queries, rows
):
    # 6 rows fit one batch and one INSERT a table on SQLite (999 values: 6 rows hold 90 answers,
    # whose history rows have 10 values each); a larger file takes one more INSERT per table for
    # each 999 values there, and per batch (session_import.BATCH), never one per row.
    text = interviews_csv(rows)
    evaluation = loneliness()
    with django_assert_num_queries(IMPORT_QUERIES):
        result = interviews_import(text=text, file_name="x.csv", evaluation=evaluation)
    assert InterviewSession.objects.count() == result.rows == rows


TAG_QUERIES = (
    1  # the evaluation the file is of (none given: the one exported by default)
    + 4  # look-ups: sub-themes, those open for tagging, quotes analysts may tag, retired tags
    + 1  # SAVEPOINT: the test's transaction holds the import's
    + 1  # SAVEPOINT: tags_replace is a transaction of its own
    # tags_replace: the quotes locked (with their evaluation), the sub-themes' evaluations (a
    # quote takes only its own evaluation's codebook), their tags
    + 3
    + 2  # the new tags and their history
    + 1  # RELEASE SAVEPOINT: tags_replace's
    + 2  # ROLLBACK TO SAVEPOINT (a dry run), RELEASE SAVEPOINT
)


@pytest.mark.parametrize("rows", [1, 20])
def test_the_check_of_tags_takes_the_same_queries_for_1_or_20_rows(
    analyst, django_assert_num_queries, rows
):
    quotes = [QuoteFactory(session=ConsentRecordFactory().session) for _ in range(rows)]
    InterviewSession.objects.update(status="verified")
    text = "quote_id,tags\n" + "".join(f"{q.pk},safe_spaces\n" for q in quotes)
    with django_assert_num_queries(TAG_QUERIES):
        result = tags_import(text=text, user=analyst, dry_run=True)
    assert (result.rows, result.added) == (rows, rows)


# --- still the consent gate and the history -----------------------------------------------------


def test_the_import_asks_the_consent_gate_and_stops_when_it_refuses(accounts, monkeypatch):
    asked = []

    def refusing(session_ids, *, for_quotes=()):
        asked.append((len(session_ids), len(for_quotes)))
        return {session_ids[1]: "The participant has withdrawn."}

    monkeypatch.setattr(session_import, "consent_problems", refusing)
    text = as_csv(rows(2) + rows(1, start=2, companionship_quotes="", help_quotes=""))
    with pytest.raises(ImportFailed) as failed:
        interviews_import(text=text, file_name="x.csv")
    # Every interview, and for quotes the two that have some.
    assert asked == [(3, 2)]
    assert [str(p) for p in failed.value.problems] == [
        "line 3, column consent_form_version: The participant has withdrawn. (got '')"
    ]
    assert not InterviewSession.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_the_check_asks_the_consent_gates_rule_of_what_each_row_would_record(accounts, monkeypatch):
    # As if a paper form could say no to a required statement: the gate would refuse it.
    monkeypatch.setattr(
        imports,
        "paper_form",
        lambda plan, statements: [(s, s.code != "voluntary") for s in statements[plan.version.pk]],
    )
    with pytest.raises(ImportFailed) as failed:
        interviews_import(text=interviews_csv(2), file_name="x.csv", dry_run=True)
    assert [(p.line, p.column, p.message) for p in failed.value.problems] == [
        (line, "consent_form_version", REFUSED) for line in (2, 3)
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"site": "mars"},
        {"consent_quotes": "no"},
        {"consent_form_version": "v9"},
        {"interviewer_2": "interviewer_a"},
        {"sees": "friends;friends"},
        {"help_quotes": "a" * (MAX_QUOTE_LENGTH + 1)},
        {"interview_date": "2999-01-01"},
        {"participant_code": "LIM-00001"},
    ],
)
def test_a_dry_run_finds_what_the_import_finds(accounts, changes):
    text = as_csv(rows(1) + rows(1, start=1, **changes))
    outcomes = []
    for dry_run in (True, False):
        try:
            outcomes.append(interviews_import(text=text, file_name="x", dry_run=dry_run).rows)
        except ImportFailed as failed:
            outcomes.append([str(p) for p in failed.problems])
    assert outcomes[0] == outcomes[1]


def test_a_code_taken_while_the_file_is_written_is_a_problem_not_a_crash(accounts, monkeypatch):
    interviews_import(text=interviews_csv(1), file_name="first.csv")
    # As if another import had taken the code between this one's check and its write.
    monkeypatch.setattr(imports, "codes_in_use", set)
    with pytest.raises(ImportFailed) as failed:
        interviews_import(text=interviews_csv(2), file_name="second.csv")
    assert "took one of the file's participant codes" in str(failed.value.problems[0])
    assert InterviewSession.objects.count() == 1


def test_an_import_through_the_page_records_who_made_every_row(client, analyst, accounts):
    client.force_login(analyst)
    url = reverse("admin:interviews_interviewsession_import")
    client.post(url, {"file": upload_file(interviews_csv(2))})
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    for model in (
        InterviewSession,
        ConsentRecord,
        ConsentResponse,
        Answer,
        Tick,
        Quote,
    ):
        history = model.history.all()
        assert history.count() == model.objects.count() > 0, model
        assert {h.history_user for h in history} == {analyst}, model
        assert {h.history_type for h in history} == {"+"}, model
