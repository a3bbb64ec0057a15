"""Template-data builders: steps, questions, quote boxes, warnings, summaries, error links."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Prefetch
from django.urls import reverse

from interviews import privacy, schedule
from interviews.models import ConsentRecord, ConsentResponse, InterviewSession
from interviews.selectors import (
    display_value,
    field_anchor,
    is_quotes_key,
    missing_fields,
    question_text,
    quotes_key,
    section_fields,
    section_of,
    session_values,
)
from interviews.services import sessions as services
from interviews.services.consent_gate import quotes_allowed

STEPS: list = []  # TODO(entry): the evaluation's sections, then "Check and submit"


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


def _step_context(slug: str) -> dict[str, Any]:
    index = next(i for i, s in enumerate(STEPS) if s.slug == slug)
    return {
        "steps": STEPS,
        "step_number": index + 1,
        "step_count": len(STEPS),
        "current_step": STEPS[index],
        "previous_step": STEPS[index - 1] if index else None,
        "next_step": STEPS[index + 1] if index + 1 < len(STEPS) else None,
    }


def _choices(key: str, choices, value) -> list[dict[str, Any]]:
    chosen = set(value) if isinstance(value, list) else {value}
    base = field_anchor(key)[: -len("-0")]
    return [
        {"id": f"{base}-{i}", "value": code, "label": label, "checked": code in chosen}
        for i, (code, label) in enumerate(choices.choices)
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


def _quote_warnings(changes: dict[str, dict[str, Any]]) -> dict[str, list[str | None]]:
    """The privacy guard for saved quotes: {field: [warning or None, one per quote]} for the
    quote fields in ``changes`` holding something that may identify someone. The words are
    saved all the same (losing them would be worse); the page asks the interviewer to check."""
    warnings = {}
    for key, change in changes.items():
        if not is_quotes_key(key):
            continue
        texts = services.normalise_value(key, change["new"])
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
    slug: str, values: dict[str, Any], *, with_quotes: bool, add: str | None, errors: dict
) -> list[dict[str, Any]]:
    """What the section template draws, question by question."""
    questions: list[dict[str, Any]] = []

    def quotes(code: str) -> dict[str, Any] | None:
        key = quotes_key(code)
        if not with_quotes:
            return None
        return {
            "key": key,
            "code": code,
            "anchor": field_anchor(key),
            "boxes": _quote_boxes(key, values.get(key, []), add == code),
            "errors": errors.get(key, []),
        }

    if slug == "feel":
        for q in schedule.ITEM_QUESTIONS:
            key = answer_key(q.code)
            questions.append(
                {
                    "key": key,
                    "text": q.text,
                    "kind": "radio",
                    "options": _choices(key, q.choices, values.get(key, "")),
                    "errors": errors.get(key, []),
                    "quotes": quotes(q.code),
                }
            )
    elif slug == "helps":
        for q in schedule.OPEN_QUESTIONS:
            questions.append(
                {
                    "key": quotes_key(q.code),
                    "text": q.text,
                    "kind": "open",
                    "quotes": quotes(q.code),
                }
            )
    else:
        for q in schedule.DEMOGRAPHIC_QUESTIONS:
            key = SEES if q.many else demo_key(q.code)
            questions.append(
                {
                    "key": key,
                    "text": q.text,
                    "kind": "checkbox" if q.many else "radio",
                    "options": _choices(key, q.choices, values.get(key, [] if q.many else "")),
                    "errors": errors.get(key, []),
                }
            )
    return questions


def _record_context(session: InterviewSession) -> dict[str, Any]:
    """What the review and the partner's check pages both show: the whole record, with the
    participant's words only where quote consent allows them."""
    with_quotes = quotes_allowed(session)
    values = session_values(session)
    return {
        "session": session,
        "values": values,
        "summary": _summary(session, values, with_quotes),
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


def _summary(session: InterviewSession, values: dict[str, Any], with_quotes: bool) -> list:
    """The whole record, section by section, as people read it."""
    summary = []
    # What the record lacks is the submit and verify rule's, so the page marks the same fields.
    missing = set(missing_fields(values))
    for s in SECTIONS:
        rows = []
        for key in section_fields(s.slug, with_quotes=with_quotes):
            value = values[key]
            # Every row names its question from the schedule, the words' rows too: two open
            # questions in one section cannot be told apart otherwise.
            if is_quotes_key(key):
                rows.append(
                    {"key": key, "is_quotes": True, "question": question_text(key), "quotes": value}
                )
                continue
            rows.append(
                {
                    "key": key,
                    "question": question_text(key),
                    "answer": display_value(key, value),
                    "missing": key in missing,
                    "anchor": field_anchor(key),
                }
            )
        summary.append({"section": s, "rows": rows})
    return summary


def _missing_links(session: InterviewSession, missing: list[str]) -> list[dict[str, str]]:
    return [
        {
            "url": reverse("interviews:section", args=[session.pk, section_of(key)]),
            "anchor": field_anchor(key),
            "message": f"Answer '{question_text(key)}' ({SECTION_TITLES[section_of(key)]})",
        }
        for key in missing
    ]
