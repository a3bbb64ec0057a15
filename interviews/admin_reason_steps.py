"""The coordinators' steps on an interview record that need a written reason, on the record's
admin: reopening a verified record, and discarding a draft started by mistake after consent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from interviews import permissions
from interviews.forms import NoteForm
from interviews.services import discard, sessions
from interviews.services.refusals import Refused


@dataclass(frozen=True)
class ReasonStep:
    """One step: who may take it, the service's check and act, and the page's words."""

    name: str
    permission: str
    refused_message: str
    require: Callable  # (session, user): raises a Refused saying why not now
    act: Callable  # (session, user, reason): takes the step; returns where to go next
    title: str
    label: str
    button: str
    required_message: str
    intro: str
    back: str


def _reopen(session, user, reason) -> tuple[str, str]:
    sessions.session_reopen(session=session, user=user, reason=reason)
    return (
        f"{session.participant_code} is reopened. The interviewers see your reason.",
        "change",
    )


def _discard(session, user, reason) -> tuple[str, str]:
    code = discard.session_discard_with_reason(session=session, user=user, reason=reason)
    return (
        f"The interview with {code} is discarded: its answers, words and consent are deleted. "
        "Your reason is kept in the records' history.",
        "changelist",
    )


STEPS = {
    "reopen": ReasonStep(
        name="reopen",
        permission=permissions.REOPEN_SESSION,
        refused_message="Only a coordinator can reopen a verified record.",
        require=sessions.reopen_require,
        act=_reopen,
        title="Reopen",
        label="Why is this record being reopened?",
        button="Reopen the record",
        required_message="Write why the record is being reopened; the interviewers will see it.",
        intro=(
            "Reopening sends this verified record back to its interviewers to correct. Analysts "
            "stop seeing it until it is verified again. Your reason is recorded and shown to "
            "the interviewers."
        ),
        back="Back to the record without reopening it",
    ),
    "discard": ReasonStep(
        name="discard",
        permission=permissions.DISCARD_SESSION,
        refused_message="Only a coordinator can discard an interview once consent is recorded.",
        require=discard.discard_with_reason_require,
        act=_discard,
        title="Discard",
        label="Why is this interview being discarded?",
        button="Discard the interview",
        required_message="Write why the interview is being discarded; it is kept in the history.",
        intro=(
            "Discard an interview that was started by mistake (the wrong participant code, a "
            "practice run). Its answers, words, consent record and their copies in the history "
            "are deleted; the participant code becomes free again. This cannot be undone. Your "
            "reason is recorded."
        ),
        back="Back to the record without discarding it",
    ),
}


class ReasonStepsAdminMixin:
    """For InterviewSessionAdmin: ``<id>/reopen/`` and ``<id>/discard/``, and their links on
    the record's page for those who may (``may_reopen``, ``may_discard``)."""

    def get_urls(self):
        steps = [
            path(
                f"<path:object_id>/{step.name}/",
                self.admin_site.admin_view(self._step_view(step)),
                name=f"interviews_interviewsession_{step.name}",
            )
            for step in STEPS.values()
        ]
        return [*steps, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        may = {f"may_{name}": request.user.has_perm(s.permission) for name, s in STEPS.items()}
        extra_context = {**(extra_context or {}), **may}
        return super().change_view(request, object_id, form_url, extra_context)

    def _step_view(self, step: ReasonStep):
        def view(request: HttpRequest, object_id: str) -> HttpResponse:
            return self.reason_step_view(request, object_id, step)

        return view

    def reason_step_view(self, request: HttpRequest, object_id: str, step: ReasonStep):
        """The step's page: its refusal, or a reason to write; the step taken through its
        service, which checks again inside its transaction."""
        if not request.user.has_perm(step.permission):
            raise PermissionDenied(step.refused_message)
        session = self.get_object(request, unquote(object_id))
        if session is None or hasattr(session, "withdrawal"):
            raise Http404("There is no such interview record, or its participant has withdrawn.")
        form = NoteForm(
            request.POST or None,
            label=step.label,
            button=step.button,
            required_message=step.required_message,
        )
        refusal, status = None, 200
        try:
            step.require(session, request.user)
            if request.method == "POST" and form.is_valid():
                message, go_to = step.act(session, request.user, form.cleaned_data["note"])
                messages.success(request, message)
                if go_to == "change":
                    return redirect("admin:interviews_interviewsession_change", session.pk)
                return redirect("admin:interviews_interviewsession_changelist")
        except Refused as error:  # not in the state the step starts from, or no longer
            form, refusal, status = None, error.message, error.status
        except ValidationError as error:
            form.add_error("note", error.messages)
        if form is not None and form.errors:
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{step.title} {session.participant_code}",
            "step": step,
            "original": session,
            "form": form,
            "refusal": refusal,
        }
        template = "admin/interviews/reason_step.html"
        return TemplateResponse(request, template, context, status=status)
