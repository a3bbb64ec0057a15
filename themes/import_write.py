"""The write of an interviews.csv import whose every row passed its check: in batches, each a
fixed number of queries, through the consent gate, with the audit history of every row."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from interviews.models import (
    ConsentFormVersion,
    ConsentRecord,
    ConsentResponse,
    ConsentStatement,
    Demographics,
    InterviewSession,
    ItemAnswer,
    Quote,
    SessionEvent,
    Site,
    WeeklyContact,
)
from interviews.services.consent_gate import consent_problems

# Interviews written per batch: about 20 queries each (an INSERT per table and its history,
# the gate's four), so 10,000 interviews take about 200 queries rather than 200,000, and a
# batch's rows stay small in memory. SQLite splits each INSERT further, at 999 values.
BATCH = 1000


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
    answers: dict[str, str]
    quotes: dict[str, list[str]]
    demographics: dict[str, str]
    sees: list[str]


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


def interviews_write(
    plans: Sequence[InterviewPlan],
    *,
    statements: dict[int, list[ConsentStatement]],
    file_name: str,
    user,
) -> dict[int, str]:
    """Write every planned interview, verified, with its consent, answers, quotes,
    demographics and "sees" ticks. ``statements``: each form version's statements that a
    paper form answers (the required ones and the quotes one). Call it inside a transaction:
    it returns {line: why} for rows the consent gate refuses, and the caller then rolls back.
    """
    now = timezone.now()
    for batch in _batches(plans):
        sessions = bulk_create_with_history(
            [
                InterviewSession(
                    participant_code=plan.participant_code,
                    interview_date=plan.interview_date,
                    site=plan.site,
                    interviewer_1=plan.interviewer_1,
                    interviewer_2=plan.interviewer_2,
                    # Checked on paper before it came here.
                    status=InterviewSession.Status.VERIFIED,
                    verified_at=now,
                    source=InterviewSession.Source.IMPORT,
                    source_file=file_name[:255],
                )
                for plan in batch
            ],
            InterviewSession,
            batch_size=BATCH,
            default_user=user,
        )
        SessionEvent.objects.bulk_create(
            [
                SessionEvent(
                    session=session,
                    kind=SessionEvent.Kind.IMPORTED,
                    by=user,
                    note=f"Imported from {file_name}",
                )
                for session in sessions
            ],
            batch_size=BATCH,
        )
        records = bulk_create_with_history(
            [
                ConsentRecord(
                    session=session,
                    form_version=plan.version,
                    consent_date=plan.consent_date,
                    method=plan.consent_method,
                    recorded_by=plan.interviewer_1,
                    witness=plan.interviewer_2,
                )
                for plan, session in zip(batch, sessions, strict=True)
            ],
            ConsentRecord,
            batch_size=BATCH,
            default_user=user,
        )
        bulk_create_with_history(
            [
                ConsentResponse(record=record, statement=statement, agreed=agreed)
                for plan, record in zip(batch, records, strict=True)
                for statement, agreed in paper_form(plan, statements)
            ],
            ConsentResponse,
            batch_size=BATCH,
            default_user=user,
        )
        # The consent gate, for the whole batch at once; quotes need the quotes statement.
        refused = consent_problems(
            [s.pk for s in sessions],
            for_quotes={
                s.pk for plan, s in zip(batch, sessions, strict=True) if any(plan.quotes.values())
            },
        )
        if refused:
            return {
                plan.line: refused[session.pk]
                for plan, session in zip(batch, sessions, strict=True)
                if session.pk in refused
            }
        _write_contents(batch, sessions, user=user)
    return {}


def _write_contents(batch: list[InterviewPlan], sessions: list[InterviewSession], *, user) -> None:
    """What the participant said: only after the gate has let the batch through."""
    pairs = list(zip(batch, sessions, strict=True))
    bulk_create_with_history(
        [
            ItemAnswer(session=session, item=item, answer=answer)
            for plan, session in pairs
            for item, answer in plan.answers.items()
        ],
        ItemAnswer,
        batch_size=BATCH,
        default_user=user,
    )
    bulk_create_with_history(
        [
            Quote(session=session, item=item, position=position, text=text)
            for plan, session in pairs
            for item, texts in plan.quotes.items()
            for position, text in enumerate(texts)
        ],
        Quote,
        batch_size=BATCH,
        default_user=user,
    )
    bulk_create_with_history(
        [Demographics(session=session, **plan.demographics) for plan, session in pairs],
        Demographics,
        batch_size=BATCH,
        default_user=user,
    )
    bulk_create_with_history(
        [
            WeeklyContact(session=session, code=code)
            for plan, session in pairs
            for code in plan.sees
        ],
        WeeklyContact,
        batch_size=BATCH,
        default_user=user,
    )
