"""The analysts' workspace in the admin: quotes to tag, the codebook, exports and imports.

The quotes changelist registers ``interviews.Quote`` itself (no proxy model, so no migration):
analysts see only ``Quote.objects.for_analysis()`` and change nothing but a quote's tags.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import FileResponse, HttpRequest, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property

from interviews import schedule
from interviews.models import ItemAnswer, Quote
from themes import services
from themes.exports import export_stream, file_name
from themes.exports_xlsx import CONTENT_TYPE as WORKBOOK_TYPE
from themes.exports_xlsx import WorkbookError, export_workbook
from themes.forms import ExportForm, MergeForm, QuoteTagForm, SubThemePickForm
from themes.import_page import import_page
from themes.imports import interviews_import, tags_import
from themes.models import ExportRecord, SubTheme, Tag, Theme
from ufm.admin import HistoryAdmin, UFMModelAdmin
from ufm.roles import Role, has_role

TAG_PERMISSION = "themes.add_tag"


# ---------------------------------------------------------------------------------------------
# Quotes


class AnswerFilter(admin.SimpleListFilter):
    title = "coded answer"
    parameter_name = "answer"

    def lookups(self, request, model_admin):
        return [*schedule.Answer.choices, ("none", "None (open question)")]

    def queryset(self, request, queryset):
        # EXISTS on the answers table, not a filter on the displayed coded_answer column: the
        # database can then use the answers' index instead of computing the column per quote.
        value = self.value()
        answers = ItemAnswer.objects.filter(session=OuterRef("session"), item=OuterRef("item"))
        if value == "none":
            return queryset.filter(~Exists(answers))
        if value:
            return queryset.filter(Exists(answers.filter(answer=value)))
        return queryset


class ThemeFilter(admin.SimpleListFilter):
    title = "theme"
    parameter_name = "theme"

    def lookups(self, request, model_admin):
        # Codes, not ids, in the address: readable, and a made-up value finds nothing
        # instead of failing.
        return [(t.code, t.label) for t in Theme.objects.order_by("order", "code")]

    def queryset(self, request, queryset):
        if self.value():
            # Exists, not a join: a quote with two sub-themes of the theme is listed once.
            return queryset.filter(
                Exists(Tag.objects.filter(quote=OuterRef("pk"), subtheme__theme__code=self.value()))
            )
        return queryset


class SubThemeFilter(admin.SimpleListFilter):
    title = "sub-theme"
    parameter_name = "subtheme"

    def lookups(self, request, model_admin):
        return [
            (s.code, f"{s.theme.label}: {s.label}{'' if s.is_active else ' (retired)'}")
            for s in SubTheme.objects.select_related("theme").filter(merged_into__isnull=True)
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                Exists(Tag.objects.filter(quote=OuterRef("pk"), subtheme__code=self.value()))
            )
        return queryset


class UntaggedFilter(admin.SimpleListFilter):
    title = "tagged"
    parameter_name = "tagged"

    def lookups(self, request, model_admin):
        return [("no", "Untagged"), ("yes", "Tagged")]

    def queryset(self, request, queryset):
        tagged = Exists(Tag.objects.filter(quote=OuterRef("pk")))
        if self.value() == "no":
            return queryset.filter(~tagged)
        if self.value() == "yes":
            return queryset.filter(tagged)
        return queryset


def demographic_filter(code: str, title: str) -> type[admin.SimpleListFilter]:
    """A filter on one demographic answer of the quote's participant (no query for choices)."""
    choices = next(q.choices for q in schedule.ONE_ANSWER_DEMOGRAPHICS if q.code == code)

    class DemographicFilter(admin.SimpleListFilter):
        parameter_name = code

        def lookups(self, request, model_admin):
            return choices.choices

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{f"session__demographics__{code}": self.value()})
            return queryset

    DemographicFilter.title = title
    DemographicFilter.__name__ = f"{code.title().replace('_', '')}Filter"
    return DemographicFilter


class SiteFilter(admin.SimpleListFilter):
    title = "site"
    parameter_name = "site"

    def lookups(self, request, model_admin):
        from interviews.models import Site

        return [(s.code, s.label) for s in Site.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(session__site__code=self.value())
        return queryset


class CappedCountPaginator(Paginator):
    """Counts matching quotes only up to CAP: an exact count of half a million quotes costs
    ten times the page itself, and past twenty pages nobody pages on, they filter (theme
    counts come from the exports). The changelist then says "more than 2,000"
    (admin/interviews/quote/pagination.html)."""

    CAP = 2_000

    @cached_property
    def count(self) -> int:
        # Without ordering or display-only columns (they cannot change a count), and
        # stopping after CAP + 1 rows.
        return self.object_list.order_by().values("pk")[: self.CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.CAP

    @property
    def cap_label(self) -> str:
        return f"{self.CAP:,}"


@admin.register(Quote)
class QuoteAdmin(UFMModelAdmin):
    list_display = ["participant", "item", "coded_answer_label", "words", "tag_list"]
    list_display_links = ["words"]
    list_filter = [
        "item",
        AnswerFilter,
        ThemeFilter,
        SubThemeFilter,
        UntaggedFilter,
        SiteFilter,
        demographic_filter("borough", "borough"),
        demographic_filter("age_band", "age band"),
        demographic_filter("carer", "carer"),
        demographic_filter("disability", "disability"),
        demographic_filter("ethnicity", "ethnicity"),
        demographic_filter("service", "service"),
    ]
    search_fields = ["text"]
    list_per_page = 100
    # The "n of N" total costs a second count on every page; the filtered count is enough.
    show_full_result_count = False
    paginator = CappedCountPaginator
    # Facet counts would be one count of half a million quotes per filter choice.
    show_facets = admin.ShowFacets.NEVER
    ordering = ["session__participant_code", "item", "position", "pk"]
    actions = ["add_tags", "remove_tags"]
    form = QuoteTagForm
    fieldsets = [(None, {"fields": ["participant", "item", "coded_answer_label", "words"]})]
    readonly_fields = ["participant", "item", "coded_answer_label", "words"]
    change_form_template = "admin/themes/quote_change_form.html"

    def get_queryset(self, request):
        # Verified, not withdrawn, with quote consent; the answer and tags in a fixed number
        # of queries, whatever the number of rows.
        answer = ItemAnswer.objects.filter(
            session=OuterRef("session"), item=OuterRef("item")
        ).values("answer")[:1]
        return (
            Quote.objects.for_analysis()
            .select_related("session")
            .annotate(coded_answer=Subquery(answer))
            .prefetch_related(
                Prefetch(
                    "tags",
                    queryset=Tag.objects.select_related("subtheme").order_by(
                        "subtheme__theme__order", "subtheme__order", "subtheme__code"
                    ),
                )
            )
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # "Change" a quote means change its tags: its words are the participant's.
        return request.user.has_perm(TAG_PERMISSION)

    def has_tag_permission(self, request) -> bool:
        return request.user.has_perm(TAG_PERMISSION)

    @admin.display(description="participant code", ordering="session__participant_code")
    def participant(self, obj: Quote) -> str:
        return obj.session.participant_code

    @admin.display(description="coded answer", ordering="coded_answer")
    def coded_answer_label(self, obj: Quote) -> str:
        return obj.coded_answer or "–"

    @admin.display(description="quote")
    def words(self, obj: Quote) -> str:
        return obj.text

    @admin.display(description="tags")
    def tag_list(self, obj: Quote) -> str:
        return "; ".join(tag.subtheme.code for tag in obj.tags.all()) or "–"

    def save_model(self, request, obj, form, change) -> None:
        # Only the tags change: the quote row itself is never written from here.
        services.tags_set(quote=obj, subthemes=form.cleaned_data["subthemes"], user=request.user)

    def save_related(self, request, form, formsets, change) -> None:
        pass

    def response_change(self, request, obj):
        if "_savenextuntagged" in request.POST:
            following = self.next_untagged(request, obj)
            if following is None:
                self.message_user(request, "Saved. Every quote in the list is tagged now.")
                return HttpResponseRedirect(reverse("admin:interviews_quote_changelist"))
            self.message_user(request, "Saved. This is the next untagged quote.")
            return HttpResponseRedirect(
                reverse("admin:interviews_quote_change", args=[following.pk])
            )
        return super().response_change(request, obj)

    def next_untagged(self, request, obj: Quote) -> Quote | None:
        """The first untagged quote after this one in the list's order, else from the top."""
        untagged = (
            Quote.objects.for_analysis()
            .filter(~Exists(Tag.objects.filter(quote=OuterRef("pk"))))
            .exclude(pk=obj.pk)
            .order_by(*self.ordering)
        )
        code = obj.session.participant_code
        after = (
            Q(session__participant_code__gt=code)
            | Q(session__participant_code=code, item__gt=obj.item)
            | Q(session__participant_code=code, item=obj.item, position__gt=obj.position)
            | Q(session__participant_code=code, item=obj.item, position=obj.position, pk__gt=obj.pk)
        )
        return untagged.filter(after).first() or untagged.first()

    @admin.action(description="Add tags…", permissions=["tag"])
    def add_tags(self, request, queryset):
        return self._tag_action(request, queryset, adding=True)

    @admin.action(description="Remove tags…", permissions=["tag"])
    def remove_tags(self, request, queryset):
        return self._tag_action(request, queryset, adding=False)

    def _tag_action(self, request, queryset, *, adding: bool):
        quotes = list(queryset.select_related("session"))
        if adding:
            choices = SubTheme.objects.for_tagging()
        else:
            choices = SubTheme.objects.filter(tags__quote__in=quotes).distinct()
        form = SubThemePickForm(request.POST if "apply" in request.POST else None, queryset=choices)
        if form.is_valid():
            chosen = form.cleaned_data["subthemes"]
            if adding:
                n = services.tags_add(quotes=quotes, subthemes=chosen, user=request.user)
                self.message_user(request, f"Added {n} tag(s) to {len(quotes)} quote(s).")
            else:
                n = services.tags_remove(quotes=quotes, subthemes=chosen)
                self.message_user(request, f"Removed {n} tag(s) from {len(quotes)} quote(s).")
            return None
        return TemplateResponse(
            request,
            "admin/themes/tag_action.html",
            {
                **self.admin_site.each_context(request),
                "title": "Add tags" if adding else "Remove tags",
                "adding": adding,
                "action": "add_tags" if adding else "remove_tags",
                "quotes": quotes,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


# ---------------------------------------------------------------------------------------------
# The codebook: coordinators change it; analysts read it.


class SubThemeInline(admin.TabularInline):
    model = SubTheme
    fields = ["order", "code", "label", "description", "is_active", "merged_into"]
    # Changes go through the sub-theme's own page, where codes stay fixed and merges move tags.
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Theme)
class ThemeAdmin(HistoryAdmin):
    list_display = ["label", "code", "order", "is_active"]
    inlines = [SubThemeInline]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(SubTheme)
class SubThemeAdmin(HistoryAdmin):
    list_display = ["label", "code", "theme", "order", "is_active", "merged_into", "tag_count"]
    list_filter = ["theme", "is_active"]
    list_select_related = ["theme", "merged_into"]
    search_fields = ["label", "code", "description"]
    actions = ["retire", "merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(tag_total=Count("tags"))

    def get_readonly_fields(self, request, obj=None):
        # Codes travel in exports and imports: they never change once used. A merge moves
        # tags, so it is the "Merge into…" action, never a field.
        return ["code", "theme", "merged_into"] if obj else ["merged_into"]

    @admin.display(description="Tags", ordering="tag_total")
    def tag_count(self, obj: SubTheme) -> int:
        return obj.tag_total

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        if change:
            services.subtheme_update(
                subtheme=obj,
                label=data["label"],
                description=data["description"],
                order=data["order"],
                is_active=data["is_active"],
            )
        else:
            created = services.subtheme_create(
                theme=data["theme"],
                code=data["code"],
                label=data["label"],
                description=data["description"],
                order=data["order"],
            )
            obj.pk = created.pk

    @admin.action(description="Retire (hide when tagging, keep tags)", permissions=["change"])
    def retire(self, request, queryset):
        for subtheme in queryset:
            services.subtheme_retire(subtheme=subtheme)
        self.message_user(request, f"Retired {len(queryset)} sub-theme(s). Their tags are kept.")

    @admin.action(description="Merge into another sub-theme…", permissions=["change"])
    def merge(self, request, queryset):
        sources = list(queryset.select_related("theme"))
        form = MergeForm(
            request.POST if "apply" in request.POST else None,
            exclude=[s.pk for s in sources],
        )
        if form.is_valid():
            target = form.cleaned_data["target"]
            try:
                moved = sum(services.subtheme_merge(source=s, target=target) for s in sources)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                f"Merged {len(sources)} sub-theme(s) into {target.code}: {moved} tag(s) moved.",
            )
            return None
        return TemplateResponse(
            request,
            "admin/themes/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge sub-themes",
                "sources": sources,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Tag)
class TagAdmin(HistoryAdmin):
    list_display = ["quote", "subtheme", "tagged_by", "tagged_at"]
    list_select_related = ["quote", "subtheme__theme", "tagged_by"]
    list_filter = ["subtheme__theme", "subtheme"]
    raw_id_fields = ["quote"]

    def get_queryset(self, request):
        # Only tags of quotes analysts may see (never a withdrawn or unconsented one's).
        return super().get_queryset(request).filter(quote__in=Quote.objects.for_analysis())

    def has_add_permission(self, request) -> bool:
        # Tags are made on the quotes' pages, where who and when are recorded.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# ---------------------------------------------------------------------------------------------
# Exports and imports


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
        return request.user.is_superuser or has_role(request.user, Role.ANALYST, Role.COORDINATOR)

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
