"""The account admin's forms: add an account, change it, set its password.

Username, display name, one role, active, and a password; never superuser or staff status,
groups or single permissions (fields a form leaves out are never saved, whatever is posted).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from interviews.services.accounts import ROLE_MESSAGE, account_check, account_role
from ufm.roles import Role

LABELS = {"username": "Username", "first_name": "Display name", "is_active": "Active"}
HELP = {
    "username": "What they type to log in: letters, digits and @ . + - _ only. It cannot be "
    "changed later, because exports and imports name interviewers by it.",
    "first_name": "The name other people see on their pages, for example Sam P.",
    "is_active": "Untick when someone stops working with the project: they can no longer log "
    "in, and everything they did is kept.",
}


def role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        help_text="Interviewers use the interview pages. Analysts and coordinators use this "
        "administration site.",
        error_messages={"required": ROLE_MESSAGE, "invalid_choice": ROLE_MESSAGE},
    )


class AccountFieldsMixin:
    """The account rules (``account_check``), run on what was typed; the current role."""

    # Who is making the change: set by the admin for each request (see AccountAdmin.get_form).
    by = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["role"].initial = self._role_of_instance()
        name = self.fields["first_name"]
        name.required = True
        name.error_messages["required"] = "Enter the name other people will see."

    def _role_of_instance(self) -> str | None:
        # On the history pages the instance is a past version: show the role it had then.
        past = getattr(self.instance, "_history", None)
        if past is None:
            return account_role(self.instance)
        return (
            past.groups.filter(group__name__in=Role.values)
            .values_list("group__name", flat=True)
            .first()
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        new = self.instance.pk is None
        try:
            account_check(
                account=None if new else self.instance,
                username=cleaned.get("username", self.instance.username),
                role=cleaned.get("role", ""),
                is_active=cleaned.get("is_active", False),
                by=self.by,
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                # A field that failed its own checks already says what is wrong.
                if field not in self.errors:
                    self.add_error(None if field == NON_FIELD_ERRORS else field, errors)
        return cleaned


class AccountAddForm(AccountFieldsMixin, BaseUserCreationForm):
    role = role_field()

    class Meta(BaseUserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "first_name", "is_active"]
        labels = LABELS
        help_texts = HELP


class AccountChangeForm(AccountFieldsMixin, forms.ModelForm):
    role = role_field()

    class Meta:
        model = get_user_model()
        fields = ["first_name", "is_active"]
        labels = LABELS
        help_texts = HELP


class AccountPasswordForm(AdminPasswordChangeForm):
    """Set a new password. Django's form also offers to switch password log-in off, which
    would lock the person out with nothing telling them why: not offered here."""

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)
        self.fields["password1"].required = True
        self.fields["password2"].required = True
        self.fields["password1"].label = "New password"
        self.fields["password2"].label = "New password again"

    def save(self, commit: bool = True):
        # The history keeps no password hashes: the reason says what this version changed.
        self.user._change_reason = "Password set"
        return super().save(commit)
