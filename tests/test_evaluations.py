"""Evaluations stored from their workbooks: the seeded loneliness study, imports, publishing."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from interviews.evaluation_design import design_from_db
from interviews.models import (
    Answer,
    AnswerOption,
    ConsentFormVersion,
    Evaluation,
    Question,
    Quote,
    Section,
)
from interviews.services.evaluation_status import evaluation_publish, evaluation_status_change
from interviews.services.evaluations import evaluation_import
from interviews.services.sessions import session_start
from interviews.workbooks import WorkbookInvalid, read_workbook
from tests.factories import (
    InterviewSessionFactory,
    ItemAnswerFactory,
    QuoteFactory,
    site,
)
from tests.workbook_examples import EXAMPLE, example_rows, workbook_bytes

pytestmark = pytest.mark.django_db

LONELINESS = Path(__file__).resolve().parent.parent / "evaluations" / "loneliness-2018.xlsx"


def loneliness() -> Evaluation:
    return Evaluation.objects.get(code="loneliness-2018")


def crisis_care(rows=None):
    return read_workbook(workbook_bytes(rows) if rows else EXAMPLE.read_bytes())


def design_tables() -> tuple:
    """Everything an import writes, to show that nothing was."""
    return (
        list(Evaluation.objects.values_list("code", "title", "status")),
        list(Section.objects.values_list("pk", "code", "title")),
        list(Question.objects.values_list("pk", "code", "label", "choice_list")),
        list(AnswerOption.objects.values_list("pk", "code", "label", "score")),
        Evaluation.history.count(),
        Question.history.count(),
    )


def test_the_seeded_design_is_the_shipped_workbook():
    assert design_from_db(loneliness()) == read_workbook(LONELINESS.read_bytes())


def test_the_seeded_evaluation_collects_and_is_the_current_one():
    assert loneliness().status == Evaluation.Status.COLLECTING
    assert Evaluation.objects.current() == loneliness()


def test_the_seeded_consent_sheet_is_consent_version_v1():
    stored = ConsentFormVersion.objects.get(label="v1").statements.order_by("order")
    assert loneliness().consent == [
        {"code": s.code, "statement": s.text, "required": s.required} for s in stored
    ]


def test_the_design_reads_in_seven_queries(django_assert_num_queries):
    evaluation = loneliness()
    # The evaluation's sections, their questions, the questions' terms, the terms' questions,
    # the questions' lists; the evaluation's lists and their options.
    with django_assert_num_queries(7):
        design_from_db(evaluation)


def test_new_interviews_belong_to_the_collecting_evaluation(interviewer, partner):
    session = session_start(
        participant_code="LSI-900",
        interview_date=timezone.localdate(),
        site=site(),
        interviewer=interviewer,
        partner=partner,
    )
    assert session.evaluation == loneliness()
    assert InterviewSessionFactory().evaluation == loneliness()


def test_an_interview_needs_an_evaluation():
    session = InterviewSessionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(session).objects.filter(pk=session.pk).update(evaluation=None)


def test_the_status_is_checked_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.filter(pk=loneliness().pk).update(status="paused")


def test_a_select_question_needs_its_list_in_the_database():
    question = Question.objects.get(evaluation=loneliness(), code="companionship")
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(choice_list=None)


def test_it_imports_the_crisis_care_example(coordinator):
    design = crisis_care()
    result = evaluation_import(design, dry_run=False, user=coordinator)
    assert result.created
    evaluation = result.evaluation
    assert (evaluation.code, evaluation.status) == ("crisis-care-2026", Evaluation.Status.DESIGN)
    assert design_from_db(evaluation) == design
    assert result.summary == (
        "The evaluation crisis-care-2026 (Crisis care: what helped when things were hardest) "
        "was created: 2 section(s), 8 question(s), 4 answer list(s); status: being designed."
    )
    # The audit trail: who, and when.
    assert evaluation.history.get().history_user == coordinator


def test_a_dry_run_writes_nothing():
    before = design_tables()
    result = evaluation_import(crisis_care(), dry_run=True)
    assert result.evaluation is None
    assert "would be created: 2 section(s), 8 question(s)" in result.summary
    assert design_tables() == before


def test_a_design_without_data_may_change_and_drop_codes():
    evaluation = evaluation_import(crisis_care(), dry_run=False).evaluation
    kept = Question.objects.get(evaluation=evaluation, code="seen_quickly").pk
    rows = example_rows()
    del rows["survey"][7]  # helped_most
    rows["survey"][3][2] = "I was seen quickly."
    rows["choices"][4][1] = "unsure"  # not_sure of agreement
    changed = crisis_care(rows)
    result = evaluation_import(changed, dry_run=False)
    assert not result.created
    assert design_from_db(Evaluation.objects.get(code="crisis-care-2026")) == changed
    # A code it keeps is the same row, updated: answers will reference it.
    assert Question.objects.get(pk=kept).label == "I was seen quickly."
    assert not Question.objects.filter(evaluation=evaluation, code="helped_most").exists()


def _changed_rows():
    rows = example_rows()
    rows["survey"][3][2] = "A new label, which must not be saved either."
    del rows["survey"][7]  # helped_most
    rows["survey"][6][0] = "select_one services"  # contacted was select_multiple
    rows["choices"][4][1] = "unsure"  # not_sure of agreement
    return rows


def test_it_refuses_to_change_or_drop_codes_once_published_and_saves_nothing():
    evaluation = evaluation_import(crisis_care(), dry_run=False).evaluation
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.ANALYSING)
    before = design_tables()
    with pytest.raises(WorkbookInvalid) as refused:
        evaluation_import(crisis_care(_changed_rows()), dry_run=False)
    assert refused.value.lines() == [
        "survey row 7, column type: 'contacted' was select_multiple services, and cannot "
        "change: the evaluation is published",
        "sheet survey: the question 'helped_most' is gone, but the evaluation is published: "
        "put it back",
        "choices row 2, column name: the answer 'not_sure' of list 'agreement' is gone, but "
        "the evaluation is published: put it back",
    ]
    assert design_tables() == before


def test_a_new_design_drops_what_practice_interviews_used_with_their_answers():
    evaluation = evaluation_import(crisis_care(), dry_run=False).evaluation
    practice = InterviewSessionFactory(evaluation=evaluation, practice=True)
    ItemAnswerFactory(session=practice, item="seen_quickly", answer="not_sure")
    QuoteFactory(session=practice, item="helped_most")
    kept = ItemAnswerFactory(session=practice, item="listened_to", answer="agree")
    result = evaluation_import(crisis_care(_changed_rows()), dry_run=False)
    assert not result.created
    assert not Quote.objects.filter(session=practice).exists()
    assert list(Answer.objects.filter(session=practice)) == [kept]


def test_a_published_evaluation_keeps_its_codes():
    rows = example_rows()
    rows["settings"][1][0] = "loneliness-2018"
    with pytest.raises(WorkbookInvalid) as refused:
        evaluation_import(crisis_care(rows), dry_run=False)
    lines = refused.value.lines()
    assert (
        "sheet survey: the question 'companionship' is gone, but the evaluation is published: "
        "put it back"
    ) in lines
    assert (
        "sheet choices: the list 'frequency' is gone, but the evaluation is published: put it back"
    ) in lines
    assert design_from_db(loneliness()) == read_workbook(LONELINESS.read_bytes())


def test_the_loneliness_workbook_imports_again_unchanged():
    before = design_tables()[1:4]
    result = evaluation_import(read_workbook(LONELINESS.read_bytes()), dry_run=False)
    assert not result.created
    assert design_tables()[1:4] == before


def test_publishing_starts_collecting_beside_another_evaluation(coordinator):
    evaluation = evaluation_import(crisis_care(), dry_run=False).evaluation
    evaluation_publish(evaluation=evaluation, user=coordinator)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.COLLECTING
    assert evaluation.published_at is not None
    assert evaluation.history.first().history_user == coordinator
    assert loneliness().status == Evaluation.Status.COLLECTING
    with pytest.raises(ValidationError, match="it was published already"):
        evaluation_publish(evaluation=evaluation, user=coordinator)


@pytest.mark.parametrize(
    ("start", "to", "message"),
    [
        ("design", "analysing", "crisis-care-2026 is being designed: publish it first."),
        (
            "collecting",
            "closed",
            "crisis-care-2026 is collecting interviews: it can become being analysed.",
        ),
        ("closed", "collecting", "crisis-care-2026 is closed: it can become nothing else."),
    ],
)
def test_an_evaluation_moves_on_only_as_its_life_allows(coordinator, start, to, message):
    evaluation = evaluation_import(crisis_care(), dry_run=False).evaluation
    Evaluation.objects.filter(pk=evaluation.pk).update(status=start)
    with pytest.raises(ValidationError) as refused:
        evaluation_status_change(evaluation=evaluation, status=to, user=coordinator)
    assert refused.value.messages == [message]
    evaluation.refresh_from_db()
    assert evaluation.status == start


def test_an_evaluation_is_analysed_then_closed(coordinator):
    evaluation = evaluation_import(crisis_care(), dry_run=False).evaluation
    evaluation_publish(evaluation=evaluation, user=coordinator)
    for status in ("analysing", "collecting", "analysing", "closed"):
        evaluation_status_change(evaluation=evaluation, status=status, user=coordinator)
        evaluation.refresh_from_db()
        assert evaluation.status == status
    assert evaluation.history.first().history_user == coordinator


def test_publishing_freezes_the_codes():
    evaluation = evaluation_import(crisis_care(), dry_run=False).evaluation
    Evaluation.objects.filter(pk=loneliness().pk).update(status=Evaluation.Status.ANALYSING)
    evaluation_publish(evaluation=evaluation)
    rows = example_rows()
    rows["choices"][4][1] = "unsure"
    with pytest.raises(WorkbookInvalid, match="1 problem"):
        evaluation_import(crisis_care(rows), dry_run=False)
