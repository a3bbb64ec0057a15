"""The admin of sites, interview records (read-only), consent and withdrawals."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from interviews import privacy
from interviews.admin_evaluations import EvaluationAdmin  # noqa: F401 (registers evaluations)
from interviews.admin_import import InterviewImportAdminMixin
from interviews.admin_lockouts import LogInLockoutAdmin  # noqa: F401 (registers the lock-outs)
from interviews.consent_forms import WithdrawalForm
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
from interviews.selectors import quotes_with_identifiers
from interviews.services.consent_versions import (
    consent_version_in_use,
    consent_version_make_current,
    consent_version_retire,
)
from interviews.services.withdrawal import participant_withdraw, withdrawal_preview
from ufm.admin import HistoryAdmin, ReadOnlyAdminMixin, UFMModelAdmin
from ufm.roles import Role, has_role


def is_coordinator(user) -> bool:
    return user.is_superuser or has_role(user, Role.COORDINATOR)


@admin.register(Site)
class SiteAdmin(HistoryAdmin):
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
class InterviewSessionAdmin(InterviewImportAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
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
    identifiers_per_page = 50

    def get_queryset(self, request):
        # One query for the page, not one per row.
        sessions = super().get_queryset(request).annotate(quote_total=Count("quotes"))
        if not request.user.has_perm("interviews.view_withdrawal"):
            # Analysts see a record once the partner has verified it, and never a withdrawn
            # participant; coordinators see everything, for the audit trail.
            sessions = sessions.for_analysis()
        return sessions

    @admin.display(description="Quotes", ordering="quote_total")
    def quote_count(self, obj: InterviewSession) -> int:
        return obj.quote_total

    def get_urls(self):
        withdraw = path(
            "withdraw/",
            self.admin_site.admin_view(self.withdraw_view),
            name="interviews_interviewsession_withdraw",
        )
        identifiers = path(
            "identifiers/",
            self.admin_site.admin_view(self.identifiers_view),
            name="interviews_interviewsession_identifiers",
        )
        return [withdraw, identifiers, *super().get_urls()]

    def index_tasks(self, request: HttpRequest) -> list[dict[str, str]]:
        """Links for the admin index (see ``UFMAdminSite.index``)."""
        if not is_coordinator(request.user):
            return []
        return [
            {
                "label": "Quotes that may identify someone",
                "url": reverse("admin:interviews_interviewsession_identifiers"),
                "help": "Quotes holding what looks like an email address, phone number, "
                "NHS number or postcode, to check.",
            }
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The "Reopen this record" link (on verified records) is for coordinators only.
        extra_context = {**(extra_context or {}), "may_reopen": is_coordinator(request.user)}
        return super().change_view(request, object_id, form_url, extra_context)

    def identifiers_view(self, request: HttpRequest) -> HttpResponse:
        """The privacy guard's review list: quotes that may hold an identifier, for
        coordinators to check (they may read quotes; analysts see only verified ones)."""
        if not is_coordinator(request.user):
            raise PermissionDenied("Only coordinators review quotes for identifiers.")
        page = Paginator(quotes_with_identifiers(), self.identifiers_per_page).get_page(
            request.GET.get("page")
        )
        # One query for the page's quotes with their sessions, whatever the number of rows.
        quotes = Quote.objects.select_related("session").in_bulk([pk for pk, _ in page])
        rows = [
            {"quote": quotes[pk], "may_contain": privacy.describe(found)}
            for pk, found in page
            if pk in quotes  # deleted in the meantime
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Quotes that may identify someone",
            "page": page,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/interviews/identifiers.html", context)

    def withdraw_view(self, request: HttpRequest) -> HttpResponse:
        """Withdraw a participant: the form, then exactly what will be deleted, then (on
        confirmation) the deletion, all through ``participant_withdraw``."""
        if not request.user.has_perm("interviews.add_withdrawal"):
            raise PermissionDenied("Only coordinators record withdrawals.")
        preview = None
        status = 200
        if request.method == "POST":
            form = WithdrawalForm(request.POST)
            if form.is_valid():
                if "confirm" in request.POST:
                    try:
                        withdrawal = participant_withdraw(
                            session=form.session,
                            withdrawal_date=form.cleaned_data["withdrawal_date"],
                            how_requested=form.cleaned_data["how_requested"],
                            recorded_by=request.user,
                        )
                    except ValidationError as error:  # e.g. withdrawn meanwhile by someone else
                        form.add_error(None, error)
                        status = 409
                    else:
                        messages.success(
                            request,
                            f"Participant {form.session.participant_code} has withdrawn. "
                            "Their answers, quotes, tags and details are deleted.",
                        )
                        return redirect("admin:interviews_withdrawal_change", withdrawal.pk)
                else:
                    preview = withdrawal_preview(
                        form.session, withdrawal_date=form.cleaned_data["withdrawal_date"]
                    )
            else:
                status = 400
        else:
            form = WithdrawalForm(initial={"participant_code": request.GET.get("code", "")})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Withdraw a participant",
            "form": form,
            "preview": preview,
        }
        return TemplateResponse(request, "admin/interviews/withdraw.html", context, status=status)


def _version_locked(version: ConsentFormVersion | None) -> bool:
    """In use or retired: read-only, so records keep meaning what participants heard."""
    if version is None or version.pk is None:
        return False
    if not hasattr(version, "_ufm_locked"):
        version._ufm_locked = version.retired_at is not None or consent_version_in_use(version)
    return version._ufm_locked


class ConsentStatementInline(admin.TabularInline):
    model = ConsentStatement
    fields = ["order", "code", "text", "required"]
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return not _version_locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return not _version_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _version_locked(obj) and super().has_delete_permission(request, obj)


class ConsentFormVersionForm(forms.ModelForm):
    # Not the model's is_current: ticking it must also untick the previous current version,
    # which consent_version_make_current does once the statements are saved.
    make_current = forms.BooleanField(
        required=False,
        label="Use for new consents",
        help_text="The version in use now stops being offered. Existing consents keep theirs.",
    )

    class Meta:
        model = ConsentFormVersion
        fields = ["label", "information_sheet_date", "withdrawal_window_days"]


@admin.register(ConsentFormVersion)
class ConsentFormVersionAdmin(HistoryAdmin):
    """Coordinators add versions and choose the current one. A version any consent record
    uses is read-only: retire it and add a new one."""

    form = ConsentFormVersionForm
    list_display = [
        "label",
        "information_sheet_date",
        "withdrawal_window_days",
        "is_current",
        "retired_at",
        "record_count",
    ]
    inlines = [ConsentStatementInline]
    actions = ["make_current", "retire"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(record_total=Count("records"))

    def get_fields(self, request, obj=None):
        if _version_locked(obj) or not self.has_change_permission(request, obj):
            return ["label", "information_sheet_date", "withdrawal_window_days", "is_current"]
        return [
            "label",
            "information_sheet_date",
            "withdrawal_window_days",
            "is_current",
            "make_current",
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["is_current", "retired_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return not _version_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _version_locked(obj) and super().has_delete_permission(request, obj)

    @admin.display(description="Consents", ordering="record_total")
    def record_count(self, obj: ConsentFormVersion) -> int:
        return obj.record_total

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("make_current"):
            try:
                consent_version_make_current(version=form.instance)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))

    @admin.action(description="Use the selected version for new consents", permissions=["change"])
    def make_current(self, request, queryset) -> None:
        if queryset.count() != 1:
            messages.error(request, "Choose exactly one version to use for new consents.")
            return
        try:
            version = consent_version_make_current(version=queryset.get())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Version {version.label} is now used for new consents.")

    @admin.action(description="Retire the selected versions", permissions=["change"])
    def retire(self, request, queryset) -> None:
        for version in queryset:
            try:
                consent_version_retire(version=version)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"Version {version.label} is retired.")


class ConsentResponseInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ConsentResponse
    fields = ["statement", "agreed"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["session", "form_version", "consent_date", "method", "recorded_by", "witness"]
    list_select_related = ["session", "form_version", "recorded_by", "witness"]
    list_filter = ["form_version", "method"]
    search_fields = ["session__participant_code"]
    inlines = [ConsentResponseInline]


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["session", "withdrawal_date", "how_requested", "recorded_by", "recorded_at"]
    list_select_related = ["session", "recorded_by"]
    search_fields = ["session__participant_code"]

    def has_add_permission(self, request, obj=None) -> bool:
        # Shows "Add" on the admin index; it leads to the withdrawal page, never a plain form.
        return request.user.has_perm("interviews.add_withdrawal")

    def add_view(self, request, form_url="", extra_context=None):
        # Checked here too: this replaces the admin's add view, which checks it itself.
        if not self.has_add_permission(request):
            raise PermissionDenied("Only coordinators record withdrawals.")
        url = reverse("admin:interviews_interviewsession_withdraw")
        if request.GET.get("code"):
            url += "?" + urlencode({"code": request.GET["code"]})
        return redirect(url)


@admin.register(SessionAccess)
class SessionAccessAdmin(ReadOnlyAdminMixin, UFMModelAdmin):
    list_display = ["at", "user", "session", "path"]
    list_select_related = ["user", "session"]
    search_fields = ["session__participant_code", "user__username"]
    date_hierarchy = "at"
