"""The admin's timeline of one interview (``session_timeline``), behind its History button."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_safe

from interviews import permissions
from interviews.models import InterviewSession, Quote
from interviews.session_timeline import timeline_page

URL_NAME = "interviews_interviewsession_timeline"


def may_read_every_quote(user) -> bool:
    """Coordinators read every quote (they see every record, and review quotes for
    identifiers); analysts only the ones ``Quote.objects.for_analysis()`` lets through."""
    return user.has_perm(permissions.VIEW_EVERY_SESSION)


def may_read_quotes_of(user, session: InterviewSession) -> bool:
    return (
        may_read_every_quote(user)
        or Quote.objects.for_analysis().filter(session_id=session.pk).exists()
    )


class InterviewTimelineAdminMixin:
    """Adds the timeline page to the interview records' admin (``get_urls``, as Django's
    ``UserAdmin.user_change_password``). Who may open it, and for which interview, is the
    history list's rule (``HistoryAdmin.history_object``)."""

    timeline_per_page = 50

    def get_urls(self):
        # It only shows: GET (and HEAD), nothing to send.
        page = path(
            "<path:object_id>/timeline/",
            self.admin_site.admin_view(require_safe(self.timeline_view)),
            name=URL_NAME,
        )
        return [page, *super().get_urls()]

    def timeline_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        session = self.history_object(request, object_id)
        page, entries = timeline_page(
            session,
            user=request.user,
            page_number=request.GET.get("page"),
            per_page=self.timeline_per_page,
            may_read_quotes=may_read_quotes_of(request.user, session),
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": session,
            "title": f"History of {session.participant_code}",
            "page": page,
            "entries": entries,
        }
        return TemplateResponse(request, "admin/interviews/interviewsession/timeline.html", context)
