"""Consent: the gate every write path asks, and the consent workflow's writes.

The contract for every other write path (data-entry pages, autosave, imports, any API):

- Before storing an answer, demographic or "sees" tick, call ``consent_require(session)``
  inside the same ``transaction.atomic()`` block as the write, or decorate the service with
  ``@requires_consent`` (which opens that block for you). Inside a transaction the gate locks the
  session row, so a withdrawal cannot slip in between the check and the write.
- Before storing a quote, call ``consent_require(session, for_quotes=True)``: it also refuses
  when the participant said no to being quoted.
- ``ConsentRequired.message`` is written for the person at the screen: show it as it is
  (the pages answer 409 with it, commands print it and exit non-zero).
- ``tests/consent_gate.py`` has ``assert_write_refused_without_consent(write)``: give it a
  function that writes for a session and it proves the gate refuses in every case.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
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
    WeeklyContact,
    Withdrawal,
)
from interviews.schedule import PARTICIPANT_CODE_HELP, PARTICIPANT_CODE_PATTERN
from themes.models import Tag
from themes.pending_imports import pending_imports_purge
from ufm.history import history_by

NO_CONSENT = "Record consent before entering any answers."
WITHDRAWN = "This participant has withdrawn. Nothing more can be stored for them."
REFUSED = (
    "The participant did not agree to every statement needed to take part, "
    "so no answers can be stored for this interview."
)
NO_QUOTES = (
    "The participant did not agree to be quoted, so their words are not written down. "
    "Their coded answers still count."
)
CODE_OF_WITHDRAWN = "This code belongs to a participant who withdrew; choose another."
CODE_IN_USE = "This code is already used for another interview; choose another."


class ConsentRequired(Exception):
    """Raised when interview data would be stored for a session without valid consent."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# The gate ---------------------------------------------------------------------------------------


def consent_problem(session: InterviewSession, *, for_quotes: bool = False) -> str | None:
    """Why no interview data may be stored for this session, or None when it may.

    The single gate every write path asks: data-entry pages, autosave, admin, imports. With
    ``for_quotes`` it also answers for the participant's own words (the "quotes" statement).
    """
    if session.pk is None:
        return NO_CONSENT
    sessions = InterviewSession.objects.filter(pk=session.pk)
    if connection.in_atomic_block:
        # Held until the caller's write commits: participant_withdraw takes the same lock, so
        # a withdrawal waits for this write (and then deletes it) or this write sees it.
        sessions = sessions.select_for_update(of=("self",))
    # Subqueries, not joins: PostgreSQL refuses FOR UPDATE next to an outer join.
    record = ConsentRecord.objects.filter(session=OuterRef("pk"))
    found = sessions.annotate(
        withdrawal_pk=Subquery(Withdrawal.objects.filter(session=OuterRef("pk")).values("pk")),
        record_pk=Subquery(record.values("pk")),
        version_pk=Subquery(record.values("form_version_id")),
    ).values_list("withdrawal_pk", "record_pk", "version_pk")
    if not found:
        return NO_CONSENT
    withdrawal_pk, record_pk, version_pk = found[0]
    # A fixed number of queries, whatever the form: every page and save asks this. The
    # statements are read only if the verdict needs them (the queryset is lazy).
    statements = ConsentStatement.objects.filter(form_version_id=version_pk).annotate(
        agreed=Exists(
            ConsentResponse.objects.filter(
                record_id=record_pk, statement=OuterRef("pk"), agreed=True
            )
        )
    )
    return consent_verdict(
        withdrawn=withdrawal_pk is not None,
        recorded=record_pk is not None,
        statements=statements.values_list("code", "required", "agreed"),
        for_quotes=for_quotes,
    )


def consent_verdict(
    *,
    withdrawn: bool,
    recorded: bool,
    statements: Iterable[tuple[str, bool, bool]],
    for_quotes: bool,
) -> str | None:
    """The gate's rule, for one session: ``statements`` are its form's (code, required,
    agreed), read only when the participant has not withdrawn and consent is recorded. The
    import's check also asks it of the consent a row would record, before anything is written."""
    if withdrawn:
        return WITHDRAWN
    if not recorded:
        return NO_CONSENT
    agreed = set()
    for code, required, said_yes in statements:
        if said_yes:
            agreed.add(code)
        elif required:
            return REFUSED
    if for_quotes and ConsentStatement.QUOTES_CODE not in agreed:
        return NO_QUOTES
    return None


def consent_problems(
    session_ids: Collection[int], *, for_quotes: Collection[int] = ()
) -> dict[int, str]:
    """``consent_problem`` for many sessions at once, in three queries (the imports): the id
    of each session for which nothing may be stored → why. ``for_quotes``: the ids of those
    whose quotes are stored too. Locks the rows inside a transaction, as the gate does."""
    sessions = InterviewSession.objects.filter(pk__in=session_ids)
    if connection.in_atomic_block:
        sessions = sessions.select_for_update(of=("self",))
    record = ConsentRecord.objects.filter(session=OuterRef("pk"))
    found = {
        pk: rest
        for pk, *rest in sessions.annotate(
            withdrawal_pk=Subquery(Withdrawal.objects.filter(session=OuterRef("pk")).values("pk")),
            record_pk=Subquery(record.values("pk")),
            version_pk=Subquery(record.values("form_version_id")),
        ).values_list("pk", "withdrawal_pk", "record_pk", "version_pk")
    }
    statements: dict[int, list[tuple[int, str, bool]]] = {}
    for version_pk, pk, code, required in ConsentStatement.objects.filter(
        form_version_id__in={version for _, _, version in found.values()}
    ).values_list("form_version_id", "pk", "code", "required"):
        statements.setdefault(version_pk, []).append((pk, code, required))
    agreed = set(
        ConsentResponse.objects.filter(
            record_id__in={record for _, record, _ in found.values()}, agreed=True
        ).values_list("record_id", "statement_id")
    )
    problems = {}
    for pk in session_ids:
        withdrawal_pk, record_pk, version_pk = found.get(pk, (None, None, None))
        problem = consent_verdict(
            withdrawn=withdrawal_pk is not None,
            recorded=record_pk is not None,
            statements=[
                (code, required, (record_pk, statement_pk) in agreed)
                for statement_pk, code, required in statements.get(version_pk, [])
            ],
            for_quotes=pk in for_quotes,
        )
        if problem:
            problems[pk] = problem
    return problems


def consent_require(session: InterviewSession, *, for_quotes: bool = False) -> None:
    """Raise ConsentRequired unless interview data (with ``for_quotes``: quotes) may be stored
    for the session. Call it inside the transaction that writes."""
    problem = consent_problem(session, for_quotes=for_quotes)
    if problem:
        raise ConsentRequired(problem)


P = ParamSpec("P")
R = TypeVar("R")


def requires_consent(
    func: Callable[P, R] | None = None, *, for_quotes: bool = False
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a service that writes interview data for its keyword argument ``session``:
    the write and the gate run in one transaction, and nothing is written without consent.

        @requires_consent
        def answer_save(*, session, item, answer): ...

        @requires_consent(for_quotes=True)
        def quote_save(*, session, item, text): ...
    """

    def decorate(write: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(write)
        def gated(*args: P.args, **kwargs: P.kwargs) -> R:
            session = kwargs.get("session")
            if not isinstance(session, InterviewSession):
                raise TypeError(
                    f"{write.__name__}() must be called with session=<InterviewSession>"
                )
            with transaction.atomic():
                consent_require(session, for_quotes=for_quotes)
                return write(*args, **kwargs)

        return gated

    return decorate(func) if func is not None else decorate


def quotes_allowed(session: InterviewSession) -> bool:
    """Whether the participant agreed that their words may be quoted."""
    return ConsentRecord.objects.filter(
        session_id=session.pk,
        responses__statement__code=ConsentStatement.QUOTES_CODE,
        responses__agreed=True,
    ).exists()


# Consent form versions --------------------------------------------------------------------------


def consent_version_current() -> ConsentFormVersion | None:
    """The version offered for new consents, with its statements in order."""
    return (
        ConsentFormVersion.objects.filter(is_current=True, retired_at__isnull=True)
        .prefetch_related("statements")
        .first()
    )


def consent_version_in_use(version: ConsentFormVersion) -> bool:
    """A version any consent record names is read-only: records must keep meaning what the
    participant heard."""
    return version.pk is not None and version.records.exists()


@transaction.atomic
def consent_version_make_current(*, version: ConsentFormVersion) -> ConsentFormVersion:
    """Offer this version for new consents; the previous current one stops being offered."""
    # Locking every version serialises two coordinators doing this at once (the database's
    # one-current constraint would otherwise fail the second with an error page).
    locked = {v.pk: v for v in ConsentFormVersion.objects.select_for_update().order_by("pk")}
    version = locked[version.pk]
    if version.retired_at is not None:
        raise ValidationError(
            f"Version {version.label} is retired, so it cannot be offered again. "
            "Add a new version instead."
        )
    if not version.statements.exists():
        raise ValidationError(
            f"Version {version.label} has no statements yet: add them before offering it."
        )
    quotes = version.statements.filter(code=ConsentStatement.QUOTES_CODE).first()
    if quotes is None or quotes.required:
        # Quote consent is read from this statement everywhere (consent.md: it is optional).
        raise ValidationError(
            f"Version {version.label} needs a statement with the code "
            f"'{ConsentStatement.QUOTES_CODE}', not required to take part: it is where the "
            "participant says whether their words may be quoted."
        )
    for other in locked.values():
        if other.is_current and other.pk != version.pk:
            other.is_current = False
            other.save(update_fields=["is_current"])
    if not version.is_current:
        version.is_current = True
        version.save(update_fields=["is_current"])
    return version


@transaction.atomic
def consent_version_retire(*, version: ConsentFormVersion) -> ConsentFormVersion:
    """Stop offering a version for good. Its consent records keep pointing at it."""
    version = ConsentFormVersion.objects.select_for_update().get(pk=version.pk)
    if version.retired_at is not None:
        raise ValidationError(f"Version {version.label} is already retired.")
    version.retired_at = timezone.now()
    version.is_current = False
    version.save(update_fields=["retired_at", "is_current"])
    return version


# Recording consent ------------------------------------------------------------------------------


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
    if consent_date > timezone.localdate():
        raise ValidationError({"consent_date": "The date of consent cannot be in the future."})

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
    )
    return record


def participant_code_problem(code: str) -> str | None:
    """Why this participant code cannot start a new session, or None when it can.

    For the start-a-session page and imports: a withdrawn participant's code stays in the
    database (their withdrawal is audited under it), so it can never be given out again.
    """
    code = (code or "").strip()
    if not re.fullmatch(PARTICIPANT_CODE_PATTERN, code):
        return f"This is not a participant code: {PARTICIPANT_CODE_HELP}"
    existing = (
        InterviewSession.objects.filter(participant_code__iexact=code)
        .values("pk", "withdrawal")
        .first()
    )
    if existing is None:
        return None
    if existing["withdrawal"] is not None:
        return CODE_OF_WITHDRAWN
    return CODE_IN_USE


# Withdrawal -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WithdrawalPreview:
    """What a withdrawal will delete, for the coordinator to read before confirming."""

    session: InterviewSession
    answers: int
    quotes: int
    tags: int
    demographics: int
    sees: int
    history_rows: int
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


def _history_of(session: InterviewSession, quote_ids: list[int]) -> list:
    """Every audit-history queryset that holds a copy of the participant's data."""
    return [
        ItemAnswer.history.model.objects.filter(session_id=session.pk),
        Quote.history.model.objects.filter(session_id=session.pk),
        Demographics.history.model.objects.filter(session_id=session.pk),
        WeeklyContact.history.model.objects.filter(session_id=session.pk),
        Tag.history.model.objects.filter(quote_id__in=quote_ids),
    ]


def _quote_ids(session: InterviewSession) -> list[int]:
    """Every quote the session ever had, including ones deleted earlier (their tags' history
    still names them)."""
    live = Quote.objects.filter(session=session).values_list("pk", flat=True)
    past = Quote.history.model.objects.filter(session_id=session.pk).values_list("id", flat=True)
    return sorted(set(live) | set(past))


def withdrawal_preview(
    session: InterviewSession, *, withdrawal_date: datetime.date | None = None
) -> WithdrawalPreview:
    withdrawal_date = withdrawal_date or timezone.localdate()
    quote_ids = _quote_ids(session)
    consent = ConsentRecord.objects.filter(session=session).select_related("form_version").first()
    return WithdrawalPreview(
        session=session,
        answers=ItemAnswer.objects.filter(session=session).count(),
        quotes=Quote.objects.filter(session=session).count(),
        tags=Tag.objects.filter(quote__session=session).count(),
        demographics=Demographics.objects.filter(session=session).count(),
        sees=WeeklyContact.objects.filter(session=session).count(),
        history_rows=sum(qs.count() for qs in _history_of(session, quote_ids)),
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
    """Withdraw a participant: delete every answer, quote, tag, demographic and "sees" tick
    and every copy of them in the audit history, in one transaction. What is left is the
    session (its code), the consent record and this Withdrawal.

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

    quote_ids = _quote_ids(session)
    Tag.objects.filter(quote__session=session).delete()
    Quote.objects.filter(session=session).delete()
    ItemAnswer.objects.filter(session=session).delete()
    Demographics.objects.filter(session=session).delete()
    WeeklyContact.objects.filter(session=session).delete()
    # Notes the interviewers wrote about the record (a return note, an event's note) may
    # repeat the participant's words: they go too, with their copies in the history.
    InterviewSession.objects.filter(pk=session.pk).update(return_note="")
    InterviewSession.history.filter(id=session.pk).update(return_note="")
    SessionEvent.objects.filter(session=session).update(note="")
    # Last, because the deletions above have just written "deleted" history rows holding a
    # final copy of everything.
    for history in _history_of(session, quote_ids):
        history.delete()
    # Files checked for an import and waiting for "Import" may hold the participant's words
    # (quotes.csv does), and nothing says whose: remove them all, and again once this commits,
    # for a check that finished in between. Whoever was about to import chooses the file again.
    pending_imports_purge(everything=True)
    transaction.on_commit(lambda: pending_imports_purge(everything=True))
    return withdrawal
