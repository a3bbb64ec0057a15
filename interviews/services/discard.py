"""Discarding an interview started by mistake: only before consent, and then nothing is kept."""

from __future__ import annotations

from django.db import transaction

from interviews import permissions
from interviews.models import ConsentRecord, InterviewSession, Withdrawal
from interviews.services.refusals import NotAllowed, Refused
from interviews.services.sessions import clean_note
from interviews.services.withdrawal import session_delete_with_words
from ufm.history import history_by

CONSENT_RECORDED = (
    "Consent is recorded for this interview, so it cannot be discarded here. If it was "
    "started by mistake, ask a coordinator."
)
NOT_A_DRAFT = "Only an interview that is still in progress can be discarded."


class DiscardRefused(Refused):
    """The interview may not be discarded by the pair; ``message`` says why."""


def discard_problem(session: InterviewSession) -> str | None:
    """Why the pair may not discard ``session`` now, or None when they may: the one rule, for
    the page that offers it and the service that does it."""
    if session.status != InterviewSession.Status.DRAFT:
        return NOT_A_DRAFT
    # Before consent nothing of the participant is stored; after it the record is evidence
    # that consent was asked for, which the pair must not be able to remove.
    if ConsentRecord.objects.filter(session=session).exists():
        return CONSENT_RECORDED
    return None


@history_by("user")
@transaction.atomic
def session_discard(*, session: InterviewSession, user) -> str:
    """Delete a draft with no consent yet, with its events and access log; return its code.
    Who discarded it, and when, stays in the session's history (the deletion row)."""
    # The lock: the partner may be recording consent on the other tablet at this moment, and
    # consent_record locks the same row, so one of the two waits and then sees the other.
    locked = InterviewSession.objects.select_for_update().get(pk=session.pk)
    if user.pk not in (locked.interviewer_1_id, locked.interviewer_2_id):
        raise NotAllowed("Only the pair who started an interview can discard it.")
    problem = discard_problem(locked)
    if problem:
        raise DiscardRefused(problem)
    code = locked.participant_code
    locked.delete()
    return code


def discard_with_reason_require(session: InterviewSession, user) -> None:
    """Raise a Refused, saying why, unless ``user`` may discard the record with a reason now:
    a coordinator, and a draft (one that was submitted or verified is evidence of an interview
    that took place: its participant withdraws instead)."""
    if not user.has_perm(permissions.DISCARD_SESSION):
        raise NotAllowed("Only a coordinator can discard an interview once consent is recorded.")
    if session.status != InterviewSession.Status.DRAFT:
        raise DiscardRefused(
            "Only an interview that is still in progress can be discarded. For one that was "
            "submitted or verified, record the participant's withdrawal instead."
        )


@history_by("user")
@transaction.atomic
def session_discard_with_reason(*, session: InterviewSession, user, reason: str) -> str:
    """A coordinator discards a draft started by mistake, consent or not: its words and their
    copies in the history are erased as a withdrawal erases them, then the record is deleted.
    The reason stays in the record's history (its deletion row); returns the code."""
    reason = clean_note(reason, "why the interview is being discarded")
    # The consent gate's lock: a save in flight finishes first (and is erased below).
    locked = InterviewSession.objects.select_for_update().get(pk=session.pk)
    discard_with_reason_require(locked, user)
    if Withdrawal.objects.filter(session=locked).exists():
        raise DiscardRefused("The participant has withdrawn: there is nothing left to discard.")
    code = locked.participant_code
    session_delete_with_words(locked, reason=f"Discarded by a coordinator: {reason}")
    return code
