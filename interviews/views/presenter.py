"""Template-data builders: steps, questions, quote boxes, warnings, summaries, error links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Prefetch
from django.urls import reverse

from interviews import privacy
from interviews.models import ConsentRecord, ConsentResponse, InterviewSession
from interviews.schedules import Schedule, ScheduleQuestion, ScheduleSection, schedule_of
from interviews.selectors import (
    display_value,
    field_anchor,
    is_quotes_key,
    missing_fields,
    question_keys,
    question_text,
    quotes_key,
    section_fields,
    section_named,
    section_of,
    session_values,
)
from interviews.services import sessions as services
from interviews.services.consent_gate import quotes_allowed
from interviews.workbooks.design import QuestionKind

REVIEW = "review"


@dataclass(frozen=True)
class Step:
    """One step of an interview's pages: a section of its schedule, or "Check and submit"."""

    slug: str
    title: str


def entry_steps(schedule: Schedule) -> list[Step]:
    """The evaluation's sections in survey order, then the review."""
    return [*(Step(s.code, s.title) for s in schedule.sections), Step(REVIEW, "Check and submit")]


def _form_error_list(form) -> list[dict[str, str]]:
    """The error summary's links: to the field, or to the first radio of a group."""
    errors = []
    for name, messages_ in form.errors.items():
        field = form.fields.get(name)
        if field is None:
            errors += [{"anchor": "", "message": m} for m in messages_]
            continue
        anchor = form[name].auto_id
        if isinstance(field.widget, forms.RadioSelect):
            anchor += "_0"
        errors += [{"anchor": anchor, "message": m} for m in messages_]
    return errors


def _step_context(schedule: Schedule, slug: str) -> dict[str, Any]:
    steps = entry_steps(schedule)
    index = next(i for i, s in enumerate(steps) if s.slug == slug)
    return {
        "steps": steps,
        "step_number": index + 1,
        "step_count": len(steps),
        "current_step": steps[index],
        "previous_step": steps[index - 1] if index else None,
        "next_step": steps[index + 1] if index + 1 < len(steps) else None,
    }


def _choices(key: str, question: ScheduleQuestion, value) -> list[dict[str, Any]]:
    chosen = set(value) if isinstance(value, list) else {value}
    base = field_anchor(key)[: -len("-0")]
    return [
        {"id": f"{base}-{i}", "value": o.code, "label": o.label, "checked": o.code in chosen}
        for i, o in enumerate(question.options)
    ]


def _quote_boxes(key: str, texts: list[str], extra: bool) -> list[dict[str, Any]]:
    texts = list(texts) or [""]
    if extra:
        texts.append("")
    base = field_anchor(key)[: -len("-0")]
    boxes = []
    for i, t in enumerate(texts):
        found = privacy.identifier_warnings(t)
        boxes.append(
            {
                "id": f"{base}-{i}",
                "number": i + 1,
                "text": t,
                # The box added by the no-JavaScript "Add another quote" takes the focus.
                "autofocus": extra and i == len(texts) - 1,
                "may_contain": privacy.describe(found) if found else "",
                "warning": privacy.message_for(found),
            }
        )
    return boxes


def _quote_warnings(
    schedule: Schedule, changes: dict[str, dict[str, Any]]
) -> dict[str, list[str | None]]:
    """The privacy guard for saved quotes: {field: [warning or None, one per quote]} for the
    quote fields in ``changes`` holding something that may identify someone. The words are
    saved all the same (losing them would be worse); the page asks the interviewer to check."""
    warnings = {}
    for key, change in changes.items():
        if not is_quotes_key(key):
            continue
        texts = services.normalise_value(schedule, key, change["new"])
        messages_ = [privacy.warning_message(text) for text in texts]
        if any(messages_):
            warnings[key] = messages_
    return warnings


def _privacy_list(questions: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The warning summary's links, one per quote on the page that may identify someone."""
    found = []
    for question in questions:
        quotes = question.get("quotes")
        for box in quotes["boxes"] if quotes else []:
            if box["may_contain"]:
                found.append(
                    {
                        "anchor": box["id"],
                        "message": f"Quote {box['number']} for '{question['text']}' "
                        f"may contain {box['may_contain']}",
                    }
                )
    return found


def _section_questions(
    section: ScheduleSection,
    values: dict[str, Any],
    *,
    with_quotes: bool,
    add: str | None,
    errors: dict,
) -> list[dict[str, Any]]:
    """What the section template draws, row by row in survey order: the notes as words read
    out, the select questions as radios (one answer) or checkboxes (tick all), their quote
    boxes where quotes may be kept, and the open questions as quote boxes only."""
    rows: list[dict[str, Any]] = []
    for q in section.questions:
        if q.kind == QuestionKind.NOTE:
            rows.append({"kind": "note", "text": q.label, "hint": q.hint})
            continue
        if q.is_score:
            continue  # derived, never asked
        quotes = None
        if q.takes_quotes and with_quotes:
            key = quotes_key(q.code)
            quotes = {
                "key": key,
                "code": q.code,
                "anchor": field_anchor(key),
                "boxes": _quote_boxes(key, values.get(key, []), add == q.code),
                "errors": errors.get(key, []),
            }
        if q.is_select:
            key = question_keys(q)[0]
            empty = [] if q.many else ""
            row = {
                "key": key,
                "kind": "checkbox" if q.many else "radio",
                "options": _choices(key, q, values.get(key, empty)),
                "errors": errors.get(key, []),
            }
        else:
            row = {"key": quotes_key(q.code), "kind": "open"}
        rows.append({**row, "text": q.label, "hint": q.hint, "quotes": quotes})
    # Where quotes may not be kept, the page says so once, just before the first question
    # (after the words read out first, such as the items' prompt).
    first = next((row for row in rows if row["kind"] != "note"), None)
    if first is not None:
        first["no_quotes_notice"] = not with_quotes and any(
            q.takes_quotes for q in section.questions
        )
    return rows


def nothing_recorded_without_quotes(schedule: Schedule, section: ScheduleSection) -> bool:
    """A section of open questions only: without quote consent its page records nothing."""
    return any(q.takes_quotes for q in section.questions) and not section_fields(
        schedule, section, with_quotes=False
    )


def _record_context(session: InterviewSession) -> dict[str, Any]:
    """What the review and the partner's check pages both show: the whole record, with the
    participant's words only where quote consent allows them."""
    schedule = schedule_of(session.evaluation)
    with_quotes = quotes_allowed(session)
    values = session_values(session)
    return {
        "session": session,
        "schedule": schedule,
        "values": values,
        "summary": _summary(schedule, values, with_quotes),
        "with_quotes": with_quotes,
    }


def _consent_record(session: InterviewSession) -> ConsentRecord | None:
    """The session's consent record with what its page shows, in two queries (or None)."""
    return (
        ConsentRecord.objects.filter(session=session)
        .select_related("form_version", "recorded_by", "witness")
        .prefetch_related(
            Prefetch("responses", queryset=ConsentResponse.objects.select_related("statement"))
        )
        .first()
    )


def _consent_responses(record: ConsentRecord) -> list[ConsentResponse]:
    """The participant's answers in the order the statements were read out."""
    return sorted(record.responses.all(), key=lambda r: (r.statement.order, r.statement.pk))


def _consent_context(session: InterviewSession) -> dict[str, Any]:
    """The consent as recorded, for the partner's check: the second pair of eyes checks it too."""
    record = _consent_record(session)
    return {"record": record, "responses": _consent_responses(record) if record else []}


def _summary(schedule: Schedule, values: dict[str, Any], with_quotes: bool) -> list:
    """The whole record, section by section, as people read it."""
    summary = []
    # What the record lacks is the submit and verify rule's, so the page marks the same fields.
    missing = set(missing_fields(schedule, values))
    for section in schedule.sections:
        rows = []
        for key in section_fields(schedule, section, with_quotes=with_quotes):
            value = values[key]
            question = question_text(schedule, key)
            # Every row names its question from the schedule, the words' rows too: two open
            # questions in one section cannot be told apart otherwise.
            if is_quotes_key(key):
                rows.append({"key": key, "is_quotes": True, "question": question, "quotes": value})
                continue
            rows.append(
                {
                    "key": key,
                    "question": question,
                    "answer": display_value(schedule, key, value),
                    "missing": key in missing,
                    "anchor": field_anchor(key),
                }
            )
        summary.append(
            {
                "section": Step(section.code, section.title),
                "rows": rows,
                "nothing_recorded": not with_quotes
                and nothing_recorded_without_quotes(schedule, section),
            }
        )
    return summary


def _missing_links(session: InterviewSession, missing: list[str]) -> list[dict[str, str]]:
    """The review's error summary: each missing required question, linked to its page."""
    schedule = schedule_of(session.evaluation)
    links = []
    for key in missing:
        section = section_named(schedule, section_of(schedule, key))
        links.append(
            {
                "url": reverse("interviews:section", args=[session.pk, section.code]),
                "anchor": field_anchor(key),
                "message": f"Answer '{question_text(schedule, key)}' ({section.title})",
            }
        )
    return links
