"""The admin's "Import interviews" page: interviews.csv checked, previewed, then imported."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import path

from interviews import permissions
from interviews.interview_import import interviews_import
from interviews.models import Evaluation
from ufm.import_page import import_page

URL_NAME = "interviews_interviewsession_import"


def may_import_interviews(user) -> bool:
    """Who may import interviews: the page, its links and the Exports page all ask this."""
    return user.has_perm(permissions.IMPORT_INTERVIEWS)


class InterviewImportAdminMixin:
    """Adds the import page to the interview records' admin (``get_urls``, as Django's
    ``UserAdmin.user_change_password``)."""

    def get_urls(self):
        page = path(
            "import/", self.admin_site.admin_view(self.import_interviews_view), name=URL_NAME
        )
        return [page, *super().get_urls()]

    def import_interviews_view(self, request: HttpRequest):
        if not may_import_interviews(request.user):
            raise PermissionDenied
        evaluations = list(Evaluation.objects.open_for_interviews())
        evaluation = evaluation_asked(request, evaluations)
        return import_page(
            self,
            request,
            kind="interviews",
            title="Import interviews",
            run=lambda text, name, dry_run: interviews_import(
                text=text,
                file_name=name,
                evaluation=evaluation,
                user=request.user,
                dry_run=dry_run,
            ),
            context=evaluation_choice(evaluation, evaluations),
        )


def evaluation_asked(request: HttpRequest, evaluations: list[Evaluation]) -> Evaluation | None:
    """The evaluation an import page is for: the one its address names (``?evaluation=CODE``,
    kept by the page's own forms, which post to it), else the first offered."""
    code = request.GET.get("evaluation")
    named = next((e for e in evaluations if e.code == code), None)
    return named or (evaluations[0] if evaluations else None)


def evaluation_choice(evaluation: Evaluation | None, evaluations: list[Evaluation]) -> dict:
    """What the page says of it: whose file this is, and the others it could be for."""
    return {
        "evaluation": evaluation,
        "other_evaluations": [e for e in evaluations if e != evaluation],
    }
