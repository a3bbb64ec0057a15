"""The consent gate: whether interview data may be stored for a session, and the guards.

The contract for every other write path (data-entry pages, autosave, imports, any API):

- Before storing a coded answer or a tick, call ``consent_require(session)``
  inside the same ``transaction.atomic()`` block as the write. Inside a transaction the gate
  locks the session row, so a withdrawal cannot slip in between the check and the write.
- Before storing a quote, call ``consent_require(session, for_quotes=True)``: it also refuses
  when the participant said no to being quoted.
- ``ConsentRequired.message`` is written for the person at the screen: show it as it is
  (the pages answer 409 with it, commands print it and exit non-zero).
- ``tests/consent_gate.py`` has ``assert_write_refused_without_consent(write)``: give it a
  function that writes for a session and it proves the gate refuses in every case.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, Subquery

from interviews.models import (
    ConsentRecord,
    ConsentResponse,
    ConsentStatement,
    InterviewSession,
    Withdrawal,
)
from interviews.services.refusals import QuotesNotAllowed, Refused
from ufm.compiled_queries import CompiledQuery

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


class ConsentRequired(Refused):
    """Raised when interview data would be stored for a session without valid consent."""


def consent_problem(session: InterviewSession, *, for_quotes: bool = False) -> str | None:
    """Why no interview data may be stored for this session, or None when it may.

    The single gate every write path asks: data-entry pages, autosave, admin, imports. With
    ``for_quotes`` it also answers for the participant's own words (the "quotes" statement).
    """
    if session.pk is None:
        return NO_CONSENT
    # Inside a transaction the read locks the session row until the caller's write commits:
    # participant_withdraw takes the same lock, so a withdrawal waits for this write (and
    # then deletes it) or this write sees it.
    found = _CONSENT_STATE.rows(session.pk)
    if not found:
        return NO_CONSENT
    withdrawal_pk, record_pk, version_pk, quote_consent = found[0]
    # A fixed number of queries, whatever the form: every page and save asks this. The
    # statements are read only if the verdict needs them (withdrawn or no consent: never).
    if withdrawal_pk is None and record_pk is not None:
        statements = _STATEMENTS.rows(version_pk, record_pk)
    else:
        statements = []
    return consent_verdict(
        withdrawn=withdrawal_pk is not None,
        recorded=record_pk is not None,
        statements=statements,
        for_quotes=for_quotes,
        quote_consent=bool(quote_consent),
    )


def _consent_state_of(session_pk: int) -> QuerySet:
    sessions = InterviewSession.objects.filter(pk=session_pk).order_by()
    if connection.in_atomic_block:
        sessions = sessions.select_for_update(of=("self",))
    return _with_consent_state(sessions).values_list(
        "withdrawal_pk", "record_pk", "version_pk", "quote_consent"
    )


def _statements_of(version_pk: int, record_pk: int) -> QuerySet:
    """A form version's statements as (code, required, agreed) for one consent record."""
    return (
        ConsentStatement.objects.filter(form_version_id=version_pk)
        .annotate(
            agreed=Exists(
                ConsentResponse.objects.filter(
                    record_id=record_pk, statement=OuterRef("pk"), agreed=True
                )
            )
        )
        .order_by()
        .values_list("code", "required", "agreed")
    )


# Written once per process (the ORM's work cost eight times the database's on each save).
_CONSENT_STATE = CompiledQuery(_consent_state_of)
_STATEMENTS = CompiledQuery(_statements_of)


def _with_consent_state(sessions: QuerySet) -> QuerySet:
    """The sessions with what the gate reads of each, in the same query: its withdrawal and
    consent record (ids, or None) and whether it has quote consent."""
    # Subqueries, not joins: PostgreSQL refuses FOR UPDATE next to an outer join.
    record = ConsentRecord.objects.filter(session=OuterRef("pk"))
    return sessions.annotate(
        withdrawal_pk=Subquery(Withdrawal.objects.filter(session=OuterRef("pk")).values("pk")),
        record_pk=Subquery(record.values("pk")),
        version_pk=Subquery(record.values("form_version_id")),
        quote_consent=Exists(
            ConsentResponse.objects.quote_consents().filter(record__session=OuterRef("pk"))
        ),
    )


def consent_verdict(
    *,
    withdrawn: bool,
    recorded: bool,
    statements: Iterable[tuple[str, bool, bool]],
    for_quotes: bool,
    quote_consent: bool | None = None,
) -> str | None:
    """The gate's rule, for one session: ``statements`` are its form's (code, required,
    agreed), read only when the participant has not withdrawn and consent is recorded.
    ``quote_consent``: for a stored consent, whether ``ConsentResponse.objects.quote_consents``
    has one for the session. The import's check also asks this of the consent a row would
    record, before anything is stored: then it is None and read from ``statements``."""
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
    if quote_consent is None:
        # The same rule as ``quote_consents``, for answers that are not stored yet.
        quote_consent = ConsentStatement.QUOTES_CODE in agreed
    if for_quotes and not quote_consent:
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
    found = {
        pk: rest
        for pk, *rest in _with_consent_state(sessions).values_list(
            "pk", "withdrawal_pk", "record_pk", "version_pk", "quote_consent"
        )
    }
    statements: dict[int, list[tuple[int, str, bool]]] = {}
    for version_pk, pk, code, required in ConsentStatement.objects.filter(
        form_version_id__in={version for _, _, version, _ in found.values()}
    ).values_list("form_version_id", "pk", "code", "required"):
        statements.setdefault(version_pk, []).append((pk, code, required))
    agreed = set(
        ConsentResponse.objects.filter(
            record_id__in={record for _, record, _, _ in found.values()}, agreed=True
        ).values_list("record_id", "statement_id")
    )
    problems = {}
    for pk in session_ids:
        withdrawal_pk, record_pk, version_pk, quote_consent = found.get(
            pk, (None, None, None, False)
        )
        problem = consent_verdict(
            withdrawn=withdrawal_pk is not None,
            recorded=record_pk is not None,
            statements=[
                (code, required, (record_pk, statement_pk) in agreed)
                for statement_pk, code, required in statements.get(version_pk, [])
            ],
            for_quotes=pk in for_quotes,
            quote_consent=quote_consent,
        )
        if problem:
            problems[pk] = problem
    return problems


def consent_require(session: InterviewSession, *, for_quotes: bool = False) -> None:
    """Raise ConsentRequired unless interview data (with ``for_quotes``: quotes) may be stored
    for the session (QuotesNotAllowed when only the quotes are refused). Call it inside the
    transaction that writes."""
    problem = consent_problem(session, for_quotes=for_quotes)
    if problem == NO_QUOTES:
        raise QuotesNotAllowed(problem)
    if problem:
        raise ConsentRequired(problem)


def quotes_allowed(session: InterviewSession) -> bool:
    """Whether the participant agreed that their words may be quoted."""
    return ConsentResponse.objects.quote_consents().filter(record__session_id=session.pk).exists()
