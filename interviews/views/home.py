"""The interviewer's home (my interviews) and starting a session."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from interviews.forms import StartForm
from interviews.selectors import my_interview_groups
from interviews.services import sessions as services
from interviews.views.access import _require_interviewer
from interviews.views.presenter import _form_error_list


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
                evaluation=form.cleaned_data["evaluation"],
            )
        except ValidationError as error:
            for name, messages_ in error.message_dict.items():
                form.add_error(name if name in form.fields else None, messages_)
        else:
            return redirect("interviews:session", pk=session.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "error_list": _form_error_list(form)}
    return render(request, "interviews/start.html", context, status=status)
