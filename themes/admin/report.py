"""The report in the admin: its page (analysts and coordinators), its Word file and charts zip
as downloads, and its settings page (the words analysts write, recommendations, cut-offs)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from interviews.models import AnswerOption, Evaluation, Question
from themes import permissions
from themes.export_filters import ExportFilters, evaluation_to_export
from themes.filter_forms import FiltersForm
from themes.models import (
    AnswerShare,
    ExportRecord,
    Recommendation,
    ReportSettings,
    ScoreCutoff,
    Theme,
)
from themes.report.build import report_build
from themes.report.files import FILES, report_file
from ufm.admin import HistoryAdmin


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    fields = ["order", "text", "themes"]
    extra = 1

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "themes":
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["queryset"] = Theme.objects.filter(
                evaluation_id=getattr(request, "_report_evaluation_id", None)
            ).order_by("order", "code")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScoreCutoffInline(admin.StackedInline):
    model = ScoreCutoff
    fields = ["question", "at_least", "meaning", "note"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question":
            kwargs["queryset"] = Question.objects.filter(
                evaluation_id=getattr(request, "_report_evaluation_id", None),
                kind=Question.Kind.CALCULATE,
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "question":
            field.label_from_instance = lambda question: question.label  # labels, never codes
        return field


class AnswerShareInline(admin.StackedInline):
    """ "N of the M people we interviewed (x%) ...": a one-answer question of this evaluation
    and the answer the share counts up to, both by label."""

    model = AnswerShare
    fields = ["question", "up_to", "meaning"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        evaluation_id = getattr(request, "_report_evaluation_id", None)
        if db_field.name == "question":
            kwargs["queryset"] = Question.objects.filter(
                evaluation_id=evaluation_id, kind=Question.Kind.SELECT_ONE
            )
        if db_field.name == "up_to":
            kwargs["queryset"] = AnswerOption.objects.filter(
                choice_list__questions__evaluation_id=evaluation_id,
                choice_list__questions__kind=Question.Kind.SELECT_ONE,
            ).distinct()
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in ("question", "up_to"):
            field.label_from_instance = lambda obj: obj.label  # labels, never codes
        if db_field.name == "up_to":
            # The answers under their question's label: the same label ("Yes") in two lists
            # stays told apart. The queryset above still checks what is sent.
            questions = Question.objects.filter(
                evaluation_id=evaluation_id, kind=Question.Kind.SELECT_ONE
            ).prefetch_related("choice_list__options")
            field.choices = [
                ("", "---------"),
                *(
                    (q.label, [(o.pk, o.label) for o in q.choice_list.options.all()])
                    for q in questions
                ),
            ]
        return field


@admin.register(ReportSettings)
class ReportSettingsAdmin(HistoryAdmin):
    """One evaluation's report settings; its inlines offer only that evaluation's themes and
    scores."""

    list_display = ["evaluation", "title", "small_number_threshold", "quotes_limit"]
    list_select_related = ["evaluation"]
    fields = [
        "evaluation",
        "title",
        "document_details",
        "introduction",
        "small_number_threshold",
        "quotes_limit",
    ]
    inlines = [RecommendationInline, ScoreCutoffInline, AnswerShareInline]

    def get_readonly_fields(self, request, obj=None):
        return ["evaluation"] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        # The inlines' choices are of this evaluation (see their formfield_for_* methods).
        request._report_evaluation_id = obj.evaluation_id if obj else None
        return obj

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def index_tasks(self, request: HttpRequest) -> list[dict[str, str]]:
        if not request.user.has_perm(permissions.VIEW_REPORT):
            return []
        return [
            {
                "label": "Report",
                "url": reverse("admin:themes_report"),
                "help": "The findings from the verified interviews, as a page or a Word file.",
            }
        ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("report/", view(require_safe(self.report_view)), name="themes_report"),
            path(
                "report/report.docx",
                view(require_safe(self.download_view)),
                {"kind": "docx"},
                name="themes_report_docx",
            ),
            path(
                "report/report-charts.zip",
                view(require_safe(self.download_view)),
                {"kind": "charts"},
                name="themes_report_charts",
            ),
            *super().get_urls(),
        ]

    def _asked(self, request: HttpRequest):
        """The evaluation asked for (?evaluation=CODE, else the one an export shows first),
        the filter form on the address, and what is wrong with either."""
        if not request.user.has_perm(permissions.VIEW_REPORT):
            raise PermissionDenied
        evaluations = list(Evaluation.objects.exclude(status=Evaluation.Status.DESIGN))
        code = request.GET.get("evaluation")
        evaluation = evaluation_to_export(evaluations, code)
        problems = []
        if evaluation is None:
            evaluation = evaluation_to_export(evaluations)
            problems.append(f"There is no evaluation '{code}' with a report; showing another.")
        if evaluation is None:
            return None, None, evaluations, ["There is no evaluation with interviews yet."]
        form = FiltersForm(request.GET if not problems else None, evaluation=evaluation)
        if form.is_bound and not form.is_valid():
            problems += form.problems()
        return evaluation, form, evaluations, problems

    def report_view(self, request: HttpRequest):
        evaluation, form, evaluations, problems = self._asked(request)
        report = None
        if evaluation is not None and not problems:
            filters = form.filters() if form.is_bound else ExportFilters(evaluation=evaluation)
            report = report_build(filters=filters)
        return TemplateResponse(
            request,
            "admin/themes/report.html",
            {
                **self.admin_site.each_context(request),
                "title": "Report",
                "opts": self.model._meta,
                "evaluation": evaluation,
                "evaluations": evaluations,
                "form": form,
                "problems": problems,
                "report": report,
                "query": request.GET.urlencode(),
                "may_edit_settings": self.has_change_permission(request),
            },
        )

    def download_view(self, request: HttpRequest, kind: str):
        evaluation, form, _, problems = self._asked(request)
        if evaluation is None or problems:
            return HttpResponse(
                "\n".join(problems), status=400, content_type="text/plain; charset=utf-8"
            )
        filters = form.filters() if form.is_bound else ExportFilters(evaluation=evaluation)
        content, name = report_file(
            kind=kind, filters=filters, user=request.user, channel=ExportRecord.Channel.DOWNLOAD
        )
        response = HttpResponse(content, content_type=FILES[kind][2])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
