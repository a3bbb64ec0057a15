"""Writing checked interviews.csv rows (``sessions_import``): verified sessions with their
consent and contents, in batches of a fixed number of queries, each row validated by its model
(``full_clean``) and the whole batch let through by the consent gate, with the audit history
of every row.

Data entry writes one session at a time (interviews/services/sessions.py, consent.py); an
import of 10,000 interviews cannot afford their per-row queries, so it asks the same rules in
bulk: the participant code rule (``participant_code_problem``, in the check), completeness
(``missing_fields``, in the check), the consent gate (``consent_problems``, here, after the
consent is written and before any answer or quote is).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from interviews.models import (
    Answer,
    ConsentFormVersion,
    ConsentRecord,
    ConsentResponse,
    ConsentStatement,
    Evaluation,
    InterviewSession,
    Quote,
    SessionEvent,
    Site,
    Tick,
)
from interviews.schedules import Option, ScheduleQuestion
from interviews.services.consent_gate import consent_problems
from ufm.history import ChangeSource
from ufm.import_rows import ImportFailed, Problem

# Interviews written per batch: about 20 queries each (an INSERT per table and its history,
# the gate's four), so 10,000 interviews take about 200 queries rather than 200,000, and a
# batch's rows stay small in memory. SQLite splits each INSERT further, at 999 values.
BATCH = 1000

# A coded answer or tick to write: its question and the option it holds.
Chosen = tuple[ScheduleQuestion, Option]


@dataclass
class InterviewPlan:
    """One checked row of interviews.csv, ready to write."""

    line: int
    participant_code: str
    interview_date: datetime.date
    site: Site
    interviewer_1: object
    interviewer_2: object
    version: ConsentFormVersion
    consent_date: datetime.date
    consent_method: str
    consent_quotes: bool
    answers: list[Chosen]
    ticks: list[Chosen]
    # Each question's quotes, by the question's id.
    quotes: dict[int, list[str]]


def paper_form(
    plan: InterviewPlan, statements: dict[int, list[ConsentStatement]]
) -> list[tuple[ConsentStatement, bool]]:
    """What the row's paper form said: every required statement agreed, the quotes one as
    the file says. ``statements``: each form version's required and quotes statements."""
    return [(s, s.required or plan.consent_quotes) for s in statements[plan.version.pk]]


def _batches(plans: Sequence[InterviewPlan]) -> Iterator[list[InterviewPlan]]:
    rows = iter(plans)
    while batch := list(islice(rows, BATCH)):
        yield batch


def _validated(rows: list[tuple[int, models.Model]]) -> list[models.Model]:
    """The models of (file line, model) pairs, each checked by ``full_clean`` as data entry
    checks them (codes, lengths, required fields); ImportFailed names the line of any that
    fails. Left to the database, because each would cost a query per row: the foreign keys
    (every one an object the import's look-ups read or this write just saved), uniqueness and
    the constraints, all enforced by the INSERT itself."""
    for line, row in rows:
        relations = [f.name for f in row._meta.concrete_fields if f.is_relation]
        try:
            row.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise ImportFailed(
                [
                    Problem(line, column, message, "")
                    for column, messages in error.message_dict.items()
                    for message in messages
                ]
            ) from error
    return [row for _, row in rows]


def sessions_import(
    *,
    plans: Sequence[InterviewPlan],
    statements: dict[int, list[ConsentStatement]],
    evaluation: Evaluation,
    file_name: str,
    user,
) -> None:
    """Write every planned interview of ``evaluation``, verified, with its consent, answers,
    ticks and quotes, all in one transaction. ``statements``: each form
    version's statements that a paper form answers (the required ones and the quotes one).
    Raises ImportFailed, and nothing is written, when a row fails its model's validation, the
    consent gate refuses one, or another import or new interview took one of the codes."""
    try:
        with transaction.atomic():
            _write(
                plans,
                statements=statements,
                evaluation=evaluation,
                file_name=file_name,
                user=user,
            )
    except IntegrityError as error:
        raise ImportFailed([_refused(plans)]) from error


def _refused(plans: Sequence[InterviewPlan]) -> Problem:
    """Why the database refused the write: most likely another import or a new interview took
    one of the codes since the check (asked again here, after the rollback)."""
    taken = set(InterviewSession.objects.order_by().values_list("participant_code", flat=True))
    if taken.intersection(p.participant_code for p in plans):
        message = (
            "another import or a new interview took one of the file's participant codes while "
            "it was being imported; check the file again"
        )
        return Problem(1, "participant_code", message, "")
    # The database's own checks (such as an answer's option being its question's) caught what
    # the check let through: say so rather than blame a code.
    message = (
        "the database refused a row that the check had let through, so nothing was "
        "imported; please report this file"
    )
    return Problem(1, "-", message, "")


def _write(
    plans: Sequence[InterviewPlan],
    *,
    statements: dict[int, list[ConsentStatement]],
    evaluation: Evaluation,
    file_name: str,
    user,
) -> None:
    now = timezone.now()
    for batch in _batches(plans):
        sessions = _create(
            InterviewSession,
            [
                (
                    plan.line,
                    InterviewSession(
                        evaluation=evaluation,
                        participant_code=plan.participant_code,
                        interview_date=plan.interview_date,
                        site=plan.site,
                        interviewer_1=plan.interviewer_1,
                        interviewer_2=plan.interviewer_2,
                        # Checked on paper before it came here.
                        status=InterviewSession.Status.VERIFIED,
                        # As data entry marks them: deleted when the evaluation is published.
                        practice=evaluation.interviews_are_practice,
                        verified_at=now,
                        source=InterviewSession.Source.IMPORT,
                        source_file=file_name[:255],
                    ),
                )
                for plan in batch
            ],
            user=user,
        )
        pairs = list(zip(batch, sessions, strict=True))
        # The audit trail's event; not a history model, so a plain bulk INSERT.
        SessionEvent.objects.bulk_create(
            _validated(
                [
                    (
                        plan.line,
                        SessionEvent(
                            session=session,
                            kind=SessionEvent.Kind.IMPORTED,
                            by=user,
                            note=f"Imported from {file_name}",
                        ),
                    )
                    for plan, session in pairs
                ]
            ),
            batch_size=BATCH,
        )
        records = _create(
            ConsentRecord,
            [
                (
                    plan.line,
                    ConsentRecord(
                        session=session,
                        form_version=plan.version,
                        consent_date=plan.consent_date,
                        method=plan.consent_method,
                        recorded_by=plan.interviewer_1,
                        witness=plan.interviewer_2,
                    ),
                )
                for plan, session in pairs
            ],
            user=user,
        )
        _create(
            ConsentResponse,
            [
                (plan.line, ConsentResponse(record=record, statement=statement, agreed=agreed))
                for plan, record in zip(batch, records, strict=True)
                for statement, agreed in paper_form(plan, statements)
            ],
            user=user,
        )
        # The consent gate, for the whole batch at once; quotes need the quotes statement.
        refused = consent_problems(
            [s.pk for s in sessions],
            for_quotes={s.pk for plan, s in pairs if any(plan.quotes.values())},
        )
        if refused:
            raise ImportFailed(
                [
                    Problem(plan.line, "consent_form_version", refused[session.pk], "")
                    for plan, session in pairs
                    if session.pk in refused
                ]
            )
        _write_contents(pairs, user=user)


def _create(model: type[models.Model], rows: list[tuple[int, models.Model]], *, user) -> list:
    """Validate and save (file line, row) pairs of one model, in batches, with history."""
    return bulk_create_with_history(
        _validated(rows),
        model,
        batch_size=BATCH,
        default_user=user,
        default_change_reason=ChangeSource.IMPORT,
    )


def _write_contents(pairs: list[tuple[InterviewPlan, InterviewSession]], *, user) -> None:
    """What the participant said: only after the gate has let the batch through."""
    _create(Answer, _coded(Answer, [(p, s, p.answers) for p, s in pairs]), user=user)
    _create(Tick, _coded(Tick, [(p, s, p.ticks) for p, s in pairs]), user=user)
    _create(
        Quote,
        [
            (plan.line, Quote(session=session, question_id=question, position=position, text=text))
            for plan, session in pairs
            for question, texts in plan.quotes.items()
            for position, text in enumerate(texts)
        ],
        user=user,
    )


def _coded(model: type[Answer | Tick], rows) -> list[tuple[int, Answer | Tick]]:
    """(file line, answer or tick) of each (plan, session, chosen options); each row holds its
    question's list too, which the database's composite keys compare."""
    return [
        (
            plan.line,
            model(
                session=session,
                question_id=question.id,
                choice_list_id=question.choice_list_id,
                option_id=option.id,
            ),
        )
        for plan, session, chosen in rows
        for question, option in chosen
    ]
