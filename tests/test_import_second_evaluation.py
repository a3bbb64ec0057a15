"""interviews.csv of an evaluation other than loneliness-2018 (the crisis-care example): its own
columns and codes, its messages, refusing another evaluation's file, --evaluation, and the
withdrawal of one of its participants."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from interviews.exchange import interview_columns
from interviews.interview_import import interviews_import
from interviews.models import Answer, Evaluation, InterviewSession, Question, Quote, Tick
from interviews.schedules import schedule_of
from interviews.selectors import session_values
from interviews.services.evaluation_status import evaluation_publish, evaluation_status_change
from interviews.services.evaluations import evaluation_import
from interviews.services.withdrawal import withdrawal_preview
from interviews.workbooks import read_workbook
from tests.factories import InterviewerFactory
from tests.test_import_limits import ROW as LONELINESS_ROW
from tests.test_import_limits import loneliness
from tests.workbook_examples import CRISIS_CARE, workbook_bytes
from ufm.import_rows import ImportFailed

pytestmark = pytest.mark.django_db

ROW = {
    "participant_code": "CC-001",
    "interview_date": "2026-10-05",
    "site": "pall_mall",
    "interviewer_1": "interviewer_a",
    "interviewer_2": "interviewer_b",
    "consent_form_version": "v1.0",
    "consent_date": "2026-10-05",
    "consent_method": "verbal",
    "consent_quotes": "yes",
    "seen_quickly": "partly",
    "seen_quickly_quotes": "They rang back the same night.\nI waited two hours at A&E.",
    "listened_to": "agree",
    "listened_to_quotes": "",
    "felt_safe": "not_sure",
    "contacted": "crisis_line;a_and_e",
    "helped_most_quotes": "The nurse who sat with me.",
    "age_band": "35-54",
    "first_contact": "no",
}
# The crisis-care questions' columns, in its survey order.
CRISIS_COLUMNS = list(ROW)


@pytest.fixture
def crisis(db) -> Evaluation:
    InterviewerFactory(username="interviewer_a")
    InterviewerFactory(username="interviewer_b")
    evaluation = evaluation_import(
        read_workbook(workbook_bytes(CRISIS_CARE)), dry_run=False
    ).evaluation
    schedule_of(evaluation)
    return evaluation


def as_csv(records: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def problems_of(text: str, evaluation: Evaluation) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        interviews_import(text=text, file_name="bad.csv", evaluation=evaluation)
    assert not InterviewSession.objects.exists()
    return [str(p) for p in failed.value.problems]


def test_its_columns_are_its_questions_in_survey_order(crisis):
    assert list(interview_columns(schedule_of(crisis))) == CRISIS_COLUMNS


def test_a_file_of_it_imports_its_answers_ticks_and_quotes(crisis):
    result = interviews_import(text=as_csv([ROW]), file_name="cc.csv", evaluation=crisis)
    assert result.codes == ["CC-001"]
    session = InterviewSession.objects.get()
    assert (session.evaluation, session.status, session.source) == (crisis, "verified", "import")
    # Read back field by field: the import's side of the round trip.
    assert session_values(session) == {
        "answer:seen_quickly": "partly",
        "quotes:seen_quickly": ["They rang back the same night.", "I waited two hours at A&E."],
        "answer:listened_to": "agree",
        "quotes:listened_to": [],
        "answer:felt_safe": "not_sure",
        "ticks:contacted": ["a_and_e", "crisis_line"],
        "quotes:helped_most": ["The nurse who sat with me."],
        "demo:age_band": "35-54",
        "demo:first_contact": "no",
    }
    # Every row points at the crisis-care design, and has its history.
    for model, count in ((Answer, 5), (Tick, 2), (Quote, 3)):
        rows = model.objects.filter(session=session)
        assert rows.count() == count
        assert {row.question.evaluation_id for row in rows} == {crisis.pk}
        assert model.history.filter(session_id=session.pk).count() == count


def test_a_question_left_blank_that_is_not_required_is_no_answer(crisis):
    row = {**ROW, "contacted": "", "helped_most_quotes": ""}
    interviews_import(text=as_csv([row]), file_name="cc.csv", evaluation=crisis)
    assert not Tick.objects.exists()
    assert not Quote.objects.filter(question__code="helped_most").exists()


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        (
            "seen_quickly",
            "often",
            "line 2, column seen_quickly: unknown answer; use one of: agree, partly, disagree, "
            "not_sure (got 'often')",
        ),
        (
            "felt_safe",
            "",
            "line 2, column felt_safe: unknown answer; use one of: agree, partly, disagree, "
            "not_sure (got '')",
        ),
        (
            "contacted",
            "crisis_line;taxi",
            "line 2, column contacted: unknown code 'taxi'; use one or more of crisis_line, "
            "home_treatment, a_and_e, police, other, joined by ';' (got 'crisis_line;taxi')",
        ),
        (
            "contacted",
            "police;police",
            "line 2, column contacted: a code is ticked twice (got 'police;police')",
        ),
        (
            "age_band",
            "45-54",
            "line 2, column age_band: unknown answer; use one of: 18-34, 35-54, 55+ (got '45-54')",
        ),
    ],
)
def test_its_problems_name_its_own_codes(crisis, column, value, problem):
    assert problems_of(as_csv([{**ROW, column: value}]), crisis) == [problem]


def test_a_required_tick_all_needs_a_tick_and_a_required_open_question_words(crisis):
    Question.objects.filter(evaluation=crisis, code__in=["contacted", "helped_most"]).update(
        required=True
    )
    # A design changed by its rows is read afresh (interviews.schedules).
    crisis.design_revision = uuid.uuid4()
    crisis.save()
    row = {**ROW, "contacted": "", "helped_most_quotes": ""}
    assert problems_of(as_csv([row]), crisis) == [
        "line 2, column contacted: tick at least one; use one or more of crisis_line, "
        "home_treatment, a_and_e, police, other, joined by ';' (got '')",
        "line 2, column helped_most_quotes: a quote is required: write the participant's "
        "words (got '')",
    ]


def test_a_file_of_another_evaluation_is_refused_with_the_reason(crisis):
    problems = problems_of(as_csv([LONELINESS_ROW]), crisis)
    assert problems[:2] == [
        "line 1, column seen_quickly: this column is missing from the header (got '')",
        "line 1, column seen_quickly_quotes: this column is missing from the header (got '')",
    ]
    assert problems[-1] == (
        "line 1, column -: 8 of the 9 columns of evaluation crisis-care-2026's questions are "
        "missing from the header: is this the interviews.csv of another evaluation? (got '')"
    )
    assert len(problems) == 9  # age_band is a question of both
    # And the other way round.
    problems = problems_of(as_csv([ROW]), loneliness())
    assert problems[0] == (
        "line 1, column companionship: this column is missing from the header (got '')"
    )
    assert problems[-1] == (
        "line 1, column -: 22 of the 23 columns of evaluation loneliness-2018's questions are "
        "missing from the header: is this the interviews.csv of another evaluation? (got '')"
    )


def test_a_file_missing_one_column_is_not_called_another_evaluations(crisis):
    row = {column: cell for column, cell in ROW.items() if column != "age_band"}
    assert problems_of(as_csv([row]), crisis) == [
        "line 1, column age_band: this column is missing from the header (got '')"
    ]


def test_it_takes_the_same_queries_for_1_or_6_rows(crisis, django_assert_num_queries):
    rows = [{**ROW, "participant_code": f"CC-{n:03d}"} for n in range(6)]
    for records in (rows[:1], rows):
        with django_assert_num_queries(5):  # the import's look-ups (test_import_limits.py)
            interviews_import(
                text=as_csv(records), file_name="cc.csv", evaluation=crisis, dry_run=True
            )


def test_the_command_takes_the_evaluation(crisis, tmp_path):
    path = tmp_path / "cc.csv"
    path.write_text(as_csv([ROW]), encoding="utf-8")
    # Two evaluations now: the command must be told which.
    with pytest.raises(CommandError, match=r"say which evaluation \(there are: crisis-care-2026"):
        call_command("import_interviews", str(path))
    with pytest.raises(CommandError, match=r"no evaluation 'crisis' \(there are: crisis-care"):
        call_command("import_interviews", str(path), "--evaluation", "crisis")
    with pytest.raises(CommandError, match="line 1, column companionship: this column is miss"):
        call_command("import_interviews", str(path), "--evaluation", "loneliness-2018")
    assert not InterviewSession.objects.exists()
    out = io.StringIO()
    call_command("import_interviews", str(path), "--evaluation", crisis.code, stdout=out)
    assert out.getvalue() == "Imported 1 interview(s).\n"
    assert InterviewSession.objects.get().evaluation == crisis


def test_withdrawing_one_of_its_participants_deletes_their_words_and_history(crisis):
    interviews_import(text=as_csv([ROW]), file_name="cc.csv", evaluation=crisis)
    session = InterviewSession.objects.get()
    preview = withdrawal_preview(session)
    assert (preview.answers, preview.ticks, preview.quotes, preview.history_rows) == (5, 2, 3, 10)
    today = timezone.localdate().isoformat()
    args = ("withdraw", "CC-001", "--date", today, "--how", "phoned", "--yes")
    with pytest.raises(CommandError, match="is not of evaluation loneliness-2018"):
        call_command(*args, "--evaluation", "loneliness-2018", stdout=io.StringIO())
    assert Answer.objects.filter(session=session).count() == 5
    call_command(*args, "--evaluation", crisis.code, stdout=io.StringIO())
    for model in (Answer, Tick, Quote):
        assert not model.objects.filter(session=session).exists()
        assert not model.history.filter(session_id=session.pk).exists()
    assert InterviewSession.objects.get().participant_code == "CC-001"


def test_interviews_imported_while_it_is_designed_are_practice_ones(crisis):
    interviews_import(text=as_csv([ROW]), file_name="cc.csv", evaluation=crisis)
    assert InterviewSession.objects.get().practice is True
    # Publishing deletes them, as it deletes practice interviews entered on the pages.
    crisis = evaluation_publish(evaluation=crisis)
    assert not InterviewSession.objects.exists()
    interviews_import(text=as_csv([ROW]), file_name="cc.csv", evaluation=crisis)
    assert InterviewSession.objects.get().practice is False


def test_an_evaluation_that_no_longer_collects_takes_no_file(crisis):
    crisis = evaluation_publish(evaluation=crisis)
    crisis = evaluation_status_change(evaluation=crisis, status=Evaluation.Status.ANALYSING)
    assert problems_of(as_csv([ROW]), crisis) == [
        "line 1, column -: Crisis care: what helped when things were hardest is no longer "
        "collecting interviews. (got '')"
    ]


def test_its_participant_codes_follow_its_pattern(crisis):
    assert problems_of(as_csv([{**ROW, "participant_code": "LSI-001"}]), crisis) == [
        "line 2, column participant_code: Participant codes of Crisis care: what helped when "
        "things were hardest follow the pattern ^CC-[0-9]{3}$. Check the code on the consent "
        "form, or ask your coordinator for the next free code. (got 'LSI-001')"
    ]


def test_its_consent_forms_are_its_own(crisis):
    assert problems_of(as_csv([{**ROW, "consent_form_version": "v1"}]), crisis) == [
        "line 2, column consent_form_version: no consent form version of crisis-care-2026 has "
        "this label; known: v1.0 (got 'v1')"
    ]


def test_the_page_imports_into_the_one_collecting_evaluation_only(crisis):
    # The page gives no evaluation: with two collecting, it cannot tell which.
    evaluation_publish(evaluation=crisis)
    with pytest.raises(ImportFailed) as failed:
        interviews_import(text=as_csv([ROW]), file_name="cc.csv")
    assert [p.message for p in failed.value.problems] == [
        "more than one evaluation is collecting interviews: import the file with "
        "manage.py import_interviews --evaluation CODE"
    ]
    evaluation_status_change(evaluation=loneliness(), status=Evaluation.Status.ANALYSING)
    interviews_import(text=as_csv([ROW]), file_name="cc.csv")
    assert InterviewSession.objects.get().evaluation == crisis


def test_round_trip_export_import_export_gives_the_same_file(crisis):
    # Needs the exports of any evaluation (themes.exports, the exports' work on this issue).
    from themes.export_filters import ExportFilters
    from themes.exports import export_stream

    def export() -> str:
        filters = ExportFilters(evaluation=crisis, include_unverified=True)
        pieces = export_stream(
            kind="interviews", filters=filters, excel=False, user=None, channel="command"
        )
        return b"".join(pieces).decode("utf-8")

    crisis = evaluation_publish(evaluation=crisis)
    second = {**ROW, "participant_code": "CC-002", "contacted": "", "consent_quotes": "no"}
    second |= {"seen_quickly_quotes": "", "helped_most_quotes": "", "first_contact": "yes"}
    interviews_import(text=as_csv([ROW, second]), file_name="cc.csv", evaluation=crisis)
    first = export()
    rows = list(csv.DictReader(io.StringIO(first, newline="")))
    assert [{c: r[c] for c in CRISIS_COLUMNS} for r in rows] == [ROW, second]
    InterviewSession.objects.all().delete()
    interviews_import(text=first, file_name="interviews.csv", evaluation=crisis)
    assert export() == first


def test_the_page_imports_into_the_evaluation_chosen_while_two_collect(client, analyst, crisis):
    evaluation_publish(evaluation=crisis)
    client.force_login(analyst)
    url = reverse("admin:interviews_interviewsession_import")
    page = client.get(url).content.decode()
    # Collecting ones first, by title: crisis care, with the loneliness study offered instead.
    assert "The interviews of <strong>Crisis care" in page
    assert "?evaluation=loneliness-2018" in page

    def upload():
        file = io.BytesIO(as_csv([ROW]).encode())
        file.name = "cc.csv"
        return file

    # Checked as the loneliness study's file, the crisis-care file is refused with the reason.
    response = client.post(f"{url}?evaluation=loneliness-2018", {"file": upload()})
    assert "is this the interviews.csv of another evaluation?" in response.content.decode()
    response = client.post(f"{url}?evaluation=crisis-care-2026", {"file": upload()})
    assert "The file is fine" in response.content.decode()
    response = client.post(f"{url}?evaluation=crisis-care-2026", {"confirm": "yes"})
    assert response.status_code == 302
    session = InterviewSession.objects.get()
    assert (session.evaluation, session.practice) == (crisis, False)
