"""The coordinators' page that reopens a verified interview record, on the record's admin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from interviews import permissions
from interviews.forms import NoteForm
from interviews.services import sessions
from interviews.services.refusals import Refused


class ReopenAdminMixin:
    """For InterviewSessionAdmin: ``<id>/reopen/``, and the "Reopen this record" link on the
    record's page for those who may (``has_reopen_permission``)."""

    def has_reopen_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(permissions.REOPEN_SESSION)

    def get_urls(self):
        reopen = path(
            "<path:object_id>/reopen/",
            self.admin_site.admin_view(self.reopen_view),
            name="interviews_interviewsession_reopen",
        )
        return [reopen, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "may_reopen": self.has_reopen_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def reopen_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Reopen with a reason, through ``session_reopen``: the reason is recorded as an event
        and shown to the interviewers."""
        if not self.has_reopen_permission(request):
            raise PermissionDenied("Only a coordinator can reopen a verified record.")
        session = self.get_object(request, unquote(object_id))
        if session is None or hasattr(session, "withdrawal"):
            raise Http404("There is no such interview record, or its participant has withdrawn.")
        form = NoteForm(
            request.POST or None,
            label="Why is this record being reopened?",
            button="Reopen the record",
            required_message=(
                "Write why the record is being reopened; the interviewers will see it."
            ),
        )
        refusal, status = None, 200
        try:
            sessions.reopen_require(session, request.user)
            if request.method == "POST" and form.is_valid():
                sessions.session_reopen(
                    session=session, user=request.user, reason=form.cleaned_data["note"]
                )
                messages.success(
                    request,
                    f"{session.participant_code} is reopened. The interviewers see your reason.",
                )
                return redirect("admin:interviews_interviewsession_change", session.pk)
        except Refused as error:  # not verified, or no longer
            form, refusal, status = None, error.message, error.status
        except ValidationError as error:
            form.add_error("note", error.messages)
        if form is not None and form.errors:
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Reopen {session.participant_code}",
            "original": session,
            "form": form,
            "refusal": refusal,
        }
        return TemplateResponse(request, "admin/interviews/reopen.html", context, status=status)
