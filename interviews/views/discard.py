"""Discarding an interview started by mistake, before consent: a confirm page, then gone."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from interviews.services.discard import DiscardRefused, discard_problem, session_discard
from interviews.services.refusals import Refused
from interviews.views.access import _problem, get_session_for_interviewer, refused


@require_http_methods(["GET", "POST"])
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "discard this interview?"; POST with the button's confirmation deletes it."""
    interview = get_session_for_interviewer(request, pk)
    problem = discard_problem(interview)
    if problem:
        return refused(request, DiscardRefused(problem), session=interview)
    if request.method == "POST":
        # An empty POST never deletes: only the confirm page's button says so.
        if request.POST.get("confirm") != "discard":
            return _problem(
                request,
                "Press 'Discard this interview' on the confirm page to discard it.",
                status=400,
                session=interview,
            )
        try:
            code = session_discard(session=interview, user=request.user)
        except Refused as error:
            return refused(request, error, session=interview)
        messages.success(request, f"The interview with {code} is discarded. Nothing of it is kept.")
        return redirect("interviews:my_interviews")
    return render(request, "interviews/discard.html", {"session": interview})
