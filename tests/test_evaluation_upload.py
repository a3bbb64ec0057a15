"""The Evaluations admin's "Upload a workbook" page: a workbook checked and shown in full, then
created or updated by the import service (or cancelled); its problems listed by sheet, row and
column with nothing saved; a frozen code refused; who may open it, by every method."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Evaluation, Question
from interviews.services.evaluations import evaluation_import
from interviews.workbooks import read_workbook
from interviews.workbooks.sheets import MAX_BYTES
from tests.factories import CoordinatorFactory
from tests.workbook_examples import EXAMPLE, example_rows, workbook_bytes

pytestmark = pytest.mark.django_db

URL = reverse("admin:interviews_evaluation_upload")
LIST = reverse("admin:interviews_evaluation_changelist")
KEY = "import_evaluation"
LONELINESS = Path(settings.BASE_DIR) / "evaluations" / "loneliness-2018.xlsx"
CRISIS = "crisis-care-2026"
METHODS = ("get", "post", "put", "delete")
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)


def waiting() -> list[Path]:
    folder = Path(settings.IMPORT_DIR)
    return sorted(folder.iterdir()) if folder.exists() else []


def check(client, data: bytes | None = None, name: str = "crisis-care-2026.xlsx"):
    upload = io.BytesIO(EXAMPLE.read_bytes() if data is None else data)
    upload.name = name
    return client.post(URL, {"file": upload})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def crisis_with(change) -> bytes:
    rows = example_rows()
    change(rows)
    return workbook_bytes(rows)


def loneliness_without_answer(code: str) -> bytes:
    """The loneliness workbook with the answer ``code`` dropped from its choices sheet."""
    workbook = openpyxl.load_workbook(LONELINESS)
    choices = workbook["choices"]
    (row,) = [cell.row for cell in choices["B"] if cell.value == code][:1]
    choices.delete_rows(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def table_rows(page: str) -> list[tuple[str, ...]]:
    """Each table row of the page as the text of its cells (HTML-escaped, tags dropped)."""
    return [
        tuple(re.sub(r"<[^>]+>", "", cell).strip() for cell in CELL.findall(row))
        for row in ROW.findall(page)
    ]


def crisis() -> Evaluation:
    return Evaluation.objects.get(code=CRISIS)


@pytest.fixture
def as_coordinator(client, coordinator):
    client.force_login(coordinator)
    return client


# --- the page, step by step ------------------------------------------------------------------


def test_the_list_links_to_the_page_for_coordinators_only(client, coordinator, analyst):
    client.force_login(coordinator)
    assert f'href="{URL}"'.encode() in client.get(LIST).content
    client.force_login(analyst)
    page = client.get(LIST)
    assert page.status_code == 200
    assert URL.encode() not in page.content
    assert b"Upload a workbook" not in page.content


def test_it_shows_the_form(as_coordinator):
    response = as_coordinator.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Workbook (.xlsx)" in page
    assert f"At most {MAX_BYTES // 2**20} MB." in page
    assert 'accept=".xlsx,' in page
    assert "Import crisis" not in page


def test_a_checked_workbook_is_shown_in_full_and_nothing_is_saved(as_coordinator):
    response = check(as_coordinator)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file is fine" in page
    assert (
        "crisis-care-2026.xlsx: The evaluation crisis-care-2026 (Crisis care: what helped when "
        "things were hardest) would be created: 2 section(s), 8 question(s), 4 answer list(s); "
        "status: being designed." in page
    )
    assert "Import creates a new evaluation, crisis-care-2026." in page
    rows = table_rows(page)
    for row in (
        # The evaluation: title, code, status, version.
        ("Title", "Crisis care: what helped when things were hardest"),
        ("Code", "crisis-care-2026"),
        ("Status", "Being designed"),
        ("Version", "1"),
        ("Participant code pattern", "^CC-[0-9]{3}$"),
        ("Consent form version", "v1.0, information sheet of 2026-09-01"),
        ("Withdrawal window", "28 days"),
        # Each section's questions: code, words, kind (and quotes), required, list (or terms).
        (
            "intro",
            "Think of the last time you asked for help in a crisis.",
            "Words shown",
            "no",
            "",
        ),
        (
            "seen_quickly",
            "I was seen quickly when I asked for help.",
            "One answer, with quotes",
            "yes",
            "agreement",
        ),
        ("felt_safe", "I felt safe.", "One answer", "yes", "agreement"),
        (
            "contacted",
            "Which services did you contact? (tick all that apply)",
            "Tick all that apply",
            "no",
            "services",
        ),
        ("helped_most", "What helped most?", "Open, in quotes", "no", ""),
        ("age_band", "Age", "One answer", "yes", "age"),
        (
            "care_score",
            "Care score (0 to 6, higher is better)",
            "Derived score",
            "no",
            "seen_quickly + listened_to + felt_safe",
        ),
        # The answer lists: codes, labels and scores.
        ("agree", "Agree", "2"),
        ("not_sure", "Not sure", "none"),
        ("a_and_e", "A&amp;E", "none"),
        ("55+", "55 or over", "none"),
        # The consent statements, and the codebook's themes and sub-themes.
        ("voluntary", "I know I can stop at any time without giving a reason.", "yes"),
        ("quotes", "My words may be quoted without my name.", "no"),
        (
            "access: Getting help",
            "speed",
            "Speed of response",
            "waiting, call-backs, being turned away",
        ),
        ("people: People", "continuity", "Seeing the same person", ""),
    ):
        assert row in rows, row
    for shown in (
        "Section 1: Your care (schedule)",
        "Section 2: About you (demographics)",
        *(f"<caption>{name}</caption>" for name in ("agreement", "services", "age")),
        'name="confirm" value="yes" class="default">Import crisis-care-2026.xlsx</button>',
        'name="cancel" value="yes">Cancel</button>',
    ):
        assert shown in page, shown
    assert not Evaluation.objects.filter(code=CRISIS).exists()
    (path,) = waiting()
    assert path.read_bytes().endswith(EXAMPLE.read_bytes())
    assert as_coordinator.session[KEY] == path.name.removesuffix(".pending")


def test_import_creates_the_evaluation_and_records_who_did_it(as_coordinator, coordinator):
    check(as_coordinator)
    response = as_coordinator.post(URL, {"confirm": "yes"})
    assert response.status_code == 302 and response.url == URL
    assert messages_of(response) == [
        "The evaluation crisis-care-2026 (Crisis care: what helped when things were hardest) "
        "was created: 2 section(s), 8 question(s), 4 answer list(s); status: being designed."
    ]
    evaluation = crisis()
    assert evaluation.status == Evaluation.Status.DESIGN
    assert list(evaluation.questions.values_list("code", flat=True)) == [
        "intro",
        "seen_quickly",
        "listened_to",
        "felt_safe",
        "contacted",
        "helped_most",
        "age_band",
        "first_contact",
        "care_score",
    ]
    assert evaluation.history.get().history_user == coordinator
    assert waiting() == []
    assert KEY not in as_coordinator.session


def test_cancel_saves_nothing_and_removes_the_file(as_coordinator):
    check(as_coordinator)
    response = as_coordinator.post(URL, {"cancel": "yes"}, follow=True)
    assert "Cancelled: nothing was imported, and the checked file was removed." in messages_of(
        response
    )
    assert waiting() == []
    # Pressing Import afterwards (another tab) finds nothing to import.
    again = as_coordinator.post(URL, {"confirm": "yes"}, follow=True)
    assert "Please choose the file again" in messages_of(again)[0]
    assert not Evaluation.objects.filter(code=CRISIS).exists()


def test_a_workbook_of_an_evaluation_in_design_updates_it(as_coordinator, coordinator):
    evaluation_import(read_workbook(EXAMPLE.read_bytes()), dry_run=False)

    def relabel(rows):
        rows["survey"][4][2] = "Staff really listened to me."

    page = check(as_coordinator, crisis_with(relabel)).content.decode()
    assert "would be updated" in page
    assert "Import updates the evaluation crisis-care-2026 (being designed)" in page
    assert crisis().questions.get(code="listened_to").label == "Staff listened to me."

    response = as_coordinator.post(URL, {"confirm": "yes"})
    assert "was updated" in messages_of(response)[0]
    assert crisis().questions.get(code="listened_to").label == "Staff really listened to me."
    assert crisis().history.latest().history_user == coordinator


def test_every_problem_is_listed_and_nothing_is_saved(as_coordinator):
    def break_it(rows):
        rows["settings"][1][0] = "Crisis Care"
        rows["choices"][2][3] = "one"
        rows["codebook"][2][1] = "Access"

    response = check(as_coordinator, crisis_with(break_it), name="broken.xlsx")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem: nothing was imported" in page
    problems = response.context["problems"]
    assert problems == [
        "choices row 3, column score: 'one' is not a whole number",
        "settings row 2, column form_id: 'Crisis Care' is not an evaluation code: use 2 to 40 "
        "of a-z, 0-9 and '-', like loneliness-2018",
        "codebook row 3, column theme_label: row 2 calls this theme 'Getting help'",
    ]
    # As the page shows them, escaped.
    assert "choices row 3, column score: &#x27;one&#x27; is not a whole number" in page
    assert "The file is fine" not in page
    assert Evaluation.objects.count() == 1
    assert waiting() == []
    assert KEY not in as_coordinator.session


def test_a_workbook_changing_a_frozen_code_is_refused_with_the_reason(as_coordinator):
    before = Question.objects.count()
    response = check(as_coordinator, loneliness_without_answer("hardly_ever"), name="l.xlsx")
    assert response.context["problems"] == [
        "choices row 2, column name: the answer 'hardly_ever' of list 'frequency' is gone, but "
        "the evaluation is published: put it back"
    ]
    assert (
        Evaluation.objects.get(code="loneliness-2018")
        .choice_lists.get(name="frequency")
        .options.filter(code="hardly_ever")
        .exists()
    )
    assert Question.objects.count() == before
    assert waiting() == []


def test_a_code_frozen_between_check_and_import_is_refused_then(as_coordinator):
    """The evaluation published after the check freezes its codes: Import reads the workbook
    again, refuses it and says why."""
    evaluation_import(read_workbook(EXAMPLE.read_bytes()), dry_run=False)

    def drop_not_sure(rows):
        del rows["choices"][4]

    assert b"The file is fine" in check(as_coordinator, crisis_with(drop_not_sure)).content
    Evaluation.objects.filter(code=CRISIS).update(status=Evaluation.Status.COLLECTING)
    response = as_coordinator.post(URL, {"confirm": "yes"})
    assert response.status_code == 200
    assert response.context["problems"] == [
        "choices row 2, column name: the answer 'not_sure' of list 'agreement' is gone, but "
        "the evaluation is published: put it back"
    ]
    assert crisis().choice_lists.get(name="agreement").options.filter(code="not_sure").exists()
    assert waiting() == []


@pytest.mark.parametrize(
    "data",
    [
        b"type,name,label\nnote,intro,Hello\n",
        # An old Excel 97 (.xls) file starts like this.
        bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512,
    ],
    ids=["csv", "xls"],
)
def test_a_file_that_is_not_a_workbook_is_refused(as_coordinator, data):
    response = check(as_coordinator, data, name="design.xlsx")
    assert response.status_code == 200
    assert response.context["problems"] == [
        "the file: this is not an Excel workbook (.xlsx); save it from Excel as .xlsx"
    ]
    assert waiting() == []


def test_a_file_too_large_is_refused_unread(as_coordinator):
    response = check(as_coordinator, b"x" * (MAX_BYTES + 1), name="huge.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file is 5.0 MB and a workbook takes at most 5 MB."
    ]
    assert b"The file is 5.0 MB and a workbook takes at most 5 MB." in response.content
    assert waiting() == []


def test_no_file_is_asked_for(as_coordinator):
    response = as_coordinator.post(URL, {})
    assert response.status_code == 200
    assert b"Choose the file to check." in response.content


def test_only_who_checked_the_workbook_may_import_it(as_coordinator, client):
    check(as_coordinator)
    token = as_coordinator.session[KEY]
    client.force_login(CoordinatorFactory())
    session = client.session
    session[KEY] = token
    session.save()
    response = client.post(URL, {"confirm": "yes"}, follow=True)
    assert "Please choose the file again" in messages_of(response)[0]
    assert not Evaluation.objects.filter(code=CRISIS).exists()


def test_the_preview_adds_only_its_own_queries_to_the_dry_run(
    as_coordinator, coordinator, django_assert_num_queries
):
    # The check is the import's dry run, which makes every write of a real import and undoes
    # it: for this workbook 179 queries, by its rows (the evaluation, 4 lists, 15 answers, 2
    # sections, 9 questions and 3 terms each saved with its history row, their foreign keys
    # checked by full_clean; the consent form and its 3 statements; the codebook's 2 themes
    # and 4 sub-themes; the summary's counts, the savepoint and its rollback).
    design = read_workbook(EXAMPLE.read_bytes())
    with CaptureQueriesContext(connection) as dry_run:
        evaluation_import(design, dry_run=True, user=coordinator)
    assert len(dry_run) == 179
    # The page adds: 1 the session, 2 the user, 3 the roles and permissions (one query, the
    # RoleBackend), then 4-6 the session saved with the file's token, in a savepoint. Reading
    # the workbook and the preview take none.
    with django_assert_num_queries(len(dry_run) + 6):
        assert check(as_coordinator).status_code == 200


# --- who may open it, by every method --------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_analysts_are_refused(client, analyst, method):
    client.force_login(analyst)
    expected = 405 if method in ("put", "delete") else 403
    assert getattr(client, method)(URL).status_code == expected


@pytest.mark.parametrize("method", METHODS)
def test_interviewers_never_reach_the_page(client, interviewer, method):
    client.force_login(interviewer)
    response = getattr(client, method)(URL)
    if method in ("put", "delete"):
        # The admin refuses these methods on every page, before looking at who asks.
        assert response.status_code == 405
    else:
        assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("method", METHODS)
def test_anonymous_visitors_are_sent_to_log_in(client, method):
    response = getattr(client, method)(URL)
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused_and_change_nothing(as_coordinator, method):
    check(as_coordinator)
    response = getattr(as_coordinator, method)(URL, {"confirm": "yes"})
    assert response.status_code == 405
    assert not Evaluation.objects.filter(code=CRISIS).exists()
    assert len(waiting()) == 1
