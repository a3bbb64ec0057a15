"""Reads for the interviewers' pages (HackSoft's selectors): what a session holds, field by field,
and how an interviewer's sessions are grouped on their home page.

A session's content is addressed by *field keys*, the same on the pages, in autosave, in the
completeness check and in imports, made from its evaluation's schedule (``interviews.schedules``):

- ``answer:<code>``: the coded answer to a ``select_one`` question of a schedule part (an item),
  "" when not answered;
- ``demo:<code>``: the coded answer to a ``select_one`` question of a demographics part;
- ``ticks:<code>``: the ticks of a ``select_multiple`` question, a sorted list of codes;
- ``quotes:<code>``: the participant's words for a question that takes quotes, an ordered list.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from interviews import permissions, privacy
from interviews.models import Answer, InterviewSession, Quote, Tick
from interviews.schedules import Schedule, ScheduleQuestion, ScheduleSection, schedule_of
from interviews.workbooks.design import SectionPart
from ufm.roles import PERMISSIONS_BACKEND

# The kinds of field key.
ANSWER, DEMO, TICKS, QUOTES = "answer", "demo", "ticks", "quotes"


def field_key(kind: str, code: str) -> str:
    """The key of a field: its kind and the code of its question."""
    return f"{kind}:{code}"


def parse_field_key(key: str) -> tuple[str, str]:
    """A field key's (kind, question code): ``quotes:help`` gives ("quotes", "help")."""
    kind, _, code = key.partition(":")
    return kind, code


def is_quotes_key(key: str) -> bool:
    return parse_field_key(key)[0] == QUOTES


def quotes_key(code: str) -> str:
    return field_key(QUOTES, code)


def coded_key(question: ScheduleQuestion) -> str:
    """The key of a select question's coded answer or ticks."""
    if question.many:
        return field_key(TICKS, question.code)
    return field_key(DEMO if question.part == SectionPart.DEMOGRAPHICS else ANSWER, question.code)


def question_keys(question: ScheduleQuestion, *, with_quotes: bool = True) -> list[str]:
    """The field keys of one survey row, in page order: its code (a select question), then its
    quotes (one that takes quotes, when quotes may be kept). Notes and scores have none."""
    keys = [coded_key(question)] if question.is_select else []
    if question.takes_quotes and with_quotes:
        keys.append(quotes_key(question.code))
    return keys


def section_fields(
    schedule: Schedule, section: ScheduleSection | str, *, with_quotes: bool = True
) -> list[str]:
    """The field keys a section's page edits, in page order."""
    section = section if isinstance(section, ScheduleSection) else section_named(schedule, section)
    return [k for q in section.questions for k in question_keys(q, with_quotes=with_quotes)]


def section_named(schedule: Schedule, code: str) -> ScheduleSection:
    for section in schedule.sections:
        if section.code == code:
            return section
    raise KeyError(code)


def all_fields(schedule: Schedule) -> list[str]:
    """Every field key of the schedule, in survey order."""
    return [k for section in schedule.sections for k in section_fields(schedule, section)]


def question_of(schedule: Schedule, key: str) -> ScheduleQuestion:
    """The question a field key is of (KeyError for a key of no question)."""
    question = schedule.question(parse_field_key(key)[1])
    if question is None or key not in question_keys(question):
        raise KeyError(key)
    return question


def section_of(schedule: Schedule, key: str) -> str:
    return question_of(schedule, key).section


def field_anchor(key: str) -> str:
    """The id of the first control of a field on its page: where error links take the focus."""
    return key.replace(":", "-").replace("_", "-") + "-0"


def question_text(schedule: Schedule, key: str) -> str:
    return question_of(schedule, key).label


def session_values(
    session: InterviewSession, keys: Collection[str] | None = None
) -> dict[str, Any]:
    """Every field of the session as stored now, or only the fields ``keys`` names (autosave
    reads the one being typed in). Three queries, whatever the number of rows (none more for
    the schedule once it has been read); for ``keys``, one per kind of field among them."""
    schedule = schedule_of(session.evaluation)
    values: dict[str, Any] = {}
    asked: dict[str, set[int]] = {ANSWER: set(), TICKS: set(), QUOTES: set()}
    for question in schedule.questions:
        for key in question_keys(question):
            if keys is None or key in keys:
                values[key] = [] if (question.many or is_quotes_key(key)) else ""
                kind = parse_field_key(key)[0]
                asked[ANSWER if kind == DEMO else kind].add(question.id)
    everything = keys is None

    def of_asked(rows, kind: str):
        return rows if everything else rows.filter(question_id__in=asked[kind])

    # Explicit orders: the models' defaults ("session" first) would join the sessions table.
    if everything or asked[ANSWER]:
        for question_id, code in of_asked(  # query 1
            Answer.objects.filter(session=session), ANSWER
        ).values_list("question_id", "option__code"):
            values[coded_key(schedule.by_id[question_id])] = code
    if everything or asked[TICKS]:
        ticks = of_asked(Tick.objects.filter(session=session), TICKS).order_by("option__code")
        for question_id, code in ticks.values_list("question_id", "option__code"):  # query 2
            values[coded_key(schedule.by_id[question_id])].append(code)
    if everything or asked[QUOTES]:
        quotes = of_asked(Quote.objects.filter(session=session), QUOTES)
        for question_id, text in quotes.order_by("question_id", "position", "pk").values_list(
            "question_id", "text"
        ):  # query 3
            values[quotes_key(schedule.by_id[question_id].code)].append(text)
    return values


def missing_fields(schedule: Schedule, values: dict[str, Any]) -> list[str]:
    """The field keys that must be answered before a record can be submitted or verified:
    every ``required`` question (an answer such as "Prefer not to answer" counts). A required
    tick-all needs one tick; a required open question one quote. The one rule of
    completeness: submit, verify, the review summary and the interviews import all ask it."""
    required = [question_keys(question)[0] for question in schedule.required]
    return [key for key in required if not values.get(key)]


def resume_step(schedule: Schedule, values: dict[str, Any], *, with_quotes: bool) -> str:
    """Where a draft goes on when reopened: the first section with a question unanswered,
    else "review".

    A section with nothing required (such as open questions only) counts as unfinished only
    while it is empty and a later section is unfinished too: interviews run in order, so the
    pair stopped there."""
    missing = set(missing_fields(schedule, values))
    for place, section in enumerate(schedule.sections):
        keys = section_fields(schedule, section, with_quotes=with_quotes)
        if missing.intersection(keys):
            return section.code
        later = {k for s in schedule.sections[place + 1 :] for k in section_fields(schedule, s)}
        nothing_required = not any(q.required for q in section.questions)
        empty = keys and not any(values.get(k) for k in keys)
        if empty and nothing_required and missing.intersection(later):
            return section.code
    return "review"


def choice_label(schedule: Schedule, key: str, code: str) -> str:
    """The label people read for a stored code of a field."""
    question = schedule.question(parse_field_key(key)[1])
    return question.label_of(code) if question else code


def display_value(schedule: Schedule, key: str, value: Any) -> str:
    """A stored value as words, for summaries and conflict messages."""
    if is_quotes_key(key):
        return " / ".join(value) if value else "(no quotes)"
    if isinstance(value, list):
        # In the list's order, as the page shows the boxes.
        question = schedule.question(parse_field_key(key)[1])
        place = {o.code: n for n, o in enumerate(question.options)} if question else {}
        ordered = sorted(value, key=lambda code: (place.get(code, len(place)), code))
        labels = ", ".join(choice_label(schedule, key, code) for code in ordered)
        return labels if value else "(none ticked)"
    return choice_label(schedule, key, value) if value else "(not answered)"


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
