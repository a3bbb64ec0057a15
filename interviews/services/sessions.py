"""A session's life: start, save answers (from pages and autosave), submit, verify, return,
reopen.

Every write locks the session row first (``select_for_update``): the two interviewers of a pair
often save from two devices within the same second, and without the lock both could read the
same version, both pass the conflict check and the later write would silently undo the earlier
one (a lost update). With the lock, the second save waits, then sees the first one's values.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from interviews import permissions
from interviews.dates import future_date_problem
from interviews.models import (
    Answer,
    Evaluation,
    InterviewSession,
    Quote,
    SessionEvent,
    Site,
    Tick,
)
from interviews.participant_codes import participant_code_problem, taken_message
from interviews.quote_text import one_line
from interviews.schedules import Schedule, ScheduleQuestion, schedule_of
from interviews.selectors import (
    all_fields,
    is_quotes_key,
    missing_fields,
    question_of,
    question_text,
    session_values,
)
from interviews.services.consent_gate import consent_require
from interviews.services.refusals import (  # the refusals of a session's life
    Incomplete,
    NotAllowed,
    NotInThisState,
    SessionLocked,
)
from ufm.compiled_queries import CompiledQuery
from ufm.history import history_by

# Limits that keep one request small and every page usable; the pages say them plainly.
MAX_QUOTE_LENGTH = 5000
MAX_QUOTES_PER_QUESTION = 30
MAX_NOTE_LENGTH = 2000


@dataclass
class SaveResult:
    version: int
    saved_at: datetime.datetime
    applied: list[str] = field(default_factory=list)
    # Each: {"field", "yours", "theirs"}: the partner changed the field since this device
    # last saw it, so nothing was written and the interviewer must choose.
    conflicts: list[dict[str, Any]] = field(default_factory=list)


_LOCKED = CompiledQuery(
    lambda pk: (
        InterviewSession.objects.select_for_update(of=("self",))
        .select_related("evaluation")
        .filter(pk=pk)
    )
)


def _locked(session: InterviewSession) -> InterviewSession:
    """The session row, locked until the transaction ends (see the module docstring), with
    its evaluation, whose schedule every write reads (only the session's row is locked).
    Every save takes it, so the statement is written once (``ufm.compiled_queries``)."""
    found = _LOCKED.objects(session.pk)
    if not found:
        raise InterviewSession.DoesNotExist("The interview is no longer there.")
    return found[0]


def draft_require(session: InterviewSession) -> None:
    """Raise SessionLocked, saying why, unless the record is a draft its pair may change."""
    if session.status == InterviewSession.Status.SUBMITTED:
        raise SessionLocked(
            "This record has been submitted for checking, so it cannot be changed now. "
            "If something needs correcting, your partner can return it to you."
        )
    if session.status == InterviewSession.Status.VERIFIED:
        raise SessionLocked(
            "This record has been verified, so it cannot be changed. "
            "If something needs correcting, ask a coordinator to reopen it."
        )


@history_by("interviewer")
@transaction.atomic
def session_start(
    *,
    participant_code: str,
    interview_date: datetime.date,
    site: Site,
    interviewer,
    partner,
    evaluation: Evaluation | None = None,
) -> InterviewSession:
    """Start a session of ``evaluation`` (by default the one collecting) run by
    ``interviewer`` with ``partner``: a practice interview while the evaluation is being
    designed. No interview data is stored here: consent comes next."""
    evaluation = evaluation or Evaluation.objects.current()
    problem = evaluation_closed_problem(evaluation)
    if problem:
        raise ValidationError({"evaluation": problem})
    problem = participant_code_problem(participant_code, evaluation=evaluation)
    if problem:
        raise ValidationError({"participant_code": problem})
    problem = future_date_problem(interview_date, "the interview")
    if problem:
        raise ValidationError({"interview_date": problem})
    if not site.is_active:
        raise ValidationError({"site": "This place is no longer in use. Choose another."})
    if partner is None or partner.pk == interviewer.pk:
        raise ValidationError({"partner": "Choose the interviewer you are working with today."})
    if not (partner.is_active and partner.has_perm(permissions.ENTER_INTERVIEWS)):
        raise ValidationError({"partner": "Choose an active interviewer."})
    session = InterviewSession(
        evaluation=evaluation,
        practice=evaluation.interviews_are_practice,
        participant_code=participant_code,
        interview_date=interview_date,
        site=site,
        interviewer_1=interviewer,
        interviewer_2=partner,
    )
    session.full_clean()
    try:
        # A savepoint, so that a code taken in the same instant by another pair is reported
        # as the same clear message rather than a broken transaction.
        with transaction.atomic():
            session.save()
    except IntegrityError as error:
        raise ValidationError({"participant_code": taken_message(participant_code)}) from error
    SessionEvent.objects.create(session=session, kind=SessionEvent.Kind.STARTED, by=interviewer)
    return session


def evaluation_closed_problem(evaluation: Evaluation) -> str | None:
    """Why no interview may be started on the evaluation, or None: interviews are run while it
    collects, and practised while it is being designed."""
    if evaluation.status in (Evaluation.Status.COLLECTING, Evaluation.Status.DESIGN):
        return None
    return f"{evaluation.title} is no longer collecting interviews."


def normalise_value(schedule: Schedule, key: str, value: Any) -> Any:
    """The stored form of a value for field ``key``; ValidationError when it cannot be one."""
    question = question_of(schedule, key)
    many = is_quotes_key(key) or question.many
    if value is None:
        return [] if many else ""
    if is_quotes_key(key):
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise ValidationError(f"The quotes for '{question.label}' were not a list of texts.")
        if not all(_encodable(t) for t in value):
            # Only a broken or forged request sends half a character (a lone surrogate).
            raise ValidationError(
                f"The quotes for '{question.label}' hold characters that cannot be saved."
            )
        # A quote is one line (interviews.csv holds one quote a line): line breaks typed in
        # a box become spaces. Boxes left empty are not quotes.
        texts = [one_line(t) for t in value]
        return [t for t in texts if t]
    if many:
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            raise ValidationError(f"The ticks for '{question.label}' were not a list of codes.")
        return sorted(set(value))
    if not isinstance(value, str):
        raise ValidationError(f"The answer to '{question.label}' was not a code.")
    return value


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _validate(schedule: Schedule, key: str, value: Any) -> None:
    """Check a normalised new value against the schedule's codes and the page limits."""
    question = question_of(schedule, key)
    text = question.label
    if is_quotes_key(key):
        if len(value) > MAX_QUOTES_PER_QUESTION:
            raise ValidationError(
                f"'{text}' has more than {MAX_QUOTES_PER_QUESTION} quotes. "
                "Put more of the participant's words into each box."
            )
        for number, quote in enumerate(value, start=1):
            if len(quote) > MAX_QUOTE_LENGTH:
                raise ValidationError(
                    f"Quote {number} for '{text}' is longer than {MAX_QUOTE_LENGTH} "
                    "characters. Split it into two quotes with 'Add another quote'."
                )
        return
    codes = value if question.many else [value] if value else []
    unknown = sorted(code for code in codes if question.option(code) is None)
    if unknown:
        raise ValidationError(f"Unknown answer for '{text}': {', '.join(unknown)}.")


@history_by("user")
@transaction.atomic
def answers_save(
    *, session: InterviewSession, user, version: int, changes: dict[str, dict[str, Any]]
) -> SaveResult:
    """Apply ``changes`` ({field key: {"old": value this device last saw, "new": value}}).

    A change is applied when its ``old`` is still the stored value (nobody changed the field
    in between), or when its ``new`` already is. Otherwise it is a conflict: nothing is
    written for that field and both values are returned for the interviewer to choose.
    Changes to different fields therefore merge, and no one's change is silently lost. The
    field-by-field check holds even when ``version`` is current; ``version`` tells the page
    whether the record moved on. The version goes up by one per save that changed anything.

    All changes are checked before anything is written, so a bad one saves nothing.
    """
    if not isinstance(changes, dict):
        raise ValidationError("The changes to save were not understood.")
    schedule = schedule_of(session.evaluation)
    unknown = sorted(set(changes) - set(all_fields(schedule)))
    if unknown:
        raise ValidationError(f"Unknown question: {', '.join(unknown)}.")
    prepared: dict[str, tuple[Any, Any]] = {}
    for key, change in changes.items():
        try:
            if not isinstance(change, dict) or "new" not in change:
                raise ValidationError(
                    f"The change to '{question_text(schedule, key)}' was not understood."
                )
            old = normalise_value(schedule, key, change.get("old"))
            new = normalise_value(schedule, key, change["new"])
            _validate(schedule, key, new)
        except ValidationError as error:
            # Keyed by field, so that pages can link the message to the field.
            raise ValidationError({key: error.messages}) from error
        prepared[key] = (old, new)

    session = _locked(session)
    if not session.is_interviewer(user):
        raise NotAllowed("Only the two interviewers of a session can change it.")
    draft_require(session)
    consent_require(session, for_quotes=any(is_quotes_key(k) for k in prepared))

    current = session_values(session, prepared)  # only the fields changed
    result = SaveResult(version=session.version, saved_at=timezone.now())
    for key, (old, new) in prepared.items():
        stored = current[key]
        if new == stored:
            continue
        if old != stored:
            result.conflicts.append({"field": key, "yours": new, "theirs": stored})
            continue
        _write(session, question_of(schedule, key), key, stored, new)
        result.applied.append(key)
    if result.applied:
        session.version += 1
        session.save(update_fields=["version", "updated_at"])
        result.version = session.version
        result.saved_at = session.updated_at
    return result


def _write(
    session: InterviewSession, question: ScheduleQuestion, key: str, stored: Any, new: Any
) -> None:
    """Write one field. Quotes and ticks change row by row, so a small edit touches only the
    rows it changes (and their history), whatever the number of quotes."""
    keys = {"session": session, "question_id": question.id}
    if is_quotes_key(key):
        rows = list(Quote.objects.filter(**keys).order_by("position", "pk"))
        for position, text in enumerate(new):
            if position < len(rows):
                row = rows[position]
                if row.text != text or row.position != position:
                    row.text, row.position = text, position
                    row.save()
            else:
                Quote.objects.create(**keys, position=position, text=text)
        for row in rows[len(new) :]:
            row.delete()
    elif question.many:
        removed = [question.option(code).id for code in set(stored) - set(new)]
        for tick in Tick.objects.filter(**keys, option_id__in=removed):
            tick.delete()
        for code in sorted(set(new) - set(stored)):
            Tick.objects.create(**keys, **_option_keys(question, code))
    elif new:
        Answer.objects.update_or_create(**keys, defaults=_option_keys(question, new))
    else:
        for answer in Answer.objects.filter(**keys):
            answer.delete()


def _option_keys(question: ScheduleQuestion, code: str) -> dict[str, int]:
    """An answer's list and option, for the database's check that they are the question's."""
    return {"choice_list_id": question.choice_list_id, "option_id": question.option(code).id}


@history_by("user")
@transaction.atomic
def session_submit(*, session: InterviewSession, user) -> InterviewSession:
    """Send a complete draft to the partner for checking."""
    session = _locked(session)
    if not session.is_interviewer(user):
        raise NotAllowed("Only the two interviewers of a session can submit it.")
    draft_require(session)
    consent_require(session)
    missing = missing_fields(schedule_of(session.evaluation), session_values(session))
    if missing:
        raise Incomplete(missing)
    return _move(
        session,
        InterviewSession.Status.SUBMITTED,
        SessionEvent.Kind.SUBMITTED,
        user,
        submitted_by=user,
        submitted_at=timezone.now(),
        return_note="",
    )


def checker_require(session: InterviewSession, user) -> None:
    """Raise a Refused, saying why, unless ``user`` may check the record now: it waits for
    checking and they are the partner of the one who submitted it."""
    if session.status != InterviewSession.Status.SUBMITTED:
        raise NotInThisState("This record is not waiting for checking.")
    if not session.is_interviewer(user):
        raise NotAllowed("Only the two interviewers of a session can check it.")
    if user.pk == session.submitted_by_id:
        raise NotAllowed(
            "You submitted this record, so your partner checks it: a second pair of eyes."
        )


@history_by("user")
@transaction.atomic
def session_verify(*, session: InterviewSession, user) -> InterviewSession:
    """The partner confirms the record matches what was said: it is locked and from now on
    analysts see it."""
    session = _locked(session)
    checker_require(session, user)
    consent_require(session)
    missing = missing_fields(schedule_of(session.evaluation), session_values(session))
    if missing:
        raise Incomplete(
            missing,
            "Some questions are not answered, so this record cannot be verified. "
            "Return it with a note.",
        )
    return _move(
        session,
        InterviewSession.Status.VERIFIED,
        SessionEvent.Kind.VERIFIED,
        user,
        verified_by=user,
        verified_at=timezone.now(),
    )


def _move(session, status, event_kind, user, *, note: str = "", **fields) -> InterviewSession:
    """A step of the record's life: its new status and fields, a new version (so open pages
    see the change), and the event that records who took the step."""
    session.status = status
    for name, value in fields.items():
        setattr(session, name, value)
    session.version += 1
    session.save()
    SessionEvent.objects.create(session=session, kind=event_kind, by=user, note=note)
    return session


def clean_note(note: str, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": f"Write {what}."})
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError({"note": f"Keep it under {MAX_NOTE_LENGTH} characters."})
    return note


@history_by("user")
@transaction.atomic
def session_return(*, session: InterviewSession, user, note: str) -> InterviewSession:
    """The partner sends the record back to the submitter with a note saying what to fix."""
    note = clean_note(note, "what needs correcting, so your partner knows what to change")
    session = _locked(session)
    checker_require(session, user)
    return _move(
        session,
        InterviewSession.Status.DRAFT,
        SessionEvent.Kind.RETURNED,
        user,
        note=note,
        return_note=note,
    )


def reopen_require(session: InterviewSession, user) -> None:
    """Raise a Refused, saying why, unless ``user`` may reopen the record now."""
    if not user.has_perm(permissions.REOPEN_SESSION):
        raise NotAllowed("Only a coordinator can reopen a verified record.")
    if session.status != InterviewSession.Status.VERIFIED:
        raise NotInThisState("Only a verified record can be reopened.")


@history_by("user")
@transaction.atomic
def session_reopen(*, session: InterviewSession, user, reason: str) -> InterviewSession:
    """A coordinator reopens a verified record so the pair can correct it; the reason is
    recorded and shown to the interviewers."""
    reason = clean_note(reason, "why the record is being reopened")
    session = _locked(session)
    reopen_require(session, user)
    return _move(
        session,
        InterviewSession.Status.DRAFT,
        SessionEvent.Kind.REOPENED,
        user,
        note=reason,
        return_note=f"Reopened by a coordinator: {reason}",
        verified_by=None,
        verified_at=None,
    )
