"""The admin of sites, interview records (read-only; reopen and discard: admin_reason_steps),
consent records and withdrawals."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from interviews import permissions, privacy
from interviews.admin_consent_versions import ConsentFormVersionAdmin  # noqa: F401 (registers)
from interviews.admin_evaluations import EvaluationAdmin  # noqa: F401 (registers evaluations)
from interviews.admin_import import InterviewImportAdminMixin
from interviews.admin_lockouts import LogInLockoutAdmin  # noqa: F401 (registers the lock-outs)
from interviews.admin_reason_steps import ReasonStepsAdminMixin
from interviews.admin_timeline import InterviewTimelineAdminMixin
from interviews.consent_forms import WithdrawalForm
from interviews.models import (
    Answer,
    ConsentRecord,
    ConsentResponse,
    InterviewSession,
    Quote,
    SessionAccess,
    SessionEvent,
    Site,
    Tick,
    Withdrawal,
)
from interviews.selectors import (
    quotes_with_identifiers,
)
from interviews.services.withdrawal import participant_withdraw, withdrawal_preview
from ufm.admin import HistoryAdmin, ReadOnlyAdminMixin, UFMModelAdmin


@admin.register(Site)
class SiteAdmin(HistoryAdmin):
    list_display = ["label", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["label", "code"]

    def get_readonly_fields(self, request, obj=None):
        # Codes are what exports and imports carry: they never change once a site exists.
        return ["code"] if obj else []


# Survey order: a question's place is its section's, then its own within the section.
SURVEY_ORDER = ("question__section__position", "question__position")


class QuestionAskedMixin:
    """An inline row's question as it was asked (its label), never its code."""

    @admin.display(description="question")
    def question_asked(self, obj) -> str:
        return obj.question.label


class CodedAnswerInline(QuestionAskedMixin, ReadOnlyAdminMixin, admin.TabularInline):
    """An interview's coded answers or ticks, in survey order, each read in the same query."""

    fields = ["question_asked", "option"]
    readonly_fields = ["question_asked"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("question", "option")
            .order_by(*SURVEY_ORDER, "option__position")
        )


class AnswerInline(CodedAnswerInline):
    model = Answer


class TickInline(CodedAnswerInline):
    model = Tick
    verbose_name = "tick (tick all that apply)"
    verbose_name_plural = "ticks (tick all that apply)"


class QuoteInline(QuestionAskedMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = Quote
    fields = ["question_asked", "position", "text"]
    readonly_fields = ["question_asked"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("question")
            .order_by(*SURVEY_ORDER, "position", "pk")
        )


class SessionEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SessionEvent
    fields = ["kind", "by", "at", "note"]
    readonly_fields = ["at"]


@admin.register(InterviewSession)
class InterviewSessionAdmin(
    InterviewImportAdminMixin,
    InterviewTimelineAdminMixin,
    ReasonStepsAdminMixin,
    ReadOnlyAdminMixin,
    HistoryAdmin,
):
    list_display = [
        "participant_code",
        "interview_date",
        "site",
        "interviewer_1",
        "interviewer_2",
        "status_shown",
        "quote_count",
    ]
    list_filter = ["status", "site", "source"]
    search_fields = ["participant_code"]
    date_hierarchy = "interview_date"
    # The withdrawal too: a withdrawn participant's row says so in place of its status.
    list_select_related = ["site", "interviewer_1", "interviewer_2", "withdrawal"]
    readonly_fields = ["status_shown"]
    inlines = [
        AnswerInline,
        QuoteInline,
        TickInline,
        SessionEventInline,
    ]
    identifiers_per_page = 50

    def get_queryset(self, request):
        # One query for the page, not one per row.
        sessions = super().get_queryset(request).annotate(quote_total=Count("quotes"))
        if not request.user.has_perm(permissions.VIEW_EVERY_SESSION):
            # Analysts see a record once the partner has verified it, and never a withdrawn
            # participant; coordinators see everything, for the audit trail.
            sessions = sessions.for_analysis()
        return sessions

    @admin.display(description="Status", ordering="status")
    def status_shown(self, obj: InterviewSession) -> str:
        return obj.status_for_people()

    def get_fields(self, request, obj=None):
        # The status as people read it (a withdrawal wins) in place of the stored code.
        return [
            "status_shown" if name == "status" else name
            for name in super().get_fields(request, obj)
            if name != "status_shown"
        ]

    def get_inlines(self, request, obj):
        # A withdrawn participant's answers, quotes and details are deleted: no empty tables
        # (or forms) in their place, only the steps the record went through.
        if obj is not None and Withdrawal.objects.filter(session=obj).exists():
            return [SessionEventInline]
        return super().get_inlines(request, obj)

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
        if not request.user.has_perm(permissions.REVIEW_IDENTIFIERS):
            return []
        return [
            {
                "label": "Quotes that may identify someone",
                "url": reverse("admin:interviews_interviewsession_identifiers"),
                "help": "Quotes holding what looks like an email address, phone number, "
                "NHS number or postcode, to check.",
            }
        ]

    def identifiers_view(self, request: HttpRequest) -> HttpResponse:
        """The privacy guard's review list: quotes that may hold an identifier, for
        coordinators to check (they may read quotes; analysts see only verified ones)."""
        if not request.user.has_perm(permissions.REVIEW_IDENTIFIERS):
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
        if not request.user.has_perm(permissions.RECORD_WITHDRAWAL):
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
        return request.user.has_perm(permissions.RECORD_WITHDRAWAL)

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
