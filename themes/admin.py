from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from themes.models import ExportRecord, SubTheme, Tag, Theme


class SubThemeInline(admin.TabularInline):
    model = SubTheme
    fields = ["order", "code", "label", "description", "is_active"]
    extra = 0
    show_change_link = True


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["label", "code", "order", "is_active"]
    inlines = [SubThemeInline]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(SubTheme)
class SubThemeAdmin(SimpleHistoryAdmin):
    list_display = ["label", "code", "theme", "order", "is_active", "merged_into", "tag_count"]
    list_filter = ["theme", "is_active"]
    list_select_related = ["theme", "merged_into"]
    search_fields = ["label", "code", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(tag_total=Count("tags"))

    def get_readonly_fields(self, request, obj=None):
        # Codes travel in exports and imports: they never change once used.
        return ["code"] if obj else []

    @admin.display(description="Tags", ordering="tag_total")
    def tag_count(self, obj: SubTheme) -> int:
        return obj.tag_total


@admin.register(Tag)
class TagAdmin(SimpleHistoryAdmin):
    list_display = ["quote", "subtheme", "tagged_by", "tagged_at"]
    list_select_related = ["quote", "subtheme__theme", "tagged_by"]
    list_filter = ["subtheme__theme", "subtheme"]
    raw_id_fields = ["quote"]


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    list_display = ["made_at", "file", "made_by", "channel", "excel", "rows"]
    list_filter = ["file", "channel"]
    list_select_related = ["made_by"]
    date_hierarchy = "made_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
