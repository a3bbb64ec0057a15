"""Withdrawal: what it will delete, whether it can be recorded, deleting the participant's data."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from interviews.models import (
    Answer,
    ConsentRecord,
    InterviewSession,
    Quote,
    SessionEvent,
    Tick,
    Withdrawal,
)
from ufm.history import history_by
from ufm.pending_imports import pending_imports_purge


@dataclass(frozen=True)
class ErasedElsewhere:
    """What another app holds of one participant's words: analysts' tags on their quotes (the
    preview's "tags") and the copies of those in the audit history; and the analysts' memos that
    repeat the words (kept, not deleted: the preview warns of them)."""

    tags: int
    history_rows: int
    memos_with_words: int = 0


@dataclass(frozen=True)
class Eraser:
    """How another app counts and erases its copies of a participant's words. That app (themes)
    analyses the words and imports interviews, never the reverse, so it registers this from its
    ``AppConfig.ready()`` instead of interviews reaching into its models."""

    count: Callable[[InterviewSession], ErasedElsewhere]
    # Called inside the withdrawal's transaction, before the quotes are deleted.
    erase: Callable[[InterviewSession], None]


_erasers: list[Eraser] = []


def register_eraser(
    *,
    count: Callable[[InterviewSession], ErasedElsewhere],
    erase: Callable[[InterviewSession], None],
) -> None:
    """Make every withdrawal preview count, and every withdrawal erase, another app's copies."""
    eraser = Eraser(count=count, erase=erase)
    # ready() may run more than once (tests that reload apps): one registration is enough.
    if eraser not in _erasers:
        _erasers.append(eraser)


@dataclass(frozen=True)
class WithdrawalPreview:
    """What a withdrawal will delete, for the coordinator to read before confirming."""

    session: InterviewSession
    answers: int
    ticks: int
    quotes: int
    tags: int
    history_rows: int
    memos_with_words: int
    window_days: int | None
    days_since_consent: int | None

    @property
    def outside_window(self) -> bool:
        """Later than the consent form's withdrawal window (the participant was told they
        could withdraw within it; honouring a later request is the coordinator's call)."""
        return (
            self.window_days is not None
            and self.days_since_consent is not None
            and self.days_since_consent > self.window_days
        )


def _history_of(session: InterviewSession) -> list:
    """Every audit-history queryset of this app that holds a copy of the participant's data
    (other apps' copies are their erasers')."""
    return [
        Answer.history.model.objects.filter(session_id=session.pk),
        Tick.history.model.objects.filter(session_id=session.pk),
        Quote.history.model.objects.filter(session_id=session.pk),
    ]


def withdrawal_preview(
    session: InterviewSession, *, withdrawal_date: datetime.date | None = None
) -> WithdrawalPreview:
    withdrawal_date = withdrawal_date or timezone.localdate()
    elsewhere = [eraser.count(session) for eraser in _erasers]
    consent = ConsentRecord.objects.filter(session=session).select_related("form_version").first()
    return WithdrawalPreview(
        session=session,
        answers=Answer.objects.filter(session=session).count(),
        ticks=Tick.objects.filter(session=session).count(),
        quotes=Quote.objects.filter(session=session).count(),
        tags=sum(found.tags for found in elsewhere),
        history_rows=sum(qs.count() for qs in _history_of(session))
        + sum(found.history_rows for found in elsewhere),
        memos_with_words=sum(found.memos_with_words for found in elsewhere),
        window_days=consent.form_version.withdrawal_window_days if consent else None,
        days_since_consent=(withdrawal_date - consent.consent_date).days if consent else None,
    )


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def withdrawal_check(*, session: InterviewSession, withdrawal_date: datetime.date) -> None:
    """Raise ValidationError when this withdrawal cannot be recorded; the page checks before
    showing what will be deleted, the service again before deleting."""
    existing = Withdrawal.objects.filter(session=session).first()
    if existing is not None:
        raise ValidationError(
            f"Participant {session.participant_code} has already withdrawn "
            f"(on {_day(existing.withdrawal_date)}). Nothing more to do."
        )
    if withdrawal_date > timezone.localdate():
        raise ValidationError(
            {"withdrawal_date": "The date of withdrawal cannot be in the future."}
        )
    if withdrawal_date < session.interview_date:
        raise ValidationError(
            {
                "withdrawal_date": (
                    "The date of withdrawal cannot be before the interview "
                    f"({_day(session.interview_date)})."
                )
            }
        )


@history_by("recorded_by")
@transaction.atomic
def participant_withdraw(
    *,
    session: InterviewSession,
    withdrawal_date: datetime.date,
    how_requested: str,
    recorded_by,
) -> Withdrawal:
    """Withdraw a participant: delete every coded answer (items and demographics alike), tick,
    quote and tag, and every copy of them in the audit history, in one transaction. What is
    left is the session (its code), the consent record and this Withdrawal.

    ``recorded_by`` is None only for the ``withdraw`` command run without ``--user``.
    """
    # The lock the consent gate takes: a write in flight finishes first, and is deleted below;
    # a write after this commits is refused by the gate.
    session = InterviewSession.objects.select_for_update().get(pk=session.pk)
    withdrawal_check(session=session, withdrawal_date=withdrawal_date)
    withdrawal = Withdrawal(
        session=session,
        withdrawal_date=withdrawal_date,
        how_requested=how_requested.strip(),
        recorded_by=recorded_by,
    )
    withdrawal.full_clean()
    withdrawal.save()
    participant_words_erase(session)
    return withdrawal


def participant_words_erase(session: InterviewSession) -> None:
    """Delete every coded answer, tick, quote and tag of the session and every
    copy of them in the audit history (withdrawal, and a coordinator's discard). Call it inside
    the transaction that holds the session's row lock."""
    # Tags and their history (the themes app's eraser): first, while the quotes they name are
    # still here.
    for eraser in _erasers:
        eraser.erase(session)
    # Files checked for an import and waiting for "Import" may hold the participant's words
    # (interviews.csv and quotes.csv do), and nothing says whose: remove them all, and again
    # once this commits, for a check that finished in between. Whoever was about to import
    # chooses the file again.
    pending_imports_purge(everything=True)
    transaction.on_commit(lambda: pending_imports_purge(everything=True))
    Quote.objects.filter(session=session).delete()
    Answer.objects.filter(session=session).delete()
    Tick.objects.filter(session=session).delete()
    # Notes the interviewers wrote about the record (a return note, an event's note) may
    # repeat the participant's words: they go too, with their copies in the history.
    InterviewSession.objects.filter(pk=session.pk).update(return_note="")
    InterviewSession.history.filter(id=session.pk).update(return_note="")
    SessionEvent.objects.filter(session=session).update(note="")
    # Last, because the deletions above have just written "deleted" history rows holding a
    # final copy of everything.
    for history in _history_of(session):
        history.delete()


def session_delete_with_words(session: InterviewSession, *, reason: str) -> None:
    """Delete a session that should never have been kept (a draft discarded, a practice
    interview), its words and every copy of them first; ``reason`` stays in the session's own
    history (its deletion row). Call it inside the transaction that holds the row lock."""
    participant_words_erase(session)
    session._change_reason = reason
    session.delete()
