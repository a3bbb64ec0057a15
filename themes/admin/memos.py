"""The memo pages in the admin: the list of an evaluation's memos and each memo's page, where
analysts write and edit it (coordinators read them)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator

from interviews.models import Evaluation
from themes import permissions
from themes.admin.filters import current_evaluation
from themes.memo_services import memo_check, memo_save
from themes.memos import target_choices, target_of
from themes.models import Memo
from ufm.admin import HistoryAdmin
from ufm.people import display_name

UNKNOWN_TARGET = "Choose what the memo is about from the list."


class MemoForm(forms.ModelForm):
    """A memo's words. A new one also chooses what it is about (its evaluation's themes,
    sub-themes and question × answer groups); an existing one carries when the version being
    edited was written, so that someone else's change in between is not overwritten."""

    target = forms.ChoiceField(
        label="About",
        error_messages={"required": UNKNOWN_TARGET, "invalid_choice": UNKNOWN_TARGET},
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    words_checked = forms.BooleanField(
        required=False,
        label="I have taken the withdrawn participant's words out of this memo",
    )

    # The evaluation of the memo (MemoAdmin.get_form sets it).
    evaluation: Evaluation

    class Meta:
        model = Memo
        fields = ["text"]
        error_messages = {"text": {"required": "Write the memo first: it cannot be empty."}}
        widgets = {"text": forms.Textarea(attrs={"rows": 12, "cols": 80})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["target"]
            self.fields["seen"].initial = self.instance.written_at.isoformat()
            if self.instance.withdrawn_words_found_at is None:
                del self.fields["words_checked"]
        else:
            del self.fields["seen"], self.fields["words_checked"]
            self.fields["target"].choices = [("", "Choose…"), *target_choices(self.evaluation)]

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            self.memo_target = {
                name: getattr(self.instance, name)
                for name in ("subtheme", "theme", "question", "option")
            }
            try:
                self.seen_at = datetime.datetime.fromisoformat(data.get("seen") or "")
            except ValueError:
                self.seen_at = self.instance.written_at
        else:
            self.seen_at = None
            self.memo_target = target_of(self.evaluation, data.get("target", ""))
            if self.memo_target is None:
                if "target" in data:
                    self.add_error("target", UNKNOWN_TARGET)
                return data
        if "text" in data:
            try:
                memo_check(
                    evaluation=self.evaluation,
                    text=data["text"],
                    target=self.memo_target,
                    seen_at=self.seen_at,
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(Memo)
class MemoAdmin(HistoryAdmin):
    form = MemoForm
    list_display = ["about", "excerpt", "writer", "written_at", "warning"]
    list_display_links = ["about"]
    list_filter = ["evaluation"]
    search_fields = ["text"]
    list_per_page = 100
    # The "n of N" total would be a second count of the same memos.
    show_full_result_count = False
    readonly_fields = ["about_label", "last_written"]
    change_form_template = "admin/themes/memo_change_form.html"

    def get_queryset(self, request):
        # Every target and the writer joined: the list's columns read no more rows.
        return (
            super()
            .get_queryset(request)
            .select_related(
                "evaluation", "subtheme__theme", "theme", "question", "option", "written_by"
            )
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A new memo is of the evaluation chosen (?evaluation=CODE), else the default one.
        evaluation = obj.evaluation if obj else current_evaluation(request)
        return type(form.__name__, (form,), {"evaluation": evaluation})

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["target", "text"]})]
        fields = ["about_label", "last_written", "text", "seen"]
        if obj.withdrawn_words_found_at and self.has_change_permission(request, obj):
            fields.append("words_checked")
        return [(None, {"fields": fields})]

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(permissions.VIEW_MEMOS) or self.has_change_permission(
            request, obj
        )

    def has_add_permission(self, request) -> bool:
        return request.user.has_perm(permissions.WRITE_MEMOS)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(permissions.WRITE_MEMOS)

    def has_delete_permission(self, request, obj=None) -> bool:
        # A memo is edited, never deleted: its history keeps every version.
        return False

    def may_revert(self, request, obj=None) -> bool:
        # A past version is read; bringing it back is writing it again, on the memo's page.
        return False

    def save_model(self, request, obj, form, change) -> None:
        memo = memo_save(
            evaluation=form.evaluation,
            text=form.cleaned_data["text"],
            user=request.user,
            target=form.memo_target,
            seen_at=form.seen_at,
            words_checked=form.cleaned_data.get("words_checked", False),
        )
        obj.pk, obj.evaluation = memo.pk, memo.evaluation
        for name, value in form.memo_target.items():
            setattr(obj, name, value)

    def save_related(self, request, form, formsets, change) -> None:
        pass

    @admin.display(description="about", ordering="pk")
    def about(self, obj: Memo) -> str:
        return obj.target_label

    @admin.display(description="about")
    def about_label(self, obj: Memo) -> str:
        return obj.target_label

    @admin.display(description="memo")
    def excerpt(self, obj: Memo) -> str:
        return Truncator(obj.text).words(30)

    @admin.display(description="last written by", ordering="written_by__first_name")
    def writer(self, obj: Memo) -> str:
        return display_name(obj.written_by)

    @admin.display(description="last written")
    def last_written(self, obj: Memo) -> str:
        when = date_format(timezone.localtime(obj.written_at), "j M Y H:i")
        return f"{when}, by {display_name(obj.written_by)} (every version is in its History)"

    @admin.display(description="warning")
    def warning(self, obj: Memo) -> str:
        return "Holds a withdrawn participant's words" if obj.withdrawn_words_found_at else "–"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["withdrawn_words_warning"] = withdrawn_words_warning(obj) if obj else ""
        return super().render_change_form(request, context, add, change, form_url, obj)


def withdrawn_words_warning(memo: Memo) -> str:
    """What a flagged memo's page (and the tagging page beside it) says; empty when not."""
    if memo.withdrawn_words_found_at is None:
        return ""
    day = date_format(timezone.localtime(memo.withdrawn_words_found_at), "j F Y")
    return (
        f"Warning: when a withdrawal was recorded on {day}, this memo repeated words of the "
        "participant's quotes. Their quotes are deleted; take their words out of the memo too, "
        "then tick the box “I have taken…” and save. Earlier versions in the History still "
        "hold them."
    )
