"""The consent step: the first thing the interviewer pair does in every session."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from interviews.consent_forms import ConsentForm
from interviews.models import ConsentRecord, InterviewSession
from interviews.services.consent import consent_record
from interviews.services.consent_gate import consent_problem, quotes_allowed
from interviews.services.consent_versions import consent_version_current
from interviews.views.access import get_session_for_interviewer
from interviews.views.presenter import _consent_record, _consent_responses


def _recorded(request: HttpRequest, session: InterviewSession, record: ConsentRecord, status: int):
    """What was recorded, read-only; or, after a required "no", why the interview ends."""
    responses = _consent_responses(record)
    refused = [r.statement for r in responses if r.statement.required and not r.agreed]
    # Every version offered has a quotes statement (consent_version_make_current), so without quote
    # consent the participant said no to it.
    quotes_no = not quotes_allowed(session)
    context = {
        "session": session,
        "record": record,
        "responses": responses,
        "refused": refused,
        "quotes_no": quotes_no,
        "can_continue": not refused and consent_problem(session) is None,
    }
    template = "interviews/consent/ended.html" if refused else "interviews/consent/recorded.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the statements aloud, record each yes or no, the method, the date and the witness.

    Once recorded, the page shows what was recorded and never the form again.
    """
    session = get_session_for_interviewer(request, pk)
    record = _consent_record(session)
    if record is not None:
        # A second POST (the partner's tablet, a double click) changes nothing: 409 says so.
        return _recorded(request, session, record, status=409 if request.method == "POST" else 200)

    version = consent_version_current(session.evaluation)
    if version is None:
        return render(
            request,
            "interviews/consent/no_version.html",
            {"session": session},
            status=409 if request.method == "POST" else 200,
        )

    partner = session.partner_of(request.user)
    if request.method == "POST":
        form = ConsentForm(request.POST, version=version, partner=partner)
        if form.is_valid():
            try:
                consent_record(
                    session=session,
                    recorded_by=request.user,
                    form_version=version,
                    consent_date=form.cleaned_data["consent_date"],
                    method=form.cleaned_data["method"],
                    answers=form.answers(),
                )
            except ValidationError as error:
                # Raced with the partner, a withdrawal or a new form version: nothing saved.
                for message in error.messages:
                    form.add_error(None, message)
                return _form(request, session, form, partner, status=409)
            if consent_problem(session) is not None:
                return redirect("interviews:consent", pk=session.pk)
            return redirect(session.get_absolute_url())
        return _form(request, session, form, partner, status=400)
    form = ConsentForm(version=version, partner=partner)
    return _form(request, session, form, partner, status=200)


def _form(request, session, form: ConsentForm, partner, *, status: int) -> HttpResponse:
    return render(
        request,
        "interviews/consent/form.html",
        {"session": session, "form": form, "version": form.version, "partner": partner},
        status=status,
    )
