"""The evaluations, read-only: their settings and schedule as stored, for coordinators and analysts.

Designs are made in their workbook and stored by ``evaluation_import`` (the command, or the
list's "Upload a workbook" page); nothing is typed in here, so that the workbook and the stored
design cannot drift apart.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from interviews.admin_evaluation_upload import EvaluationUploadAdminMixin
from interviews.models import Evaluation, InterviewSession, Question
from ufm.admin import HistoryAdmin, ReadOnlyAdminMixin

VIEW_PERMISSION = "interviews.view_evaluation"


def _count(queryset: QuerySet) -> Coalesce:
    """A count per evaluation as a subquery: two joined counts would multiply each other's rows
    (56,000 interviews times every question)."""
    counted = (
        queryset.filter(evaluation=OuterRef("pk"))
        .order_by()
        .values("evaluation")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class QuestionInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The schedule in survey order, with each question's answers."""

    model = Question
    fields = ["position", "section", "code", "label", "kind", "required", "takes_quotes", "answers"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("section", "choice_list")
            .prefetch_related("choice_list__options", "terms__term")
        )

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        # Part of the evaluation's page: whoever may view the evaluation sees its schedule.
        return request.user.has_perm(VIEW_PERMISSION)

    @admin.display(description="Answers (code: label, score) or terms")
    def answers(self, question: Question) -> str:
        if question.choice_list is not None:
            return "; ".join(
                f"{o.code}: {o.label}" + ("" if o.score is None else f" ({o.score})")
                for o in question.choice_list.options.all()
            )
        return " + ".join(t.term.code for t in question.terms.all())


@admin.register(Evaluation)
class EvaluationAdmin(EvaluationUploadAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["code", "title", "status", "version", "question_total", "interview_total"]
    list_filter = ["status"]
    search_fields = ["code", "title"]
    # Evaluations are a handful: the full count costs nothing, but neither is it needed.
    show_full_result_count = False
    change_list_template = "admin/interviews/evaluation/change_list.html"
    fields = [
        "code",
        "title",
        "status",
        "version",
        "participant_code",
        "withdrawal_days",
        "consent_version",
        "information_sheet_date",
        "created_at",
        "published_at",
    ]
    readonly_fields = fields
    inlines = [QuestionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                question_count=_count(Question.objects.exclude(kind=Question.Kind.NOTE)),
                interview_count=_count(InterviewSession.objects.all()),
            )
        )

    @admin.display(description="Questions", ordering="question_count")
    def question_total(self, evaluation: Evaluation) -> int:
        return evaluation.question_count

    @admin.display(description="Interviews", ordering="interview_count")
    def interview_total(self, evaluation: Evaluation) -> int:
        return evaluation.interview_count
