from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
