"""Reads for the interviewers' pages (HackSoft's selectors): what a session holds, field by field,
and how an interviewer's sessions are grouped on their home page.

A session's content is addressed by *field keys*, the same on the pages, in autosave and in the
completeness check:

- ``answer:<item>``: the coded answer to a loneliness item, "" when not answered;
- ``quotes:<item or open question>``: the participant's words, an ordered list of texts;
- ``demo:<question>``: a one-answer "About you" question, "" when not answered;
- ``sees``: the ticks of "Who do you see in a usual week?", a sorted list of codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from interviews import permissions, privacy, schedule
from interviews.models import (
    Demographics,
    InterviewSession,
    ItemAnswer,
    Quote,
    WeeklyContact,
)
from ufm.roles import PERMISSIONS_BACKEND

# The kinds of field key; ``sees`` is a kind and a whole key of its own.
ANSWER, QUOTES, DEMO, SEES = "answer", "quotes", "demo", "sees"


def field_key(kind: str, code: str) -> str:
    """The key of a field: its kind and the code of its item or question."""
    return f"{kind}:{code}"


def parse_field_key(key: str) -> tuple[str, str]:
    """A field key's (kind, code of the item or question): ``quotes:help`` gives
    ("quotes", "help"), and ``sees`` ("sees", "sees")."""
    kind, _, code = key.partition(":")
    return kind, code or kind


def is_quotes_key(key: str) -> bool:
    return parse_field_key(key)[0] == QUOTES


def answer_key(item: str) -> str:
    return field_key(ANSWER, item)


def quotes_key(item: str) -> str:
    return field_key(QUOTES, item)


def demo_key(question: str) -> str:
    return field_key(DEMO, question)


@dataclass(frozen=True)
class Section:
    """One page of the schedule."""

    slug: str
    title: str


SECTIONS: tuple[Section, ...] = (
    Section("feel", "How you feel"),
    Section("helps", "What helps"),
    Section("about", "About you"),
)
SECTION_TITLES = {s.slug: s.title for s in SECTIONS}


def section_fields(slug: str, *, with_quotes: bool = True) -> list[str]:
    """The field keys a section's page edits, in page order."""
    if slug == "feel":
        keys = []
        for q in schedule.ITEM_QUESTIONS:
            keys.append(answer_key(q.code))
            if with_quotes:
                keys.append(quotes_key(q.code))
        return keys
    if slug == "helps":
        return [quotes_key(q.code) for q in schedule.OPEN_QUESTIONS] if with_quotes else []
    if slug == "about":
        return [SEES if q.many else demo_key(q.code) for q in schedule.DEMOGRAPHIC_QUESTIONS]
    raise KeyError(slug)


ALL_FIELDS: tuple[str, ...] = tuple(k for s in SECTIONS for k in section_fields(s.slug))


def section_of(key: str) -> str:
    for s in SECTIONS:
        if key in section_fields(s.slug):
            return s.slug
    raise KeyError(key)


def field_anchor(key: str) -> str:
    """The id of the first control of a field on its page: where error links take the focus."""
    return key.replace(":", "-").replace("_", "-") + "-0"


def question_text(key: str) -> str:
    return schedule.QUESTION_TEXT[key.split(":", 1)[-1]]


def session_values(session: InterviewSession) -> dict[str, Any]:
    """Every field of the session as stored now. Four queries, whatever the number of rows."""
    values: dict[str, Any] = {}
    answers = dict(
        ItemAnswer.objects.filter(session=session).values_list("item", "answer")
    )  # query 1
    for q in schedule.ITEM_QUESTIONS:
        values[answer_key(q.code)] = answers.get(q.code, "")
    for code in schedule.QuoteItem.values:
        values[quotes_key(code)] = []
    # Explicit order: the model's default ("session" first) would join the sessions table.
    quotes = Quote.objects.filter(session=session).order_by("item", "position", "pk")
    for item, text in quotes.values_list("item", "text"):  # query 2
        values[quotes_key(item)].append(text)
    demographics = Demographics.objects.filter(session=session).first()  # query 3
    for q in schedule.ONE_ANSWER_DEMOGRAPHICS:
        values[demo_key(q.code)] = getattr(demographics, q.code) if demographics else ""
    values[SEES] = sorted(
        WeeklyContact.objects.filter(session=session).values_list("code", flat=True)  # 4
    )
    return values


def missing_fields(values: dict[str, Any]) -> list[str]:
    """The field keys that must be answered before a record can be submitted or verified:
    every item and every one-answer demographic (no_answer, prefer_not_to_say and Z count).
    ``sees`` is "tick all that apply", so ticking none is an answer too. The one rule of
    completeness: submit, verify, the review summary and the interviews import all ask it."""
    required = [answer_key(q.code) for q in schedule.ITEM_QUESTIONS] + [
        demo_key(q.code) for q in schedule.ONE_ANSWER_DEMOGRAPHICS
    ]
    return [key for key in required if not values.get(key)]


def resume_step(values: dict[str, Any], *, with_quotes: bool) -> str:
    """Where a draft goes on when reopened: the first section with a question unanswered,
    else "review".

    "What helps" has no required answer, so it counts as unfinished only while it is empty
    and a later section is unfinished too: interviews run in order, so the pair stopped there.
    """
    missing = missing_fields(values)
    first = next((s.slug for s in SECTIONS if any(section_of(k) == s.slug for k in missing)), None)
    if first is None:
        return "review"
    if first == "about" and with_quotes:
        helps = section_fields("helps")
        if not any(values[key] for key in helps):
            return "helps"
    return first


def choice_label(key: str, code: str) -> str:
    """The label people read for a stored code of a field."""
    kind, question = parse_field_key(key)
    if kind == ANSWER:
        return schedule.Answer(code).label
    if kind in (DEMO, SEES) and question in schedule.DEMOGRAPHIC_CHOICES:
        return schedule.DEMOGRAPHIC_CHOICES[question](code).label
    return code


def display_value(key: str, value: Any) -> str:
    """A stored value as words, for summaries and conflict messages."""
    if is_quotes_key(key):
        return " / ".join(value) if value else "(no quotes)"
    if key == SEES:
        return ", ".join(choice_label(key, code) for code in value) if value else "(none ticked)"
    return choice_label(key, value) if value else "(not answered)"


@dataclass
class InterviewGroups:
    """An interviewer's sessions as their home page groups them."""

    in_progress: list[InterviewSession] = field(default_factory=list)
    to_verify: list[InterviewSession] = field(default_factory=list)
    returned: list[InterviewSession] = field(default_factory=list)
    waiting: list[InterviewSession] = field(default_factory=list)
    verified: list[InterviewSession] = field(default_factory=list)

    def as_list(self) -> list[tuple[str, str, list[InterviewSession]]]:
        return [
            ("returned", "Returned to me", self.returned),
            ("to-verify", "Waiting for my verification", self.to_verify),
            ("in-progress", "In progress", self.in_progress),
            ("waiting", "Waiting for my partner", self.waiting),
            ("verified", "Verified", self.verified),
        ]


def my_interview_groups(user) -> InterviewGroups:
    """One query, grouped here: the grouping depends on who is looking."""
    groups = InterviewGroups()
    sessions = (
        InterviewSession.objects.for_interviewer(user)
        .not_withdrawn()
        .select_related("site", "interviewer_1", "interviewer_2")
    )
    Status = InterviewSession.Status
    for s in sessions:
        mine = s.submitted_by_id == user.pk
        if s.status == Status.VERIFIED:
            groups.verified.append(s)
        elif s.status == Status.SUBMITTED:
            (groups.waiting if mine else groups.to_verify).append(s)
        elif s.return_note and s.submitted_by_id:
            # Sent back by the partner (or reopened by a coordinator): the submitter acts.
            (groups.returned if mine else groups.waiting).append(s)
        else:
            groups.in_progress.append(s)
    return groups


def quotes_with_identifiers() -> list[tuple[int, list[str]]]:
    """(quote pk, what it may contain) for every stored quote that may hold an identifier,
    newest change first: the coordinators' review list.

    The database narrows the rows with one regular expression (the same text works in SQLite
    and PostgreSQL); Python then drops its false alarms, such as ten digits that fail the NHS
    number's check digit. One query, reading only the candidates' pk and text.
    """
    candidates = (
        Quote.objects.filter(text__regex=privacy.ANY_IDENTIFIER, session__withdrawal__isnull=True)
        .order_by("-updated_at", "-pk")
        .values_list("pk", "text")
    )
    return [(pk, found) for pk, text in candidates if (found := privacy.identifier_warnings(text))]


def interviewer_accounts():
    """The active accounts that may run interviews (and be chosen as a partner or named in an
    import); superusers are not interviewers unless given the role."""
    return get_user_model().objects.with_perm(
        permissions.ENTER_INTERVIEWS, include_superusers=False, backend=PERMISSIONS_BACKEND
    )
