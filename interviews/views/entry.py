"""Entering an interview: where a session continues, the schedule's sections, and autosave."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from interviews.models import InterviewSession
from interviews.schedules import Schedule, ScheduleSection, schedule_of
from interviews.selectors import (
    TICKS,
    display_value,
    field_anchor,
    is_quotes_key,
    parse_field_key,
    question_text,
    quotes_key,
    resume_step,
    section_fields,
    section_named,
    session_values,
)
from interviews.services import sessions as services
from interviews.services.consent_gate import quotes_allowed
from interviews.services.refusals import Refused
from interviews.views.access import (
    _consent_step,
    _problem,
    _record_access,
    get_session_for_interviewer,
    refused,
)
from interviews.views.presenter import (
    REVIEW,
    _privacy_list,
    _quote_warnings,
    _section_questions,
    _step_context,
    nothing_recorded_without_quotes,
)
from ufm.json_input import json_parse
from ufm.middleware import nul_characters_dropped


@require_GET
def session(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a session continues: consent first, then the schedule, the check or the summary."""
    interview = get_session_for_interviewer(request, pk)
    if interview.status == InterviewSession.Status.SUBMITTED and (
        interview.submitted_by_id != request.user.pk
    ):
        return redirect("interviews:check", pk=interview.pk)
    if interview.status != InterviewSession.Status.DRAFT:
        return redirect("interviews:review", pk=interview.pk)
    detour = _consent_step(request, interview)
    if detour:
        return detour
    # Pick up where the pair left off (on this device or the other one).
    schedule = schedule_of(interview.evaluation)
    values = session_values(interview)
    step = resume_step(schedule, values, with_quotes=quotes_allowed(interview))
    if step == REVIEW:
        return redirect("interviews:review", pk=interview.pk)
    return redirect("interviews:section", pk=interview.pk, slug=step)


def _read_section(
    post, schedule: Schedule, section: ScheduleSection, *, with_quotes: bool
) -> dict[str, Any]:
    """The section's values as posted (the same shapes autosave sends)."""
    values: dict[str, Any] = {}
    for key in section_fields(schedule, section, with_quotes=with_quotes):
        if is_quotes_key(key) or parse_field_key(key)[0] == TICKS:
            values[key] = post.getlist(key)
        else:
            values[key] = post.get(key, "")
    return values


def _render_section(
    request: HttpRequest,
    session: InterviewSession,
    section: ScheduleSection,
    *,
    values: dict[str, Any],
    stored: dict[str, Any],
    with_quotes: bool,
    add: str | None = None,
    errors: dict | None = None,
    conflicts: list | None = None,
    check_quotes: bool = False,
    status: int = 200,
) -> HttpResponse:
    errors = errors or {}
    schedule = schedule_of(session.evaluation)
    keys = section_fields(schedule, section, with_quotes=with_quotes)
    error_list = [
        {"anchor": field_anchor(key), "message": message}
        for key in keys
        for message in errors.get(key, [])
    ] + [{"anchor": "", "message": m} for m in errors.get("__all__", [])]
    questions = _section_questions(section, values, with_quotes=with_quotes, add=add, errors=errors)
    context = {
        "session": session,
        "slug": section.code,
        "title": section.title,
        "questions": questions,
        # After a no-JavaScript save of such a quote: the same warnings, gathered at the top.
        "privacy_list": _privacy_list(questions) if check_quotes and not error_list else [],
        "nothing_recorded": nothing_recorded_without_quotes(schedule, section),
        "with_quotes": with_quotes,
        "error_list": error_list,
        "conflicts": [
            {
                **c,
                "question": question_text(schedule, c["field"]),
                "anchor": field_anchor(c["field"]),
                "yours_display": display_value(schedule, c["field"], c["yours"]),
                "theirs_display": display_value(schedule, c["field"], c["theirs"]),
            }
            for c in conflicts or []
        ],
        # The values this page was drawn from: a post changes only what the person changed.
        "original": json.dumps({key: stored[key] for key in keys}),
        "max_quote_length": services.MAX_QUOTE_LENGTH,
        **_step_context(schedule, section.code),
    }
    return render(request, "interviews/section.html", context, status=status)


def _post_target(session: InterviewSession, schedule: Schedule, slug: str, post) -> str:
    """Where a section's buttons lead once the page is saved."""
    url = reverse("interviews:section", args=[session.pk, slug])
    if post.get("add_quote"):
        code = post["add_quote"]
        # No fragment: browsers skip autofocus (the new box) when the address has one.
        return f"{url}?add={code}"
    if post.get("remove_quote"):
        code = post["remove_quote"].rpartition(":")[0]
        return f"{url}#{field_anchor(quotes_key(code))[:-2]}-heading"
    go = post.get("go")
    steps = _step_context(schedule, slug)
    if go == "back" and steps["previous_step"]:
        return reverse("interviews:section", args=[session.pk, steps["previous_step"].slug])
    if go == "next":
        nxt = steps["next_step"]
        if nxt.slug == REVIEW:
            return reverse("interviews:review", args=[session.pk])
        return reverse("interviews:section", args=[session.pk, nxt.slug])
    return url


def _remove_posted_quote(post, values: dict[str, Any]) -> None:
    """The no-JavaScript "Remove" button: drop that box from what was posted."""
    code, _, index = post.get("remove_quote", "").rpartition(":")
    key = quotes_key(code)
    if key in values and index.isdigit() and int(index) < len(values[key]):
        del values[key][int(index)]


def _changes(
    schedule: Schedule, values: dict[str, Any], original: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Only what the person changed on this page, with what they were looking at as "old",
    so a page post never undoes the partner's saves to other questions."""
    changes = {}
    for key, new in values.items():
        old = original.get(key)
        normalise = services.normalise_value
        if normalise(schedule, key, new) != normalise(schedule, key, old):
            changes[key] = {"old": old, "new": new}
    return changes


@nul_characters_dropped  # pasted words are kept: quote_text.one_line drops the NUL
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """One section of the schedule. Every button saves first, so nothing is lost."""
    interview = get_session_for_interviewer(request, pk)
    schedule = schedule_of(interview.evaluation)
    try:
        page = section_named(schedule, slug)
    except KeyError:
        raise Http404("No such section.") from None
    if interview.status != InterviewSession.Status.DRAFT:
        if request.method == "GET":
            return redirect("interviews:session", pk=interview.pk)
        try:
            services.draft_require(interview)
        except Refused as error:
            return refused(request, error, session=interview)
    detour = _consent_step(request, interview)
    if detour:
        return detour
    with_quotes = quotes_allowed(interview)
    if request.method == "GET":
        _record_access(request, interview)
        stored = session_values(interview)
        return _render_section(
            request,
            interview,
            page,
            values=stored,
            stored=stored,
            with_quotes=with_quotes,
            add=request.GET.get("add"),
            check_quotes=request.GET.get("check") == "quotes",
        )

    try:
        post = request.POST
        values = _read_section(post, schedule, page, with_quotes=with_quotes)
        original = json_parse(post.get("original", ""))
        version = int(post.get("version", ""))
        if not isinstance(original, dict):
            raise ValueError
    except (RequestDataTooBig, TooManyFieldsSent):
        return _problem(request, TOO_BIG, status=400, session=interview)
    except ValueError:
        return _problem(request, OUT_OF_DATE, status=400, session=interview)
    _remove_posted_quote(post, values)
    try:
        changes = _changes(schedule, values, original)
        result = services.answers_save(
            session=interview, user=request.user, version=version, changes=changes
        )
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        stored = session_values(interview)
        return _render_section(
            request,
            interview,
            page,
            values=values,
            stored={**stored, **{k: original.get(k, stored[k]) for k in values}},
            with_quotes=with_quotes,
            errors=errors,
            status=400,
        )
    except Refused as error:
        return refused(request, error, session=interview)
    if result.conflicts:
        interview.version = result.version
        return _render_section(
            request,
            interview,
            page,
            values={**session_values(interview), **values},
            stored=session_values(interview),
            with_quotes=with_quotes,
            conflicts=result.conflicts,
            status=409,
        )
    if _quote_warnings(schedule, changes):
        # Saved, but the page comes back once with the warnings at the top, so that the
        # interviewer sees them before moving on; going on again is not stopped.
        query = {"check": "quotes", **({"add": post["add_quote"]} if post.get("add_quote") else {})}
        return redirect(
            reverse("interviews:section", args=[interview.pk, slug]) + "?" + urlencode(query)
        )
    return redirect(_post_target(interview, schedule, slug, post))


TOO_BIG = (
    "That was too much to save in one go. Go back, split the longest quotes into "
    "several boxes with 'Add another quote', and save again."
)


OUT_OF_DATE = "This page was out of date. Open the interview again from My interviews."
