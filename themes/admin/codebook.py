"""The codebook in the admin: coordinators change themes and sub-themes; analysts read them."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse

from interviews.models import Quote
from themes import services
from themes.forms import MergeForm
from themes.models import SubTheme, Tag, Theme
from ufm.admin import HistoryAdmin


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
    list_display = ["label", "code", "evaluation", "order", "is_active"]
    list_filter = ["evaluation"]
    list_select_related = ["evaluation"]
    inlines = [SubThemeInline]

    def get_readonly_fields(self, request, obj=None):
        # A theme stays in the codebook it was made for.
        return ["code", "evaluation"] if obj else []


class SubThemeForm(forms.ModelForm):
    """A sub-theme's evaluation is its theme's: its code must be new in that codebook."""

    class Meta:
        model = SubTheme
        fields = ["theme", "code", "label", "description", "order", "is_active"]

    def clean(self):
        data = super().clean()
        theme, code = data.get("theme"), data.get("code")
        new = self.instance.pk is None and theme is not None and bool(code)
        if new and SubTheme.objects.filter(evaluation=theme.evaluation_id, code=code).exists():
            self.add_error("code", f"The codebook already has a sub-theme with the code {code}.")
        return data


@admin.register(SubTheme)
class SubThemeAdmin(HistoryAdmin):
    form = SubThemeForm
    list_display = [
        "label",
        "code",
        "theme",
        "evaluation",
        "order",
        "is_active",
        "merged_into",
        "tag_count",
    ]
    list_filter = ["evaluation", "theme", "is_active"]
    list_select_related = ["theme", "merged_into", "evaluation"]
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
        codebooks = {s.evaluation_id for s in sources}
        if len(codebooks) != 1:
            self.message_user(
                request,
                "These sub-themes are of more than one evaluation's codebook: merge those of "
                "one evaluation at a time.",
                messages.ERROR,
            )
            return None
        form = MergeForm(
            request.POST if "apply" in request.POST else None,
            exclude=[s.pk for s in sources],
            evaluation_id=codebooks.pop(),
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
