"""Checking a record: review and submit, and the partner's check (verify or return)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from interviews.forms import NoteForm
from interviews.models import InterviewSession
from interviews.selectors import missing_fields
from interviews.services import sessions as services
from interviews.services.refusals import Refused
from interviews.views.access import (
    _consent_step,
    _record_access,
    get_session_for_interviewer,
    refused,
)
from interviews.views.presenter import (
    REVIEW,
    _consent_context,
    _missing_links,
    _record_context,
    _step_context,
)
from ufm.people import display_name


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
            # Before submitting, what is missing is listed with links to each question.
            missing_errors = _missing_links(interview, error.missing)
            status = 400
        except Refused as error:
            return refused(request, error, session=interview)
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
    context = _record_context(interview)
    context |= {
        "error_list": missing_errors,
        "missing_count": len(missing_fields(context["schedule"], context["values"])),
        "is_draft": interview.status == InterviewSession.Status.DRAFT,
        "partner": interview.partner_of(request.user),
        **_step_context(context["schedule"], REVIEW),
    }
    return render(request, "interviews/review.html", context, status=status)


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """The partner (never the submitter) reads the whole record and verifies it or returns
    it with a note."""
    interview = get_session_for_interviewer(request, pk)
    if request.method == "GET" and interview.status != InterviewSession.Status.SUBMITTED:
        return redirect("interviews:session", pk=interview.pk)
    try:
        services.checker_require(interview, request.user)
    except Refused as error:
        return refused(request, error, session=interview)
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
        except Refused as error:
            return refused(request, error, session=interview)
    else:
        _record_access(request, interview)
    context = _record_context(interview)
    context |= {
        **_consent_context(interview),
        "note_form": note_form,
        "error_list": [
            {"anchor": "id_note", "message": m} for m in note_form.errors.get("note", [])
        ],
    }
    return render(request, "interviews/check.html", context, status=status)
