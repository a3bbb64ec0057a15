"""The admin of consent form versions: adding one (copied from the current one if asked),
offering it for new consents, retiring it. A version in use or retired is read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest
from django.urls import reverse

from interviews.models import ConsentFormVersion, ConsentStatement, Evaluation
from interviews.services.consent_versions import (
    consent_statements_problem,
    consent_statements_to_copy,
    consent_version_current,
    consent_version_in_use,
    consent_version_make_current,
    consent_version_retire,
)
from ufm.admin import HistoryAdmin

COPY_FROM = "copy_from"  # the add page's query parameter: the version to copy


def _version_locked(version: ConsentFormVersion | None) -> bool:
    """In use or retired: read-only, so records keep meaning what participants heard."""
    if version is None or version.pk is None:
        return False
    if not hasattr(version, "_ufm_locked"):
        version._ufm_locked = version.retired_at is not None or consent_version_in_use(version)
    return version._ufm_locked


def _copied_version(request: HttpRequest) -> ConsentFormVersion | None:
    """The version whose statements the add page starts from, if asked (``?copy_from=``)."""
    wanted = request.GET.get(COPY_FROM)
    if wanted is None:
        return None
    if not hasattr(request, "_ufm_copied_version"):
        # Asked by the page, its form and its statements: looked up once.
        request._ufm_copied_version = ConsentFormVersion.objects.filter(
            pk=int(wanted) if wanted.isdigit() else None
        ).first()
    if request._ufm_copied_version is None:
        raise Http404("No such consent form version to copy.")
    return request._ufm_copied_version


class ConsentStatementForm(forms.ModelForm):
    # Asked, not defaulted: a default of "required" would silently make an optional statement
    # end the session on a "no" (and a version whose 'quotes' statement is required cannot
    # be offered at all); a default of "optional" would silently do the reverse.
    required = forms.TypedChoiceField(
        label="Required to take part?",
        choices=[("", "Choose…"), ("yes", "Yes: a 'no' ends the session"), ("no", "No")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Say whether a 'no' to this statement ends the session."},
    )

    class Meta:
        model = ConsentStatement
        fields = ["order", "code", "text", "required"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        required = self.initial.get("required")
        if isinstance(required, bool):
            self.initial["required"] = "yes" if required else "no"
        # A table's cells have only the column's heading: name each input for screen readers.
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def has_changed(self) -> bool:
        # A statement copied from another version is saved even when left as it was copied.
        copied = self.instance.pk is None and bool(self.initial.get("code"))
        return copied or super().has_changed()


class ConsentStatementFormSet(BaseInlineFormSet):
    """The statements, checked before anything is saved when the version is also to be
    offered for new consents (``make_current``): why it cannot be, on this page."""

    def __init__(self, *args, make_current: bool = False, **kwargs) -> None:
        self.make_current = make_current
        super().__init__(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if not self.make_current or any(form.errors for form in self.forms):
            return
        kept = [
            (form.cleaned_data["code"], form.cleaned_data["required"])
            for form in self.forms
            if form.has_changed() or form.instance.pk is not None
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problem = consent_statements_problem(
            label=self.instance.label or "this version", statements=kept
        )
        if problem:
            raise ValidationError(f"{problem} Nothing is saved yet.")


class ConsentStatementInline(admin.TabularInline):
    model = ConsentStatement
    form = ConsentStatementForm
    formset = ConsentStatementFormSet
    fields = ["order", "code", "text", "required"]
    extra = 0

    def get_extra(self, request, obj=None, **kwargs) -> int:
        copied = _copied_version(request) if obj is None else None
        return copied.statements.count() if copied else super().get_extra(request, obj)

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
        fields = ["evaluation", "label", "information_sheet_date", "withdrawal_window_days"]


@admin.register(ConsentFormVersion)
class ConsentFormVersionAdmin(HistoryAdmin):
    """Coordinators add versions and choose the current one. A version any consent record
    uses is read-only: retire it and add a new one."""

    form = ConsentFormVersionForm
    list_display = [
        "label",
        "evaluation",
        "information_sheet_date",
        "withdrawal_window_days",
        "is_current",
        "retired_at",
        "record_count",
    ]
    list_filter = ["evaluation"]
    list_select_related = ["evaluation"]
    inlines = [ConsentStatementInline]
    actions = ["make_current", "retire"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(record_total=Count("records"))

    def get_fields(self, request, obj=None):
        if _version_locked(obj) or not self.has_change_permission(request, obj):
            return [
                "evaluation",
                "label",
                "information_sheet_date",
                "withdrawal_window_days",
                "is_current",
            ]
        return [
            "evaluation",
            "label",
            "information_sheet_date",
            "withdrawal_window_days",
            "is_current",
            "make_current",
        ]

    def get_readonly_fields(self, request, obj=None):
        # A version stays with the evaluation it was made for.
        return ["is_current", "retired_at", *(["evaluation"] if obj is not None else [])]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "evaluation":
            kwargs["queryset"] = Evaluation.objects.exclude(status=Evaluation.Status.CLOSED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        return not _version_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _version_locked(obj) and super().has_delete_permission(request, obj)

    @admin.display(description="Consents", ordering="record_total")
    def record_count(self, obj: ConsentFormVersion) -> int:
        return obj.record_total

    def add_view(self, request, form_url="", extra_context=None):
        copied = _copied_version(request)
        current = consent_version_current(Evaluation.objects.collecting().first())
        extra_context = {
            **(extra_context or {}),
            "copied_version": copied,
            "copy_current_url": (
                f"{reverse('admin:interviews_consentformversion_add')}?{COPY_FROM}={current.pk}"
                if current is not None and copied is None
                else None
            ),
            "current_version": current,
        }
        return super().add_view(request, form_url, extra_context)

    def get_changeform_initial_data(self, request) -> dict:
        copied = _copied_version(request)
        if copied is None:
            collecting = Evaluation.objects.collecting().first()
            initial = super().get_changeform_initial_data(request)
            return {"evaluation": collecting.pk, **initial} if collecting else initial
        # Everything but the label, which must be new.
        return {
            "evaluation": copied.evaluation_id,
            "information_sheet_date": copied.information_sheet_date,
            "withdrawal_window_days": copied.withdrawal_window_days,
        }

    def get_formset_kwargs(self, request, obj, inline, prefix) -> dict:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ConsentStatementInline):
            kwargs["make_current"] = request.method == "POST" and bool(
                request.POST.get("make_current")
            )
            copied = _copied_version(request) if obj is None or obj.pk is None else None
            if copied is not None:
                kwargs["initial"] = consent_statements_to_copy(copied)
        return kwargs

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("make_current"):
            try:
                consent_version_make_current(version=form.instance)
            except ValidationError as error:
                # Checked with the statements before saving; this is a race (another
                # coordinator retired it meanwhile): say so instead of "changed successfully".
                request._ufm_not_offered = " ".join(error.messages)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs) -> None:
        not_offered = getattr(request, "_ufm_not_offered", None)
        if not_offered and level == messages.SUCCESS:
            message = f"Saved, but not used for new consents: {not_offered}"
            level = messages.ERROR
        super().message_user(request, message, level, *args, **kwargs)

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
