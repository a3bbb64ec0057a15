"""An interview's timeline: every change to its answers, quotes, details, consent and steps.

The audit history (django-simple-history) keeps one table per model; the timeline reads them
as one list, newest first, a page at a time, in a number of queries that does not grow with
the number of changes: one query lists the page's rows across the tables (a UNION), then
each table on the page is read once for its rows and once for the versions before them.

Each entry says what changed (old -> new, in the words people read, never codes), who changed
it (by display name), when, and where (``ufm.history.ChangeSource``). The session row's own
versions are left out: the interviewers never edit it (its steps are the session events) and
every save of an answer bumps its ``version``, which said nothing to anyone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.utils import timezone
from django.utils.formats import date_format

from interviews import permissions
from interviews.models import (
    Answer,
    ConsentRecord,
    ConsentResponse,
    InterviewSession,
    Quote,
    SessionEvent,
    Tick,
    Withdrawal,
)
from ufm.history import ChangeSource, change_source_label, changed_by

NOTHING = "–"
WORDS_HIDDEN = "(the words are not shown to you)"


@dataclass(frozen=True)
class Change:
    """One field of one entry: its name, and its value before and after, as people read them."""

    field: str
    old: str
    new: str


@dataclass
class Entry:
    at: datetime.datetime
    what: str
    action: str
    who: str
    where: str
    changes: list[Change] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class Source:
    """One table of the timeline: its rows for a session, how each is named, and which of its
    fields are compared with the version before."""

    code: str
    rows: Callable[[InterviewSession], models.QuerySet]
    name: Callable[[models.Model], str]
    fields: tuple[str, ...]
    related: tuple[str, ...] = ()
    readers: str | None = None  # the permission needed to see this table at all
    # What a field is called on the timeline when its own name says less ("option").
    labels: dict[str, str] = field(default_factory=dict)


def _label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


SOURCES: tuple[Source, ...] = (
    Source(
        "answer",
        lambda s: Answer.history.filter(session_id=s.pk),
        lambda row: f"Answer to {row.question.label}",
        ("option",),
        related=("question", "option"),
        labels={"option": "Answer"},
    ),
    Source(
        "quote",
        lambda s: Quote.history.filter(session_id=s.pk),
        # Its place among the question's quotes is in its name; only the words are compared.
        lambda row: f"Quote {row.position + 1} for {row.question.label}",
        ("text",),
        related=("question",),
    ),
    Source(
        "tick",
        lambda s: Tick.history.filter(session_id=s.pk),
        lambda row: f"{row.question.label}: {row.option.label}",
        (),
        related=("question", "option"),
    ),
    Source(
        "consent",
        lambda s: ConsentRecord.history.filter(session_id=s.pk),
        lambda row: "Consent",
        ("form_version", "consent_date", "method", "recorded_by", "witness"),
        related=("form_version",),
        readers=permissions.VIEW_CONSENT,
    ),
    Source(
        "consent_answer",
        lambda s: ConsentResponse.history.filter(
            record_id__in=ConsentRecord.objects.filter(session_id=s.pk).values("pk")
        ),
        lambda row: f"Consent: {row.statement.text if row.statement else 'a statement'}",
        ("agreed",),
        related=("statement",),
        readers=permissions.VIEW_CONSENT,
    ),
    Source(
        "withdrawal",
        lambda s: Withdrawal.history.filter(session_id=s.pk),
        lambda row: "Withdrawal",
        ("withdrawal_date", "how_requested", "recorded_by"),
        readers=permissions.VIEW_WITHDRAWAL,
    ),
)
EVENTS = "event"
ACTIONS = {"+": "added", "~": "changed", "-": "deleted"}


def _listing(session: InterviewSession, sources: list[Source]) -> models.QuerySet:
    """(source, row id, when) of every change on the timeline, newest first: one UNION."""

    def tagged(code: str, rows: models.QuerySet, pk: str, when: str) -> models.QuerySet:
        return (
            rows.order_by()
            .annotate(source=Value(code, output_field=CharField()), ref=F(pk), when=F(when))
            .values_list("source", "ref", "when")
        )

    events = tagged(EVENTS, SessionEvent.objects.filter(session_id=session.pk), "pk", "at")
    parts = [tagged(s.code, s.rows(session), "history_id", "history_date") for s in sources]
    return events.union(*parts, all=True).order_by("-when", "-source", "-ref")


def timeline_page(
    session: InterviewSession, *, user, page_number, per_page: int, may_read_quotes: bool
) -> tuple[Page, list[Entry]]:
    """The page ``page_number`` of the session's timeline, as ``user`` may read it."""
    sources = [s for s in SOURCES if s.readers is None or user.has_perm(s.readers)]
    page = Paginator(_listing(session, sources), per_page).get_page(page_number)
    wanted: dict[str, list[int]] = {}
    for code, ref, _ in page:
        wanted.setdefault(code, []).append(ref)

    rows: dict[tuple[str, int], tuple[models.Model, models.Model | None]] = {}
    for source in sources:
        if source.code in wanted:
            rows.update(_rows_with_previous(source, session, wanted[source.code]))
    events = SessionEvent.objects.in_bulk(wanted.get(EVENTS, []))

    user_ids = {row.history_user_id for row, _ in rows.values()}
    user_ids |= {event.by_id for event in events.values()}
    for row, previous in rows.values():
        for obj in (row, previous):
            if obj is not None:
                user_ids |= {getattr(obj, f"{name}_id", None) for name in _user_fields(obj)}
    people = get_user_model().objects.in_bulk({pk for pk in user_ids if pk is not None})

    entries = []
    for code, ref, _ in page:
        if code == EVENTS:
            entries.append(_event_entry(events[ref], people))
        else:
            source = next(s for s in sources if s.code == code)
            row, previous = rows[(code, ref)]
            entries.append(_history_entry(source, row, previous, people, may_read_quotes))
    return page, entries


def _rows_with_previous(source: Source, session: InterviewSession, ids: list[int]) -> dict:
    """The history rows ``ids`` of ``source``, each with the version of the same object before
    it (None for the first): two queries, whatever the number of rows."""
    history = source.rows(session).model
    before = (
        history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    found = list(
        history.objects.filter(history_id__in=ids)
        .select_related(*source.related)
        .annotate(previous_id=Subquery(before))
    )
    previous = history.objects.select_related(*source.related).in_bulk(
        [row.previous_id for row in found if row.previous_id is not None]
    )
    return {(source.code, row.history_id): (row, previous.get(row.previous_id)) for row in found}


def _user_fields(obj: models.Model) -> list[str]:
    return [
        f.name
        for f in obj._meta.concrete_fields
        if f.is_relation and f.related_model is get_user_model() and f.name != "history_user"
    ]


def _who(user_id: int | None, people: dict, reason: str | None = None) -> str:
    return changed_by(people.get(user_id), reason)


def _shown(obj: models.Model, name: str, people: dict) -> str:
    """A field's value as people read it: a choice's label, a person's display name, a date."""
    model_field = obj._meta.get_field(name)
    if model_field.is_relation:
        related_id = getattr(obj, model_field.attname)
        if related_id is None:
            return NOTHING
        if model_field.related_model is get_user_model():
            return _who(related_id, people)
        related = getattr(obj, name, None)
        return str(related) if related is not None else NOTHING
    value = getattr(obj, name)
    if value is None or value == "":
        return NOTHING
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)


def _history_entry(source: Source, row, previous, people: dict, may_read_quotes: bool) -> Entry:
    kind = row.history_type
    changes = []
    for name in source.fields:
        if kind == "+":
            old, new = NOTHING, _shown(row, name, people)
        elif kind == "-":
            # A deletion's row holds the values as they were last.
            old, new = _shown(row, name, people), NOTHING
        else:
            old = _shown(previous, name, people) if previous is not None else NOTHING
            new = _shown(row, name, people)
        if old == new:
            continue
        if name == "text" and not may_read_quotes:
            old, new = (NOTHING if value == NOTHING else WORDS_HIDDEN for value in (old, new))
        changes.append(Change(source.labels.get(name) or _label(type(row), name), old, new))
    return Entry(
        at=row.history_date,
        what=source.name(row),
        action=ACTIONS.get(kind, kind),
        who=_who(row.history_user_id, people, row.history_change_reason),
        where=change_source_label(row.history_change_reason),
        changes=changes,
    )


def _event_entry(event: SessionEvent, people: dict) -> Entry:
    imported = event.kind == SessionEvent.Kind.IMPORTED
    return Entry(
        at=event.at,
        what="Status",
        action=event.get_kind_display(),
        who=_who(event.by_id, people),
        # Every step but an import is taken on the interviewers' or the coordinators' pages.
        where=(ChangeSource.IMPORT if imported else ChangeSource.APP).label,
        note=event.note,
    )
