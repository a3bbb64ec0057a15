from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from interviews.models import InterviewSession
from ufm.roles import Role, has_role


def _require_interviewer(request: HttpRequest) -> None:
    if not has_role(request.user, Role.INTERVIEWER):
        raise PermissionDenied("These pages are for interviewers.")


@require_GET
def my_interviews(request: HttpRequest) -> HttpResponse:
    """The interviewer's home: the sessions they run with a partner."""
    _require_interviewer(request)
    sessions = (
        InterviewSession.objects.for_interviewer(request.user)
        .not_withdrawn()
        .select_related("site", "interviewer_1", "interviewer_2")
    )
    return render(request, "interviews/my_interviews.html", {"sessions": sessions})


def get_session_for_interviewer(request: HttpRequest, pk: int) -> InterviewSession:
    """The session if the user is one of its pair; 404 for everyone else's (they do not
    exist for them), 403 for people who are not interviewers at all."""
    _require_interviewer(request)
    return get_object_or_404(
        InterviewSession.objects.for_interviewer(request.user).not_withdrawn(), pk=pk
    )


@require_GET
def session(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a session continues: consent first, then the schedule."""
    interview = get_session_for_interviewer(request, pk)
    if not hasattr(interview, "consent"):
        return redirect("interviews:consent", pk=interview.pk)
    return render(request, "interviews/session.html", {"session": interview})
