"""Recording consent: one record per session, a yes or no for every statement."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from interviews.dates import future_date_problem
from interviews.models import (
    ConsentFormVersion,
    ConsentRecord,
    ConsentResponse,
    InterviewSession,
    Withdrawal,
)
from interviews.services.consent_gate import WITHDRAWN
from ufm.history import change_source, history_by


@history_by("recorded_by")
@transaction.atomic
def consent_record(
    *,
    session: InterviewSession,
    recorded_by,
    form_version: ConsentFormVersion,
    consent_date: datetime.date,
    method: str,
    answers: dict[str, bool],
    require_current: bool = True,
) -> ConsentRecord:
    """Record the participant's consent: one record per session, a yes or no for every
    statement of the version, the other interviewer of the pair as witness.

    ``require_current=False`` is for imports of paper forms signed on an older (even retired)
    version: exchange.md only asks that the version exists.
    """
    # Two interviewers pressing "Save" at once: the second waits here, then sees the first.
    session = InterviewSession.objects.select_for_update().get(pk=session.pk)
    if Withdrawal.objects.filter(session=session).exists():
        raise ValidationError(WITHDRAWN)
    if ConsentRecord.objects.filter(session=session).exists():
        raise ValidationError("Consent is already recorded for this interview.")
    if not session.is_interviewer(recorded_by):
        raise ValidationError("Only the two interviewers of this interview can record consent.")

    version = ConsentFormVersion.objects.get(pk=form_version.pk)
    if version.evaluation_id != session.evaluation_id:
        raise ValidationError(
            {
                "form_version": (
                    f"Consent form {version.label} is another evaluation's. Read the statements "
                    "of this evaluation's form to the participant."
                )
            }
        )
    if require_current and (not version.is_current or version.retired_at is not None):
        raise ValidationError(
            {
                "form_version": (
                    f"Consent form {version.label} is no longer the one in use. "
                    "Read the statements of the current form to the participant."
                )
            }
        )
    statements = {s.code: s for s in version.statements.all()}
    missing = [code for code in statements if code not in answers]
    unknown = sorted(set(answers) - set(statements))
    if missing or unknown:
        problems = []
        if missing:
            problems.append("no answer for: " + ", ".join(missing))
        if unknown:
            problems.append(f"not on form {version.label}: " + ", ".join(unknown))
        raise ValidationError({"answers": "Answer every statement (" + "; ".join(problems) + ")."})
    if any(not isinstance(value, bool) for value in answers.values()):
        raise ValidationError({"answers": "Each answer must be yes or no."})
    problem = future_date_problem(consent_date, "consent")
    if problem:
        raise ValidationError({"consent_date": problem})

    record = ConsentRecord(
        session=session,
        form_version=version,
        consent_date=consent_date,
        method=method,
        recorded_by=recorded_by,
        witness=session.partner_of(recorded_by),
    )
    record.full_clean()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:  # the one-to-one, should the lock above not hold (SQLite)
        raise ValidationError("Consent is already recorded for this interview.") from error
    # With history: the audit trail shows each yes and no as it was recorded, and by whom.
    bulk_create_with_history(
        [
            ConsentResponse(record=record, statement=statement, agreed=answers[code])
            for code, statement in statements.items()
        ],
        ConsentResponse,
        default_user=recorded_by,
        default_change_reason=change_source(),
    )
    return record
