from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from interviews.models import (
    ConsentFormVersion,
    ConsentRecord,
    ConsentResponse,
    ConsentStatement,
    Demographics,
    InterviewSession,
    ItemAnswer,
    Quote,
    SessionAccess,
    SessionEvent,
    Site,
    WeeklyContact,
    Withdrawal,
)


class ReadOnlyAdminMixin:
    """Interview content is entered by the interviewer pair on their pages, never typed into
    the admin: here it is for reading (and the audit history)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    list_display = ["label", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["label", "code"]

    def get_readonly_fields(self, request, obj=None):
        # Codes are what exports and imports carry: they never change once a site exists.
        return ["code"] if obj else []


class ItemAnswerInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ItemAnswer
    fields = ["item", "answer"]


class QuoteInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Quote
    fields = ["item", "position", "text"]


class DemographicsInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = Demographics


class WeeklyContactInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = WeeklyContact
    verbose_name = "sees in a usual week"
    verbose_name_plural = "sees in a usual week"


class SessionEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SessionEvent
    fields = ["kind", "by", "at", "note"]
    readonly_fields = ["at"]


@admin.register(InterviewSession)
class InterviewSessionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "participant_code",
        "interview_date",
        "site",
        "interviewer_1",
        "interviewer_2",
        "status",
        "quote_count",
    ]
    list_filter = ["status", "site", "source"]
    search_fields = ["participant_code"]
    date_hierarchy = "interview_date"
    list_select_related = ["site", "interviewer_1", "interviewer_2"]
    inlines = [
        ItemAnswerInline,
        QuoteInline,
        DemographicsInline,
        WeeklyContactInline,
        SessionEventInline,
    ]

    def get_queryset(self, request):
        # One query for the page, not one per row.
        return super().get_queryset(request).annotate(quote_total=Count("quotes"))

    @admin.display(description="Quotes", ordering="quote_total")
    def quote_count(self, obj: InterviewSession) -> int:
        return obj.quote_total


class ConsentStatementInline(admin.TabularInline):
    model = ConsentStatement
    fields = ["order", "code", "text", "required"]
    extra = 0


@admin.register(ConsentFormVersion)
class ConsentFormVersionAdmin(SimpleHistoryAdmin):
    list_display = ["label", "information_sheet_date", "withdrawal_window_days", "is_current"]
    inlines = [ConsentStatementInline]


class ConsentResponseInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ConsentResponse
    fields = ["statement", "agreed"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["session", "form_version", "consent_date", "method", "recorded_by", "witness"]
    list_select_related = ["session", "form_version", "recorded_by", "witness"]
    list_filter = ["form_version", "method"]
    search_fields = ["session__participant_code"]
    inlines = [ConsentResponseInline]


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["session", "withdrawal_date", "how_requested", "recorded_by", "recorded_at"]
    list_select_related = ["session", "recorded_by"]
    search_fields = ["session__participant_code"]


@admin.register(SessionAccess)
class SessionAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "user", "session", "path"]
    list_select_related = ["user", "session"]
    search_fields = ["session__participant_code", "user__username"]
    date_hierarchy = "at"
