"""An evaluation's life after its design: publishing it (its codes freeze, its practice
interviews go), then analysing and closing it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interviews.models import Evaluation, InterviewSession
from interviews.services.withdrawal import session_delete_with_words
from ufm.history import history_by

Status = Evaluation.Status
# Where each status may go from here, besides publishing (design -> collecting). Collecting
# may start again after analysis began; a closed evaluation stays closed.
NEXT_STATUS = {
    Status.COLLECTING: (Status.ANALYSING,),
    Status.ANALYSING: (Status.COLLECTING, Status.CLOSED),
}


@history_by("user")
@transaction.atomic
def evaluation_publish(*, evaluation: Evaluation, user=None) -> Evaluation:
    """Design -> collecting: interviews may be run on it, its codes are frozen, and its
    practice interviews are deleted."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != Status.DESIGN:
        raise ValidationError(
            f"{evaluation.code} is {evaluation.get_status_display().lower()}, not being "
            "designed: it was published already."
        )
    practice_interviews_delete(evaluation)
    evaluation.status = Status.COLLECTING
    evaluation.published_at = timezone.now()
    evaluation.save(update_fields=["status", "published_at"])
    return evaluation


@history_by("user")
@transaction.atomic
def evaluation_status_change(*, evaluation: Evaluation, status: str, user=None) -> Evaluation:
    """Collecting -> analysing (no new interviews; drafts may still be finished and checked)
    -> closed; or back to collecting while it is analysed."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    allowed = NEXT_STATUS.get(evaluation.status, ())
    if status not in allowed:
        now = evaluation.get_status_display().lower()
        if evaluation.status == Status.DESIGN:
            raise ValidationError(f"{evaluation.code} is {now}: publish it first.")
        choices = " or ".join(Status(s).label.lower() for s in allowed) or "nothing else"
        raise ValidationError(f"{evaluation.code} is {now}: it can become {choices}.")
    evaluation.status = status
    evaluation.save(update_fields=["status"])
    return evaluation


def practice_interviews_delete(evaluation: Evaluation) -> int:
    """Delete the evaluation's practice interviews, their words and every copy of them in the
    history, as a withdrawal erases them; returns how many there were."""
    practice = list(
        InterviewSession.objects.select_for_update().filter(evaluation=evaluation, practice=True)
    )
    for session in practice:
        session_delete_with_words(
            session, reason="A practice interview, deleted when the evaluation was published"
        )
    return len(practice)
