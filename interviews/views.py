"""The interviewers' pages: their home, starting a session, the schedule's sections, autosave,
review and submit, the partner's check; and the coordinator's reopen page.

Every page works without JavaScript: Back, Next and the quote buttons are plain form posts
that save first. static/js/autosave.js adds saving as people type.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, RawPostDataException
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from interviews import privacy, schedule
from interviews.forms import NoteForm, StartForm
from interviews.models import InterviewSession, SessionAccess
from interviews.selectors import (
    SECTION_TITLES,
    SECTIONS,
    SEES,
    Section,
    answer_key,
    demo_key,
    display_value,
    field_anchor,
    missing_fields,
    my_interview_groups,
    question_text,
    quotes_key,
    resume_step,
    section_fields,
    section_of,
    session_values,
)
from interviews.services import sessions as services
from interviews.services.consent import ConsentRequired, consent_problem, quotes_allowed
from ufm.json_input import json_parse
from ufm.middleware import nul_characters_dropped
from ufm.people import display_name
from ufm.roles import Role, has_role

STEPS = [*SECTIONS, Section("review", "Check and submit")]


def _require_interviewer(request: HttpRequest) -> None:
    if not has_role(request.user, Role.INTERVIEWER):
        raise PermissionDenied("These pages are for interviewers.")


def get_session_for_interviewer(request: HttpRequest, pk: int) -> InterviewSession:
    """The session if the user is one of its pair; 404 for everyone else's (they do not
    exist for them), 403 for people who are not interviewers at all."""
    _require_interviewer(request)
    return get_object_or_404(
        InterviewSession.objects.for_interviewer(request.user)
        .not_withdrawn()
        .select_related("interviewer_1", "interviewer_2", "submitted_by"),
        pk=pk,
    )


def _record_access(request: HttpRequest, session: InterviewSession) -> None:
    """The access log coordinators audit: one row per page view, one INSERT."""
    SessionAccess.objects.create(session=session, user=request.user, path=request.path[:300])


def _problem(request: HttpRequest, message: str, *, status: int, session=None) -> HttpResponse:
    return render(
        request,
        "interviews/problem.html",
        {"message": message, "session": session},
        status=status,
    )


def _consent_step(request: HttpRequest, session: InterviewSession) -> HttpResponse | None:
    """Where to go instead of the schedule when no answers may be stored yet, else None."""
    if consent_problem(session) is None:
        return None
    # The consent page records consent, or says why this interview cannot go on.
    return redirect("interviews:consent", pk=session.pk)


@require_GET
def my_interviews(request: HttpRequest) -> HttpResponse:
    """The interviewer's home: the sessions they run with a partner, grouped by what is next."""
    _require_interviewer(request)
    groups = my_interview_groups(request.user)
    return render(request, "interviews/my_interviews.html", {"groups": groups.as_list()})


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Start a session: who, when, where, with whom. Consent comes next."""
    _require_interviewer(request)
    form = StartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_start(
                participant_code=form.cleaned_data["participant_code"],
                interview_date=form.cleaned_data["interview_date"],
                site=form.cleaned_data["site"],
                interviewer=request.user,
                partner=form.cleaned_data["partner"],
            )
        except ValidationError as error:
            for name, messages_ in error.message_dict.items():
                form.add_error(name if name in form.fields else None, messages_)
        else:
            return redirect("interviews:session", pk=session.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "error_list": _form_error_list(form)}
    return render(request, "interviews/start.html", context, status=status)


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
    step = resume_step(session_values(interview), with_quotes=quotes_allowed(interview))
    if step == "review":
        return redirect("interviews:review", pk=interview.pk)
    return redirect("interviews:section", pk=interview.pk, slug=step)


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
        if not key.startswith("quotes:"):
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


def _read_section(post, slug: str, *, with_quotes: bool) -> dict[str, Any]:
    """The section's values as posted (the same shapes autosave sends)."""
    values: dict[str, Any] = {}
    for key in section_fields(slug, with_quotes=with_quotes):
        if key.startswith("quotes:") or key == SEES:
            values[key] = post.getlist(key)
        else:
            values[key] = post.get(key, "")
    return values


def _render_section(
    request: HttpRequest,
    session: InterviewSession,
    slug: str,
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
    keys = section_fields(slug, with_quotes=with_quotes)
    error_list = [
        {"anchor": field_anchor(key), "message": message}
        for key in keys
        for message in errors.get(key, [])
    ] + [{"anchor": "", "message": m} for m in errors.get("__all__", [])]
    questions = _section_questions(slug, values, with_quotes=with_quotes, add=add, errors=errors)
    context = {
        "session": session,
        "slug": slug,
        "title": SECTION_TITLES[slug],
        "questions": questions,
        # After a no-JavaScript save of such a quote: the same warnings, gathered at the top.
        "privacy_list": _privacy_list(questions) if check_quotes and not error_list else [],
        "items_prompt": schedule.ITEMS_PROMPT if slug == "feel" else "",
        "with_quotes": with_quotes,
        "error_list": error_list,
        "conflicts": [
            {
                **c,
                "question": question_text(c["field"]),
                "anchor": field_anchor(c["field"]),
                "yours_display": display_value(c["field"], c["yours"]),
                "theirs_display": display_value(c["field"], c["theirs"]),
            }
            for c in conflicts or []
        ],
        # The values this page was drawn from: a post changes only what the person changed.
        "original": json.dumps({key: stored[key] for key in keys}),
        "max_quote_length": services.MAX_QUOTE_LENGTH,
        **_step_context(slug),
    }
    return render(request, "interviews/section.html", context, status=status)


def _post_target(session: InterviewSession, slug: str, post) -> str:
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
    steps = _step_context(slug)
    if go == "back" and steps["previous_step"]:
        return reverse("interviews:section", args=[session.pk, steps["previous_step"].slug])
    if go == "next":
        nxt = steps["next_step"]
        if nxt.slug == "review":
            return reverse("interviews:review", args=[session.pk])
        return reverse("interviews:section", args=[session.pk, nxt.slug])
    return url


def _remove_posted_quote(post, values: dict[str, Any]) -> None:
    """The no-JavaScript "Remove" button: drop that box from what was posted."""
    code, _, index = post.get("remove_quote", "").rpartition(":")
    key = quotes_key(code)
    if key in values and index.isdigit() and int(index) < len(values[key]):
        del values[key][int(index)]


def _changes(values: dict[str, Any], original: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Only what the person changed on this page, with what they were looking at as "old",
    so a page post never undoes the partner's saves to other questions."""
    changes = {}
    for key, new in values.items():
        old = original.get(key)
        if services.normalise_value(key, new) != services.normalise_value(key, old):
            changes[key] = {"old": old, "new": new}
    return changes


@nul_characters_dropped  # pasted words are kept: schedule.quote_lines drops the NUL
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """One section of the schedule. Every button saves first, so nothing is lost."""
    if slug not in SECTION_TITLES:
        raise Http404("No such section.")
    interview = get_session_for_interviewer(request, pk)
    if interview.status != InterviewSession.Status.DRAFT:
        if request.method == "POST":
            return _locked_problem(request, interview)
        return redirect("interviews:session", pk=interview.pk)
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
            slug,
            values=stored,
            stored=stored,
            with_quotes=with_quotes,
            add=request.GET.get("add"),
            check_quotes=request.GET.get("check") == "quotes",
        )

    try:
        post = request.POST
        values = _read_section(post, slug, with_quotes=with_quotes)
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
        changes = _changes(values, original)
        result = services.answers_save(
            session=interview, user=request.user, version=version, changes=changes
        )
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        stored = session_values(interview)
        return _render_section(
            request,
            interview,
            slug,
            values=values,
            stored={**stored, **{k: original.get(k, stored[k]) for k in values}},
            with_quotes=with_quotes,
            errors=errors,
            status=400,
        )
    except services.SessionLocked:
        return _locked_problem(request, interview)
    except ConsentRequired as error:
        return _problem(request, error.message, status=409, session=interview)
    except PermissionDenied as error:
        return _problem(request, str(error), status=403, session=interview)
    if result.conflicts:
        interview.version = result.version
        return _render_section(
            request,
            interview,
            slug,
            values={**session_values(interview), **values},
            stored=session_values(interview),
            with_quotes=with_quotes,
            conflicts=result.conflicts,
            status=409,
        )
    if _quote_warnings(changes):
        # Saved, but the page comes back once with the warnings at the top, so that the
        # interviewer sees them before moving on; going on again is not stopped.
        query = {"check": "quotes", **({"add": post["add_quote"]} if post.get("add_quote") else {})}
        return redirect(
            reverse("interviews:section", args=[interview.pk, slug]) + "?" + urlencode(query)
        )
    return redirect(_post_target(interview, slug, post))


TOO_BIG = (
    "That was too much to save in one go. Go back, split the longest quotes into "
    "several boxes with 'Add another quote', and save again."
)
OUT_OF_DATE = "This page was out of date. Open the interview again from My interviews."


def _locked_problem(request: HttpRequest, interview: InterviewSession) -> HttpResponse:
    try:
        services._require_draft(interview)
    except services.SessionLocked as error:
        return _problem(request, error.message, status=409, session=interview)
    return _problem(request, "This record cannot be changed now.", status=409, session=interview)


def _json_error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Save changes as people type: {"version": n, "changes": {field: {"old", "new"}}}.

    Answers {"version", "saved_at", "saved_at_display", "applied", "conflicts", "warnings"};
    ``warnings`` is {quote field: [warning or null, one per saved quote]} for quotes that may
    identify someone: they are saved, and the page asks the interviewer to check them. Errors are
    {"error": message} with 400 (not understood or too big), 403, 404 or 409 (locked, or no
    consent). Nothing is written unless every change is valid.
    """
    try:
        interview = get_session_for_interviewer(request, pk)
    except PermissionDenied as error:
        return _json_error(str(error), 403)
    except Http404:
        return _json_error("There is no such interview, or it is not one of yours.", 404)
    try:
        payload = json_parse(request.body)
        version = payload["version"]
        changes = payload["changes"]
        if not isinstance(version, int) or not isinstance(changes, dict):
            raise ValueError
    except RequestDataTooBig:
        return _json_error(TOO_BIG, 400)
    except (ValueError, KeyError, TypeError, RawPostDataException):
        # RawPostDataException: a form post, already read as a form by the CSRF check.
        return _json_error("The save was not understood. Reload the page and try again.", 400)
    try:
        result = services.answers_save(
            session=interview, user=request.user, version=version, changes=changes
        )
    except ValidationError as error:
        messages_ = (
            [m for ms in error.message_dict.values() for m in ms]
            if hasattr(error, "error_dict")
            else error.messages
        )
        return _json_error(" ".join(messages_), 400)
    except services.SessionLocked as error:
        return _json_error(error.message, 409, locked=True)
    except ConsentRequired as error:
        return _json_error(error.message, 409)
    except PermissionDenied as error:
        return _json_error(str(error), 403)
    conflicted = {c["field"] for c in result.conflicts}
    return JsonResponse(
        {
            "version": result.version,
            "saved_at": result.saved_at.isoformat(),
            "saved_at_display": timezone.localtime(result.saved_at).strftime("%H:%M"),
            "applied": result.applied,
            "conflicts": [
                {
                    **c,
                    "question": question_text(c["field"]),
                    "yours_display": display_value(c["field"], c["yours"]),
                    "theirs_display": display_value(c["field"], c["theirs"]),
                }
                for c in result.conflicts
            ],
            "warnings": _quote_warnings({k: v for k, v in changes.items() if k not in conflicted}),
        }
    )


def _summary(session: InterviewSession, values: dict[str, Any], with_quotes: bool) -> list:
    """The whole record, section by section, as people read it."""
    summary = []
    for s in SECTIONS:
        rows = []
        for key in section_fields(s.slug, with_quotes=with_quotes):
            value = values[key]
            if key.startswith("quotes:"):
                rows.append({"key": key, "is_quotes": True, "quotes": value})
                continue
            rows.append(
                {
                    "key": key,
                    "question": question_text(key),
                    "answer": display_value(key, value),
                    "missing": not value and key != SEES,
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


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole record before submitting it for checking (and, once submitted or verified,
    the read-only summary for the pair)."""
    interview = get_session_for_interviewer(request, pk)
    detour = _consent_step(request, interview)
    if detour:
        return detour
    missing_errors: list[dict[str, str]] = []
    status = 200
    if request.method == "POST":
        try:
            services.session_submit(session=interview, user=request.user)
        except services.Incomplete as error:
            missing_errors = _missing_links(interview, error.missing)
            status = 400
        except services.SessionLocked:
            return _locked_problem(request, interview)
        except ConsentRequired as error:
            return _problem(request, error.message, status=409, session=interview)
        else:
            partner = interview.partner_of(request.user)
            messages.success(
                request,
                f"Sent to {display_name(partner)} for checking. "
                "You will see it under 'Waiting for my partner' until they verify it.",
            )
            return redirect("interviews:my_interviews")
    else:
        _record_access(request, interview)
    with_quotes = quotes_allowed(interview)
    values = session_values(interview)
    context = {
        "session": interview,
        "summary": _summary(interview, values, with_quotes),
        "with_quotes": with_quotes,
        "error_list": missing_errors,
        "missing_count": len(missing_fields(values)),
        "is_draft": interview.status == InterviewSession.Status.DRAFT,
        "partner": interview.partner_of(request.user),
        **_step_context("review"),
    }
    return render(request, "interviews/review.html", context, status=status)


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """The partner (never the submitter) reads the whole record and verifies it or returns
    it with a note."""
    interview = get_session_for_interviewer(request, pk)
    if interview.status != InterviewSession.Status.SUBMITTED:
        if request.method == "POST":
            return _problem(
                request, "This record is not waiting for checking.", status=409, session=interview
            )
        return redirect("interviews:session", pk=interview.pk)
    if interview.submitted_by_id == request.user.pk:
        return _problem(
            request,
            "You submitted this record, so your partner checks it: a second pair of eyes.",
            status=403,
            session=interview,
        )
    note_form = NoteForm(
        request.POST if request.POST.get("action") == "return" else None,
        label="What needs correcting?",
        button="Return it to " + display_name(interview.submitted_by),
        required_message="Write what needs correcting, so your partner knows what to change.",
    )
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "verify":
                services.session_verify(session=interview, user=request.user)
                messages.success(request, f"{interview.participant_code} is verified. Thank you.")
                return redirect("interviews:my_interviews")
            if request.POST.get("action") == "return" and note_form.is_valid():
                services.session_return(
                    session=interview, user=request.user, note=note_form.cleaned_data["note"]
                )
                messages.success(
                    request,
                    f"{interview.participant_code} is returned to "
                    f"{display_name(interview.submitted_by)} with your note.",
                )
                return redirect("interviews:my_interviews")
            status = 400
        except ValidationError as error:
            for message in error.messages:
                note_form.add_error("note", message)
            status = 400
        except services.Incomplete:
            return _problem(
                request,
                "Some questions are not answered, so this record cannot be verified. "
                "Return it with a note.",
                status=409,
                session=interview,
            )
        except (services.SessionLocked, ConsentRequired) as error:
            return _problem(request, error.message, status=409, session=interview)
    else:
        _record_access(request, interview)
    with_quotes = quotes_allowed(interview)
    values = session_values(interview)
    context = {
        "session": interview,
        "summary": _summary(interview, values, with_quotes),
        "with_quotes": with_quotes,
        "note_form": note_form,
        "error_list": [
            {"anchor": "id_note", "message": m} for m in note_form.errors.get("note", [])
        ],
    }
    return render(request, "interviews/check.html", context, status=status)


@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator reopens a verified record with a reason, recorded as an event."""
    if not has_role(request.user, Role.COORDINATOR):
        raise PermissionDenied("Only a coordinator can reopen a verified record.")
    interview = get_object_or_404(InterviewSession.objects.not_withdrawn(), pk=pk)
    if interview.status != InterviewSession.Status.VERIFIED:
        return _problem(
            request, "Only a verified record can be reopened.", status=409, session=None
        )
    form = NoteForm(
        request.POST or None,
        label="Why is this record being reopened?",
        button="Reopen the record",
        required_message="Write why the record is being reopened; the interviewers will see it.",
    )
    if request.method == "POST" and form.is_valid():
        services.session_reopen(
            session=interview, user=request.user, reason=form.cleaned_data["note"]
        )
        messages.success(
            request,
            f"{interview.participant_code} is reopened. The interviewers see your reason.",
        )
        return redirect("admin:interviews_interviewsession_change", interview.pk)
    context = {
        "session": interview,
        "form": form,
        "error_list": _form_error_list(form),
    }
    return render(request, "interviews/reopen.html", context, status=400 if form.errors else 200)
