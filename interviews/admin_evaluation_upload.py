"""The Evaluations admin's "Upload a workbook" page: an evaluation's workbook checked, shown in
full, then created or updated by ``evaluation_import``, as ``manage.py evaluation_import`` does.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.text import capfirst

from interviews import permissions
from interviews.models import Evaluation, Question, Section
from interviews.services.evaluations import ImportResult, evaluation_import
from interviews.workbooks import EvaluationDesign, WorkbookInvalid, read_workbook, size_check
from interviews.workbooks import Question as DesignQuestion
from interviews.workbooks.sheets import MAX_BYTES
from ufm.import_page import CHOOSE_FILE, Refused, UploadSteps, upload_page

URL_NAME = "interviews_evaluation_upload"
TITLE = "Upload a workbook"


def may_upload_workbook(user) -> bool:
    """Who may upload a workbook: the page and its link ask this."""
    return user.has_perm(permissions.DESIGN_EVALUATION)


class WorkbookForm(forms.Form):
    """The workbook to check, refused unread when it is larger than a workbook may be."""

    file = forms.FileField(
        label="Workbook (.xlsx)",
        help_text=(
            "The evaluation's XLSForm workbook, with the sheets survey, choices, settings, "
            f"consent and codebook, saved from Excel as .xlsx. At most {MAX_BYTES // 2**20} MB."
        ),
        error_messages={"required": CHOOSE_FILE},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            size_check(upload.size)
        except WorkbookInvalid as invalid:
            raise forms.ValidationError(
                [capfirst(problem.message) + "." for problem in invalid.problems]
            ) from invalid
        return upload


class EvaluationUploadAdminMixin:
    """Adds the upload page to the evaluations' admin, and its links (their list, the index)."""

    def get_urls(self):
        page = path("upload/", self.admin_site.admin_view(self.upload_workbook_view), name=URL_NAME)
        return [page, *super().get_urls()]

    def upload_workbook_view(self, request: HttpRequest):
        if not may_upload_workbook(request.user):
            raise PermissionDenied
        user = request.user

        def check(data: bytes, name: str) -> dict:
            design, result = _import(data, dry_run=True, user=user)
            return {"preview": workbook_preview(design, result)}

        def save(data: bytes, name: str) -> str:
            return _import(data, dry_run=False, user=user)[1].summary

        steps = UploadSteps(
            kind="evaluation",
            title=TITLE,
            template="admin/interviews/evaluation/upload.html",
            form=WorkbookForm,
            check=check,
            save=save,
        )
        return upload_page(self, request, steps)

    def index_tasks(self, request: HttpRequest) -> list[dict[str, str]]:
        """The page's link on the admin index (see ``UFMAdminSite.index``)."""
        if not may_upload_workbook(request.user):
            return []
        return [
            {
                "label": TITLE,
                "url": reverse(f"admin:{URL_NAME}"),
                "help": "Create or update an evaluation from its workbook, checked first.",
            }
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_upload_workbook": may_upload_workbook(request.user),
        }
        return super().changelist_view(request, extra_context)


def _import(data: bytes, *, dry_run: bool, user) -> tuple[EvaluationDesign, ImportResult]:
    """The workbook read and imported (or its dry run); every problem, whether the workbook's
    own or a frozen code it would change, refuses it."""
    try:
        design = read_workbook(data)
        return design, evaluation_import(design, dry_run=dry_run, user=user)
    except WorkbookInvalid as invalid:
        raise Refused(invalid.lines()) from invalid


def _kind(question: DesignQuestion) -> str:
    kind = Question.Kind(question.kind)
    # A text question is answered only in quotes, and its kind says so already.
    if question.quotes and kind != Question.Kind.TEXT:
        return f"{kind.label}, with quotes"
    return kind.label


def workbook_preview(design: EvaluationDesign, result: ImportResult) -> dict:
    """What the preview shows of a checked workbook, in words: the evaluation, each section
    with its questions, the answer lists, the consent statements and the codebook."""
    settings = design.settings
    return {
        "settings": settings,
        "created": result.created,
        "summary": result.summary,
        "status": Evaluation.Status(result.status).label,
        "sections": [
            {
                "title": section.label,
                "part": Section.Part(section.part).label,
                "questions": [
                    {
                        "code": question.code,
                        "label": question.label,
                        "kind": _kind(question),
                        "required": question.required,
                        "answers": question.choice_list or " + ".join(question.terms),
                    }
                    for question in section.questions
                ],
            }
            for section in design.sections
        ],
        "choice_lists": design.choice_lists,
        "consent": design.consent,
        "codebook": design.codebook,
    }
