"""The list of exports made, with the admin's Exports page and its two import pages."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse

from interviews.permissions import IMPORT_INTERVIEWS
from themes.admin.quotes import TAG_PERMISSION
from themes.exports import export_stream, file_name
from themes.exports_xlsx import CONTENT_TYPE as WORKBOOK_TYPE
from themes.exports_xlsx import WorkbookError, export_workbook
from themes.forms import ExportForm
from themes.import_page import import_page
from themes.imports import interviews_import, tags_import
from themes.models import ExportRecord
from ufm.admin import UFMModelAdmin


@admin.register(ExportRecord)
class ExportRecordAdmin(UFMModelAdmin):
    """The list of exports made, with the Exports page and the two import pages."""

    list_display = ["made_at", "file", "made_by", "channel", "format", "rows", "filters"]
    list_filter = ["file", "channel", "format"]
    list_select_related = ["made_by"]
    date_hierarchy = "made_at"
    change_list_template = "admin/themes/exportrecord/change_list.html"

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
                    "url": reverse("admin:themes_import_interviews"),
                    "help": "Add interviews from an interviews.csv file, checked first.",
                }
            )
        if request.user.has_perm(TAG_PERMISSION):
            tasks.append(
                {
                    "label": "Import tags",
                    "url": reverse("admin:themes_import_tags"),
                    "help": "Replace quotes' tags from an edited quotes.csv, checked first.",
                }
            )
        return tasks

    def may_import_interviews(self, request: HttpRequest) -> bool:
        return request.user.has_perm(IMPORT_INTERVIEWS)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("exports/", view(self.exports_view), name="themes_exports"),
            path(
                "import-interviews/",
                view(self.import_interviews_view),
                name="themes_import_interviews",
            ),
            path("import-tags/", view(self.import_tags_view), name="themes_import_tags"),
            *super().get_urls(),
        ]

    def exports_view(self, request: HttpRequest):
        """The Exports page: choose a file and filters; each button downloads it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ExportForm(request.POST or None, user=request.user)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            kind, chosen = form.cleaned_data["kind"], request.POST.get("format")
            if chosen != "xlsx":
                return self._csv_download(request, kind, form.filters(), chosen == "excel")
            try:
                workbook, _ = export_workbook(
                    kind=kind,
                    filters=form.filters(),
                    user=request.user,
                    channel=ExportRecord.Channel.DOWNLOAD,
                )
            except WorkbookError as error:
                problems = [error.message]
            else:
                # FileResponse closes the file once sent, which removes it.
                return FileResponse(
                    workbook,
                    as_attachment=True,
                    filename=file_name(kind, "xlsx"),
                    content_type=WORKBOOK_TYPE,
                )
        return TemplateResponse(
            request,
            "admin/themes/exports.html",
            {
                **self.admin_site.each_context(request),
                "title": "Exports",
                "form": form,
                "problems": problems or [e for errors in form.errors.values() for e in errors],
                "opts": self.model._meta,
                "recent": ExportRecord.objects.select_related("made_by")[:10],
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
        response["Content-Disposition"] = f'attachment; filename="{file_name(kind)}"'
        return response

    def import_interviews_view(self, request: HttpRequest):
        if not self.may_import_interviews(request):
            raise PermissionDenied
        return import_page(
            self,
            request,
            kind="interviews",
            title="Import interviews",
            run=lambda text, name, dry_run: interviews_import(
                text=text, file_name=name, user=request.user, dry_run=dry_run
            ),
        )

    def import_tags_view(self, request: HttpRequest):
        if not request.user.has_perm(TAG_PERMISSION):
            raise PermissionDenied
        return import_page(
            self,
            request,
            kind="tags",
            title="Import tags",
            run=lambda text, name, dry_run: tags_import(
                text=text, user=request.user, dry_run=dry_run
            ),
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_import_interviews": self.may_import_interviews(request),
            "may_import_tags": request.user.has_perm(TAG_PERMISSION),
        }
        return super().changelist_view(request, extra_context)
