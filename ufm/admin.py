"""The admin site and the base classes every model's admin is built on: who may write what."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model

from interviews import permissions

# Every admin page is read (GET, HEAD) or sent a form (POST). Anything else is refused before
# any view sees it: class-based views answer PUT like POST and the redirect views answer every
# method, and no page checks permissions for a method it does not expect.
admin_methods_only = require_http_methods(["GET", "HEAD", "POST"])


class UFMAdminSite(admin.AdminSite):
    site_header = "UFM Interviews administration"
    site_title = "UFM Interviews"
    index_title = "Analysis and coordination"
    index_template = "admin/ufm_index.html"

    def has_permission(self, request: HttpRequest) -> bool:
        """Only analysts and coordinators (and superusers) use the admin; interviewers never."""
        user = request.user
        return (
            user.is_active
            and (user.is_staff or user.is_superuser)
            and user.has_perm(permissions.USE_ADMIN)
        )

    def admin_view(self, view, cacheable=False):
        # Every page of the site and of each model's admin comes through here.
        return admin_methods_only(super().admin_view(view, cacheable))

    @method_decorator(admin_methods_only)
    @login_not_required
    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # The one admin page that does not come through admin_view.
        return super().login(request, extra_context)

    def index(self, request: HttpRequest, extra_context=None):
        """The admin index, with the pages that are not model lists (exports, imports, review
        lists) linked at the top: each ModelAdmin offering ``index_tasks(request)`` lists the
        ones this user may open."""
        tasks = []
        for model_admin in self._registry.values():
            if hasattr(model_admin, "index_tasks"):
                tasks += model_admin.index_tasks(request)
        return super().index(request, {**(extra_context or {}), "tasks": tasks})


class ReadOnlyAdminMixin:
    """Interview content is entered by the interviewer pair on their pages, never typed into
    the admin: here it is for reading (and the audit history). Never reverted from the
    history either (``HistoryAdmin.may_revert``)."""

    # As inlines: no blank forms. Django caps a one-to-one inline (demographics) at one form
    # but still offers it blank and editable when the row is missing, as on a withdrawal.
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class UFMModelAdmin(admin.ModelAdmin):
    """A model's admin whose list refuses a POST from someone with nothing to send there."""

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # A list takes a POST for its editable columns (change permission) or an action. Django
        # refuses the first without the permission but shows the list again for an action
        # the user may not run: refuse both, so a view-only POST is never mistaken for a save.
        if request.method == "POST" and not (
            self.has_change_permission(request) or self.get_actions(request)
        ):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)


class HistoryAdmin(UFMModelAdmin, SimpleHistoryAdmin):
    """A model's admin with django-simple-history's two pages (the history list and the page
    of one past version), made to follow the change page's rules.

    simple-history finds the object through its history, not ``get_queryset``, so the pages
    would show what the change page hides (an unverified or withdrawn interview to an analyst);
    and the version page saves any POST after checking only the view permission. Here both
    find the object as the change page does (404 otherwise), and the version page writes only
    through ``may_revert``: read-only for everyone while SIMPLE_HISTORY_REVERT_DISABLED is on.
    """

    def may_revert(self, request: HttpRequest, obj=None) -> bool:
        """The one rule for writing from a history page."""
        return (
            not getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False)
            # Interview content, consent records and withdrawals: never, whoever asks.
            and not isinstance(self, ReadOnlyAdminMixin)
            and self.has_change_permission(request, obj)
        )

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        # Hides the Revert button and its text: shown only to who may revert.
        return not self.may_revert(request, obj)

    def history_object(self, request: HttpRequest, object_id: str, *, writing: bool = False):
        """The object as its change page finds it, checked as the change page checks: 403
        without the permission, then 404 if this user's list does not hold it (so a refused
        write says nothing of a record the user may not see), then 403 for a write that
        ``may_revert`` refuses."""
        obj = self.get_object(request, unquote(object_id))
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        if obj is None:
            raise Http404("No such record, or not one you may see.")
        if writing and not self.may_revert(request, obj):
            raise PermissionDenied
        return obj

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        self.history_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        self.history_object(request, object_id, writing=request.method == "POST")
        try:
            get_history_model_for_model(self.model)._meta.pk.to_python(version_id)
        except ValidationError:
            raise Http404("No such version.") from None
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request: HttpRequest, template: str, context: dict, **kwargs):
        adminform = context.get("adminform")
        if adminform is not None and context["revert_disabled"]:
            # The version page for who may not revert: every field as text, as Django's change
            # page shows an object to someone who may only view it, not as inputs to edit; and
            # only what a version stores (a form's own field, such as a consent version's
            # make_current, has no value there).
            fieldsets = stored_fields_only(adminform.fieldsets, self.model, adminform.form)
            context["adminform"] = helpers.AdminForm(
                adminform.form,
                fieldsets,
                {},
                readonly_fields=flatten_fieldsets(fieldsets),
                model_admin=self,
            )
        return super().render_history_view(request, template, context, **kwargs)


def stored_fields_only(fieldsets: list, model, form) -> list:
    """``fieldsets`` without the fields ``form`` declares that are not ``model``'s."""

    def stored(name: str) -> bool:
        if name not in form.declared_fields:
            return True
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        return True

    kept = []
    for name, options in fieldsets:
        fields = []
        for entry in options["fields"]:
            if isinstance(entry, (list, tuple)):
                entry = tuple(field for field in entry if stored(field))
                if entry:
                    fields.append(entry)
            elif stored(entry):
                fields.append(entry)
        kept.append((name, {**options, "fields": fields}))
    return kept
