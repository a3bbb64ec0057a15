"""Storing an evaluation's design from its workbook, and publishing it (which freezes its codes)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interviews.evaluation_design import codebook_rows, consent_rows
from interviews.models import (
    AnswerOption,
    CalculationTerm,
    ChoiceList,
    Evaluation,
    Question,
    Section,
)
from interviews.workbooks import EvaluationDesign, WorkbookInvalid, WorkbookProblem
from interviews.workbooks.writer import design_rows
from ufm.history import history_by


@dataclass(frozen=True)
class ImportResult:
    """What an import did, or on a dry run would have done; ``evaluation`` is None then.
    ``status`` is the evaluation's (Evaluation.Status), as it is or would be after it."""

    evaluation: Evaluation | None
    created: bool
    summary: str
    status: str


class _DryRun(Exception):
    """Raised inside the import's transaction to undo every write of a dry run."""


@history_by("user")
def evaluation_import(design: EvaluationDesign, *, dry_run: bool, user=None) -> ImportResult:
    """Create the evaluation of ``design``, or update the one with its code. Raises
    WorkbookInvalid, listing every problem at once, when the update would change or drop a code
    that is frozen (``frozen_codes``); nothing is saved then, nor ever on a dry run, which
    makes every write and check of a real import and then undoes them."""
    result: ImportResult | None = None
    try:
        with transaction.atomic():
            # Locked, so that an interview started meanwhile cannot use a code being dropped.
            existing = (
                Evaluation.objects.select_for_update().filter(code=design.settings.form_id).first()
            )
            if existing is not None:
                problems = code_change_problems(existing, design)
                if problems:
                    raise WorkbookInvalid(problems)
            evaluation = _store(existing or Evaluation(), design)
            created = existing is None
            summary = _summary(evaluation, created=created, dry_run=dry_run)
            if dry_run:
                result = ImportResult(None, created, summary, evaluation.status)
                raise _DryRun
            result = ImportResult(evaluation, created, summary, evaluation.status)
    except _DryRun:
        pass
    assert result is not None
    return result


def _summary(evaluation: Evaluation, *, created: bool, dry_run: bool) -> str:
    done = "would be" if dry_run else "was"
    what = "created" if created else "updated"
    questions = evaluation.questions.exclude(kind=Question.Kind.NOTE).count()
    return (
        f"The evaluation {evaluation.code} ({evaluation.title}) {done} {what}: "
        f"{evaluation.sections.count()} section(s), {questions} question(s), "
        f"{evaluation.choice_lists.count()} answer list(s); "
        f"status: {evaluation.get_status_display().lower()}."
    )


def frozen_codes(evaluation: Evaluation) -> bool:
    """Whether the evaluation's codes may no longer change or disappear: once it is published,
    or once any interview belongs to it. Until answers reference their options, any interview
    counts as using every code."""
    return evaluation.status != Evaluation.Status.DESIGN or evaluation.sessions.exists()


def code_change_problems(evaluation: Evaluation, design: EvaluationDesign) -> list[WorkbookProblem]:
    """Every frozen code the design would change or drop, by sheet, row and column."""
    if not frozen_codes(evaluation):
        return []
    reason = (
        "interviews use it"
        if evaluation.status == Evaluation.Status.DESIGN
        else "the evaluation is published"
    )
    rows = _row_numbers(design)
    new_questions = {q.code: q for q in design.questions()}
    new_lists = {cl.name: {c.code for c in cl.choices} for cl in design.choice_lists}
    problems = []
    for q in evaluation.questions.select_related("choice_list"):
        new = new_questions.get(q.code)
        if new is None:
            problems.append(
                WorkbookProblem(
                    "survey", 0, "", f"the question '{q.code}' is gone, but {reason}: put it back"
                )
            )
        elif (str(new.kind), new.choice_list) != (
            q.kind,
            q.choice_list.name if q.choice_list else "",
        ):
            was = f"{q.kind} {q.choice_list.name}" if q.choice_list else q.kind
            problems.append(
                WorkbookProblem(
                    "survey",
                    rows[("survey", q.code)],
                    "type",
                    f"'{q.code}' was {was}, and cannot change: {reason}",
                )
            )
    for option in AnswerOption.objects.filter(choice_list__evaluation=evaluation).select_related(
        "choice_list"
    ):
        name = option.choice_list.name
        if name not in new_lists:
            problem = WorkbookProblem(
                "choices", 0, "", f"the list '{name}' is gone, but {reason}: put it back"
            )
            if problem not in problems:
                problems.append(problem)
        elif option.code not in new_lists[name]:
            problems.append(
                WorkbookProblem(
                    "choices",
                    rows[("choices", name)],
                    "name",
                    f"the answer '{option.code}' of list '{name}' is gone, but {reason}: "
                    "put it back",
                )
            )
    return problems


def _row_numbers(design: EvaluationDesign) -> dict[tuple[str, str], int]:
    """Where each question (its survey row) and each list (its first choices row) is in the
    workbook as written from the design: the header is row 1."""
    sheets = design_rows(design)
    rows = {
        ("survey", row["name"]): number
        for number, row in enumerate(sheets["survey"], start=2)
        if row.get("name")
    }
    for number, row in enumerate(sheets["choices"], start=2):
        rows.setdefault(("choices", row["list_name"]), number)
    return rows


def _store(evaluation: Evaluation, design: EvaluationDesign) -> Evaluation:
    """Write the design over the evaluation's: rows of codes it keeps are updated in place
    (answers will reference them), new ones created, dropped ones deleted."""
    s = design.settings
    evaluation.code = s.form_id
    evaluation.title = s.title
    evaluation.version = s.version
    evaluation.participant_code = s.participant_code
    evaluation.withdrawal_days = s.withdrawal_days
    evaluation.consent_version = s.consent_version
    evaluation.information_sheet_date = s.information_sheet_date
    evaluation.consent = consent_rows(design)
    evaluation.codebook = codebook_rows(design)
    _save(evaluation)

    lists = {cl.name: cl for cl in evaluation.choice_lists.all()}
    for position, new in enumerate(design.choice_lists):
        stored = lists.get(new.name) or ChoiceList(evaluation=evaluation, name=new.name)
        stored.position = position
        lists[new.name] = _save(stored)
        options = {o.code: o for o in stored.options.all()}
        for place, choice in enumerate(new.choices):
            option = options.pop(choice.code, None) or AnswerOption(
                choice_list=stored, code=choice.code
            )
            option.label, option.position, option.score = choice.label, place, choice.score
            _save(option)
        for dropped in options.values():
            dropped.delete()

    sections = {section.code: section for section in evaluation.sections.all()}
    kept_sections = set()
    for place, new in enumerate(design.sections):
        section = sections.get(new.code) or Section(evaluation=evaluation, code=new.code)
        section.title, section.part, section.position = new.label, str(new.part), place
        sections[new.code] = _save(section)
        kept_sections.add(new.code)

    CalculationTerm.objects.filter(calculation__evaluation=evaluation).delete()
    questions = {q.code: q for q in evaluation.questions.all()}
    kept = {}
    position = 0
    for new_section in design.sections:
        for new in new_section.questions:
            question = questions.pop(new.code, None) or Question(
                evaluation=evaluation, code=new.code
            )
            question.section = sections[new_section.code]
            question.label, question.hint, question.kind = new.label, new.hint, str(new.kind)
            question.required, question.takes_quotes = new.required, new.quotes
            question.choice_list = lists[new.choice_list] if new.choice_list else None
            question.position = position
            position += 1
            kept[new.code] = _save(question)
            for term_place, term in enumerate(new.terms):
                _save(CalculationTerm(calculation=question, term=kept[term], position=term_place))
    for dropped in questions.values():
        dropped.delete()
    for code, section in sections.items():
        if code not in kept_sections:
            section.delete()
    names = {cl.name for cl in design.choice_lists}
    for name, stored in lists.items():
        if name not in names:
            stored.delete()
    return evaluation


def _save(obj):
    # Uniqueness and the constraints are the database's to check (read_workbook has already
    # refused duplicate codes); checking them here would cost a query a row.
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()
    return obj


@history_by("user")
@transaction.atomic
def evaluation_publish(*, evaluation: Evaluation, user=None) -> Evaluation:
    """Design -> collecting: interviews may be run on it, and its codes are frozen."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != Evaluation.Status.DESIGN:
        raise ValidationError(
            f"{evaluation.code} is {evaluation.get_status_display().lower()}, not being "
            "designed: it was published already."
        )
    # Entry, exports and counts still run one evaluation (Evaluation.objects.current()).
    collecting = Evaluation.objects.filter(status=Evaluation.Status.COLLECTING).first()
    if collecting is not None:
        raise ValidationError(
            f"{collecting.code} is collecting interviews: one evaluation collects at a time "
            "until the interview pages follow the evaluation."
        )
    evaluation.status = Evaluation.Status.COLLECTING
    evaluation.published_at = timezone.now()
    return _save(evaluation)
