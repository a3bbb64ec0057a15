"""The account admin, in place of Django's user and group admin.

Coordinators manage accounts by role (``interviews.services.accounts``), and nothing else
about them.

Superuser accounts are made and changed from the command line only (``createsuperuser``,
``changepassword``). They are left out of every page here, for superusers too: to the admin
they do not exist (404), so no page can show, change or set a password for one.

Groups are not in the admin: the three roles and what each may do are fixed by migration
(``interviews.reference_data``), and editing a group's permissions would hand out powers no
role has.
"""

from __future__ import annotations

from itertools import pairwise

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode

from interviews.models import LogInLockout
from interviews.services.accounts import account_create, account_update
from ufm.account_forms import AccountAddForm, AccountChangeForm, AccountPasswordForm
from ufm.admin import HistoryAdmin
from ufm.roles import Role

FIELDS = ["username", "first_name", "role", "is_active"]


class RoleFilter(admin.SimpleListFilter):
    title = "role"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(role_name=self.value())
        return queryset


class AccountAdmin(HistoryAdmin, UserAdmin):
    form = AccountChangeForm
    add_form = AccountAddForm
    change_password_form = AccountPasswordForm
    # Django's add page says more options follow once the account exists: here none do.
    add_form_template = None
    change_user_password_template = "admin/auth/user/set_password.html"
    fieldsets = [(None, {"fields": [*FIELDS, "last_log_in", "log_in_lock", "password_link"]})]
    add_fieldsets = [(None, {"fields": [*FIELDS, "password1", "password2"]})]
    list_display = ["username", "display_name", "role", "is_active", "last_login"]
    list_filter = [RoleFilter, "is_active"]
    search_fields = ["username", "first_name"]
    ordering = ["username"]
    filter_horizontal = []

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The role by subquery: one query for the page, not one per account.
        role = Group.objects.filter(user=OuterRef("pk"), name__in=Role.values).values("name")
        return (
            super()
            .get_queryset(request)
            .filter(is_superuser=False)
            .annotate(role_name=Subquery(role[:1]))
        )

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # Exports and imports name interviewers by username: it never changes.
        return ["username", "last_log_in", "log_in_lock", "password_link"] if obj else []

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A new class on every call (modelform_factory), so this is only this request's.
        form.by = request.user
        return form

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Interviews, tags and the audit history point at accounts: deactivate, never delete.
        return False

    @admin.display(description="Display name", ordering="first_name")
    def display_name(self, obj: User) -> str:
        return obj.first_name

    @admin.display(description="Role", ordering="role_name")
    def role(self, obj: User) -> str:
        return Role(obj.role_name).label if obj.role_name else "No role"

    @admin.display(description="Last log-in")
    def last_log_in(self, obj: User) -> str:
        if obj.last_login is None:
            return "Never"
        return date_format(timezone.localtime(obj.last_login), "j F Y, H:i")

    @admin.display(description="Log-in")
    def log_in_lock(self, obj: User) -> str:
        # The lock-out's own rule (failures within the cool-off, per address), not a copy.
        locked = LogInLockout.objects.with_status().filter(username=obj.username, locked=True)
        if not locked.exists():
            return "Not locked"
        url = reverse("admin:interviews_loginlockout_changelist")
        return format_html(
            'Locked out after too many wrong passwords. <a href="{}?{}">Unlock it on the '
            "log-in lock-outs page</a>.",
            url,
            urlencode({"q": obj.username}),
        )

    @admin.display(description="Password")
    def password_link(self, obj: User) -> str:
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('<a href="{}">Set password</a>', url)

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        data = form.cleaned_data
        if change:
            account_update(
                account=obj,
                display_name=data["first_name"],
                role=data["role"],
                is_active=data["is_active"],
                by=request.user,
            )
        else:
            created = account_create(
                username=data["username"],
                display_name=data["first_name"],
                role=data["role"],
                is_active=data["is_active"],
                password=data["password1"],
                by=request.user,
            )
            obj.pk = created.pk

    def save_related(self, request, form, formsets, change) -> None:
        # The role is the account's only relation, and account_update / account_create set it.
        pass

    # --- an account outside the list (a superuser) is a 404 on every page of it ------------

    def _get_or_404(self, request: HttpRequest, object_id: str) -> User:
        account = self.get_object(request, unquote(object_id))
        if account is None:
            raise Http404("There is no such account.")
        return account

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        # Django sends a missing object back to the index; outside the list is a 404 here.
        self._get_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # Each past version's groups, for its role: one query for the page, not two a row.
        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return queryset.select_related("history_user").prefetch_related(
            "historicaluser_groups_set__group"
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The "Changes" column of the history: each field's change and the role's, from the
        groups fetched with the page (simple-history would query them twice a row)."""
        records = list(historical_records)
        for newer, older in pairwise(records):
            delta = newer.diff_against(
                older, excluded_fields=["groups"], foreign_keys_are_objs=foreign_keys_are_objs
            )
            helper = self.get_historical_record_context_helper(request, newer)
            changes = helper.context_for_delta_changes(delta)
            for change, shown in zip(delta.changes, changes, strict=True):
                if change.field == "first_name":
                    shown["field"] = "Display name"
            then, now = _role_in_history(older), _role_in_history(newer)
            if then != now:
                changes.append({"field": "Role", "old": then, "new": now})
            newer.history_delta_changes = changes


def _role_in_history(record) -> str:
    names = {row.group.name for row in record.historicaluser_groups_set.all() if row.group}
    return ", ".join(role.label for role in Role if role in names) or "No role"


admin.site.unregister(Group)
admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
