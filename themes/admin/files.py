"""The list of exports made, with the admin's Exports page, the tags import page and the links
to both imports (the interviews import is the interview records' admin's page)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from interviews import admin_import
from interviews.models import Evaluation
from themes import permissions
from themes.export_filters import evaluation_to_export
from themes.exports import download_name, export_stream
from themes.exports_xlsx import CONTENT_TYPE as WORKBOOK_TYPE
from themes.exports_xlsx import WorkbookError, export_workbook
from themes.filter_words import exports_in_words
from themes.forms import ExportForm
from themes.models import ExportRecord
from themes.tag_import import tags_import
from ufm.admin import UFMModelAdmin
from ufm.import_page import import_page

RECENT = 10  # exports listed on the Exports page


class ExportRecordChangeList(ChangeList):
    """The list of exports made, each with its filters in words (``exports_in_words``): two
    queries for the page (evaluations, sites), whatever its number of rows."""

    def get_results(self, request) -> None:
        super().get_results(request)
        self.result_list = list(self.result_list)  # read once: the words go on these objects
        evaluations = list(Evaluation.objects.all())
        for made in exports_in_words(self.result_list, evaluations):
            made.record.filters_in_words = made.filters


@admin.register(ExportRecord)
class ExportRecordAdmin(UFMModelAdmin):
    """The list of exports made, with the Exports page and the tags import page."""

    list_display = ["made_at", "file", "made_by", "channel", "format", "rows", "filters_words"]
    list_filter = ["file", "channel", "format"]
    list_select_related = ["made_by"]
    date_hierarchy = "made_at"
    change_list_template = "admin/themes/exportrecord/change_list.html"

    def get_changelist(self, request, **kwargs):
        return ExportRecordChangeList

    @admin.display(description="filters")
    def filters_words(self, obj: ExportRecord) -> str:
        # Set for the page's rows by ExportRecordChangeList (the one-record page has no list).
        return getattr(obj, "filters_in_words", "")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def index_tasks(self, request: HttpRequest) -> list[dict[str, str]]:
        """Links for the admin index (see ``UFMAdminSite.index``), by the pages' own checks."""
        tasks = []
        if self.has_view_permission(request):
            tasks.append(
                {
                    "label": "Exports",
                    "url": reverse("admin:themes_exports"),
                    "help": "Download interviews, quotes, tags and counts as CSV.",
                }
            )
        if self.may_import_interviews(request):
            tasks.append(
                {
                    "label": "Import interviews",
                    "url": reverse(f"admin:{admin_import.URL_NAME}"),
                    "help": "Add interviews from an interviews.csv file, checked first.",
                }
            )
        if request.user.has_perm(permissions.TAG_QUOTES):
            tasks.append(
                {
                    "label": "Import tags",
                    "url": reverse("admin:themes_import_tags"),
                    "help": "Replace quotes' tags from an edited quotes.csv, checked first.",
                }
            )
        return tasks

    def may_import_interviews(self, request: HttpRequest) -> bool:
        return admin_import.may_import_interviews(request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("exports/", view(self.exports_view), name="themes_exports"),
            # The page's address before it moved to the interview records' admin (bookmarks).
            path(
                "import-interviews/",
                view(self.import_interviews_moved_view),
                name="themes_import_interviews",
            ),
            path("import-tags/", view(self.import_tags_view), name="themes_import_tags"),
            *super().get_urls(),
        ]

    def exports_view(self, request: HttpRequest):
        """The Exports page: choose a file and filters; each button downloads it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        # Which evaluation: the one the address (or the form) names, else the one collecting
        # interviews now (``evaluation_to_export``). Its questions are the form's filters.
        evaluations = list(Evaluation.objects.order_by("code"))
        code = request.POST.get("evaluation") or request.GET.get("evaluation")
        evaluation = evaluation_to_export(evaluations, code)
        problems: list[str] = []
        if evaluation is None:
            problems = [f"There is no evaluation '{code}'; this is the one collecting now."]
            evaluation = evaluation_to_export(evaluations)
        # A link may choose the filters (``?where_site=…&date_from=…``): shown, not yet sent.
        initial = request.GET.dict()
        form = ExportForm(
            request.POST or None, initial=initial, user=request.user, evaluation=evaluation
        )
        if problems:  # a form for another evaluation than the one asked for is never sent
            form = ExportForm(user=request.user, evaluation=evaluation)
        if request.method == "POST" and form.is_valid():
            kind, chosen = form.cleaned_data["kind"], request.POST.get("format")
            filters = form.filters()
            if chosen != "xlsx":
                return self._csv_download(request, kind, filters, chosen == "excel")
            try:
                workbook, record = export_workbook(
                    kind=kind,
                    filters=filters,
                    user=request.user,
                    channel=ExportRecord.Channel.DOWNLOAD,
                )
            except WorkbookError as error:
                problems = [error.message]
            else:
                made_on = timezone.localdate(record.made_at)
                # FileResponse closes the file once sent, which removes it.
                return FileResponse(
                    workbook,
                    as_attachment=True,
                    filename=download_name(kind, record.filters, "xlsx", made_on),
                    content_type=WORKBOOK_TYPE,
                )
        return TemplateResponse(
            request,
            "admin/themes/exports.html",
            {
                **self.admin_site.each_context(request),
                "title": "Exports",
                "form": form,
                "problems": problems or form.problems(),
                "evaluations": evaluations,
                "opts": self.model._meta,
                "recent": exports_in_words(
                    ExportRecord.objects.select_related("made_by")[:RECENT],
                    evaluations,
                    site_labels=form.site_labels,
                ),
            },
        )

    def _csv_download(self, request, kind: str, filters, excel: bool) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            export_stream(
                kind=kind,
                filters=filters,
                excel=excel,
                user=request.user,
                channel=ExportRecord.Channel.DOWNLOAD,
            ),
            content_type="text/csv; charset=utf-8",
        )
        # Named before the first byte (and so before the record is made): the same day.
        name = download_name(kind, filters.as_json(), "csv", timezone.localdate())
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def import_interviews_moved_view(self, request: HttpRequest):
        """The import of interviews is the interview records' admin's page now."""
        if not self.may_import_interviews(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse(f"admin:{admin_import.URL_NAME}"))

    def import_tags_view(self, request: HttpRequest):
        if not request.user.has_perm(permissions.TAG_QUOTES):
            raise PermissionDenied
        # Each evaluation's quotes are tagged from its own codebook: the page says whose.
        evaluations = list(Evaluation.objects.exclude(status=Evaluation.Status.DESIGN))
        default = evaluation_to_export(evaluations)
        evaluations.sort(key=lambda e: e != default)
        evaluation = admin_import.evaluation_asked(request, evaluations)
        return import_page(
            self,
            request,
            kind="tags",
            title="Import tags",
            run=lambda text, name, dry_run: tags_import(
                text=text, user=request.user, dry_run=dry_run, evaluation=evaluation
            ),
            context=admin_import.evaluation_choice(evaluation, evaluations),
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_import_interviews": self.may_import_interviews(request),
            "may_import_tags": request.user.has_perm(permissions.TAG_QUOTES),
        }
        return super().changelist_view(request, extra_context)
