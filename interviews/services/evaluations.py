"""Storing an evaluation's design from its workbook, and publishing it (which freezes its codes)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction

from interviews.evaluation_design import codebook_rows, consent_rows
from interviews.models import (
    Answer,
    AnswerOption,
    CalculationTerm,
    ChoiceList,
    ConsentFormVersion,
    ConsentStatement,
    Evaluation,
    Question,
    Quote,
    Section,
    Tick,
)
from interviews.services.consent_versions import (
    consent_statements_problem,
    consent_version_in_use,
    consent_version_make_current,
)
from interviews.signals import evaluation_stored
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
                problems = code_change_problems(existing, design) + consent_change_problems(
                    existing, design
                )
                if problems:
                    raise WorkbookInvalid(problems)
            evaluation = _store(existing or Evaluation(), design)
            _store_consent(evaluation, design)
            evaluation_stored.send(sender=Evaluation, evaluation=evaluation, design=design)
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
    """Whether the evaluation's codes may no longer change or disappear: once it is published.
    While it is being designed its interviews are practice ones, and a new workbook may drop
    what they used (``_practice_answers_drop``)."""
    return evaluation.status != Evaluation.Status.DESIGN


def consent_change_problems(
    evaluation: Evaluation, design: EvaluationDesign
) -> list[WorkbookProblem]:
    """The consent sheet may not change a form version consents were recorded on: the records
    must keep meaning what participants heard. A new ``ufm_consent_version`` makes a new one."""
    version = ConsentFormVersion.objects.filter(
        evaluation=evaluation, label=design.settings.consent_version
    ).first()
    if version is None or not consent_version_in_use(version):
        return []
    stored = list(
        version.statements.order_by("order", "pk").values_list("code", "text", "required")
    )
    if stored == [(c.code, c.statement, c.required) for c in design.consent]:
        return []
    return [
        WorkbookProblem(
            "settings",
            2,
            "ufm_consent_version",
            f"consents were recorded on form {version.label}, so its statements cannot change: "
            "give the changed form a new version",
        )
    ]


def _store_consent(evaluation: Evaluation, design: EvaluationDesign) -> None:
    """The consent sheet as the evaluation's form version named in the settings, offered for
    new consents. A version in use is left as it is (``consent_change_problems``)."""
    s = design.settings
    version = ConsentFormVersion.objects.filter(
        evaluation=evaluation, label=s.consent_version
    ).first()
    if version is not None and consent_version_in_use(version):
        return
    version = version or ConsentFormVersion(evaluation=evaluation, label=s.consent_version)
    version.information_sheet_date = s.information_sheet_date
    version.withdrawal_window_days = s.withdrawal_days
    _save(version)
    version.statements.all().delete()
    for order, statement in enumerate(design.consent, start=1):
        _save(
            ConsentStatement(
                form_version=version,
                code=statement.code,
                text=statement.statement,
                required=statement.required,
                order=order,
            )
        )
    problem = consent_statements_problem(
        label=version.label, statements=[(c.code, c.required) for c in design.consent]
    )
    if problem:
        raise WorkbookInvalid([WorkbookProblem("consent", 0, "", problem)])
    if not version.is_current:
        consent_version_make_current(version=version)


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
    evaluation.design_revision = uuid.uuid4()
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
            _practice_answers_drop(option=dropped)
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
        _practice_answers_drop(question=dropped)
        dropped.delete()
    for code, section in sections.items():
        if code not in kept_sections:
            section.delete()
    names = {cl.name for cl in design.choice_lists}
    for name, stored in lists.items():
        if name not in names:
            stored.delete()
    return evaluation


def _practice_answers_drop(**used) -> None:
    """A design's new workbook drops a question or an answer: the practice interviews' answers,
    ticks and quotes holding it go with it (published codes never get here)."""
    for model in (Answer, Tick, *([Quote] if "question" in used else [])):
        for row in model.objects.filter(**used, session__practice=True):
            row.delete()


def _save(obj):
    # Uniqueness and the constraints are the database's to check (read_workbook has already
    # refused duplicate codes); checking them here would cost a query a row.
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()
    return obj
