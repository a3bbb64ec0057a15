"""Fetching a session for the user who asks (else 404 or 403), the access log, refusal pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from interviews import permissions
from interviews.models import InterviewSession, SessionAccess
from interviews.services.consent_gate import consent_problem
from interviews.services.refusals import Refused


def _require_interviewer(request: HttpRequest) -> None:
    if not request.user.has_perm(permissions.ENTER_INTERVIEWS):
        raise PermissionDenied("These pages are for interviewers.")


def get_session_for_interviewer(
    request: HttpRequest, pk: int, *, people: bool = True
) -> InterviewSession:
    """The session if the user is one of its pair; 404 for everyone else's (they do not
    exist for them), 403 for people who are not interviewers at all. ``people``: with the
    interviewers' and submitter's accounts, which pages name (a save names nobody)."""
    _require_interviewer(request)
    # The evaluation too: every page reads its schedule (cached, keyed by the evaluation).
    related = ["evaluation"]
    if people:
        related += ["interviewer_1", "interviewer_2", "submitted_by"]
    return get_object_or_404(
        InterviewSession.objects.for_interviewer(request.user)
        .not_withdrawn()
        .select_related(*related),
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


def refused(request: HttpRequest, error: Refused, *, session=None) -> HttpResponse:
    """The page for what a service refused: its message, with its status. Every refusal of
    the interviewer pages comes here; the pages write none of their own."""
    return _problem(request, error.message, status=error.status, session=session)
