"""Fetching a session for the user who asks (else 404 or 403), the access log, refusal pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from interviews import permissions
from interviews.models import InterviewSession, SessionAccess
from interviews.services.consent_gate import consent_problem
from interviews.services.refusals import Refused
from ufm.compiled_queries import CompiledQuery


def _require_interviewer(request: HttpRequest) -> None:
    if not request.user.has_perm(permissions.ENTER_INTERVIEWS):
        raise PermissionDenied("These pages are for interviewers.")


def _session_of_pair(*related: str) -> CompiledQuery:
    return CompiledQuery(
        lambda user_pk, pk: (
            InterviewSession.objects.for_interviewer(user_pk)
            .not_withdrawn()
            .select_related(*related)
            .filter(pk=pk)
        )
    )


# The evaluation too: every page reads its schedule (cached, keyed by the evaluation).
_SESSION = _session_of_pair("evaluation")
_SESSION_WITH_PEOPLE = _session_of_pair(
    "evaluation", "interviewer_1", "interviewer_2", "submitted_by"
)
BIGGEST_ID = 2**63 - 1  # no row's id is larger (a bigger number in an address finds nothing)


def get_session_for_interviewer(
    request: HttpRequest, pk: int, *, people: bool = True
) -> InterviewSession:
    """The session if the user is one of its pair; 404 for everyone else's (they do not
    exist for them), 403 for people who are not interviewers at all. ``people``: with the
    interviewers' and submitter's accounts, which pages name (a save names nobody). Every
    page and save asks, so the statement is written once (``ufm.compiled_queries``)."""
    _require_interviewer(request)
    found = []
    if 0 < pk <= BIGGEST_ID:
        found = (_SESSION_WITH_PEOPLE if people else _SESSION).objects(request.user.pk, pk)
    if not found:
        raise Http404("No such interview of yours.")
    return found[0]


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
