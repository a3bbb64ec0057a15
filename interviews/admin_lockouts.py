"""The coordinators' list of who is locked out after failed log-ins, with its Unlock action."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from interviews.models import LogInLockout
from interviews.permissions import UNLOCK_LOCKOUT
from interviews.services.lockouts import account_unlock
from ufm.admin import UFMModelAdmin


class LockedFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", "Locked now"), ("no", "Not locked")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(locked=self.value() == "yes")
        return queryset


@admin.register(LogInLockout)
class LogInLockoutAdmin(UFMModelAdmin):
    """Read-only: the records are django-axes' own, and the only change anyone makes here is
    to unlock someone (which clears them)."""

    list_display = ["username", "address", "failed_tries", "locked_now", "last_try"]
    list_display_links = ["username"]
    list_filter = [LockedFilter]
    search_fields = ["username"]
    ordering = ["-attempt_time"]
    # "3 of 40": a second count of every record, for a number nobody here needs.
    show_full_result_count = False
    fields = ["username", "address", "failed_tries", "locked_now", "last_try"]
    readonly_fields = fields
    actions = ["unlock"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # A try without a username locks no account out, and cannot be unlocked by name.
        queryset = super().get_queryset(request).exclude(username=None).exclude(username="")
        return queryset.with_status()

    def changelist_view(self, request: HttpRequest, extra_context=None):
        context = {
            "title": "Log-in lock-outs",
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Deleting the records unlocks without a trace: unlocking goes through the action.
        return False

    def has_unlock_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(UNLOCK_LOCKOUT)

    @admin.display(description="From address", ordering="ip_address")
    def address(self, obj: LogInLockout) -> str:
        return obj.ip_address or "unknown"

    @admin.display(description="Failed log-ins", ordering="failures")
    def failed_tries(self, obj: LogInLockout) -> int:
        return obj.failures

    @admin.display(description="Locked now", boolean=True, ordering="locked")
    def locked_now(self, obj: LogInLockout) -> bool:
        return obj.locked

    @admin.display(description="Last wrong password", ordering="attempt_time")
    def last_try(self, obj: LogInLockout):
        return obj.attempt_time

    @admin.action(description="Unlock the selected accounts", permissions=["unlock"])
    def unlock(self, request: HttpRequest, queryset: QuerySet) -> None:
        usernames = sorted(set(queryset.values_list("username", flat=True)))
        for username in usernames:
            account_unlock(username=username, unlocked_by=request.user)
        self.message_user(
            request,
            f"Unlocked {', '.join(usernames)}: they can log in again now.",
            messages.SUCCESS,
        )
