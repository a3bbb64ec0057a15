"""The consent step's form: one yes/no per statement of the current version, read aloud."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from interviews.dates import future_date_problem
from interviews.models import ConsentFormVersion, ConsentMethod, ConsentStatement
from interviews.participant_codes import participant_code_find, participant_code_normalise
from interviews.services.withdrawal import withdrawal_check
from ufm.people import display_name

YES_NO = [("yes", "Yes"), ("no", "No")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ConsentForm(forms.Form):
    """Built for one consent form version; the field of statement ``code`` is
    ``statement_<code>``."""

    form_version = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(
        label="How was consent given?",
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how consent was given."},
    )
    consent_date = forms.DateField(
        label="Date of consent",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date of consent.",
            "invalid": "Enter the date of consent as a real date, for example 12/04/2018.",
        },
    )
    witnessed = forms.BooleanField(
        error_messages={"required": "Your partner must confirm they witnessed this consent."},
    )

    def __init__(self, *args, version: ConsentFormVersion, partner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.statements: list[ConsentStatement] = list(version.statements.all())
        self.fields["form_version"].initial = version.pk
        self.fields["consent_date"].initial = timezone.localdate()
        self.fields["witnessed"].label = f"{display_name(partner)} witnessed this consent"
        statement_fields = {}
        for number, statement in enumerate(self.statements, start=1):
            statement_fields[self.statement_field(statement)] = forms.ChoiceField(
                label=f"{number}. {statement.text}",
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose yes or no for statement {number}."},
            )
        # Statements first: they are read aloud before anything else is filled in.
        self.fields = {**statement_fields, **self.fields}

    @staticmethod
    def statement_field(statement: ConsentStatement) -> str:
        return f"statement_{statement.code}"

    def statement_fields(self) -> list[forms.BoundField]:
        return [self[self.statement_field(s)] for s in self.statements]

    def clean_form_version(self) -> int:
        value = self.cleaned_data["form_version"]
        if value != self.version.pk:
            raise forms.ValidationError(
                "The consent form changed while this page was open. Read the statements "
                "below to the participant again and answer each one."
            )
        return value

    def clean_consent_date(self):
        value = self.cleaned_data["consent_date"]
        problem = future_date_problem(value, "consent")
        if problem:
            raise forms.ValidationError(problem)
        return value

    def answers(self) -> dict[str, bool]:
        return {
            s.code: self.cleaned_data[self.statement_field(s)] == "yes" for s in self.statements
        }

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary at the top of the page: each links to the
        field, the first radio button of a group (GOV.UK pattern)."""
        links = []
        for message in self.non_field_errors():
            links.append(("", message))
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            field = self[name]
            anchor = field.auto_id
            if isinstance(field.field.widget, forms.RadioSelect):
                anchor = f"{anchor}_0"
            if field.is_hidden:
                anchor = ""
            for message in errors:
                links.append((f"#{anchor}" if anchor else "", message))
        return links


class WithdrawalForm(forms.Form):
    """The coordinator's withdrawal page: whom, when, and how they asked."""

    participant_code = forms.CharField(
        label="Participant code",
        max_length=20,
        error_messages={"required": "Enter the participant code, for example LSI-023."},
    )
    withdrawal_date = forms.DateField(
        label="Date the participant withdrew",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date the participant withdrew.",
            "invalid": "Enter the date as a real date, for example 03/05/2018.",
        },
    )
    how_requested = forms.CharField(
        label="How they asked",
        max_length=200,
        help_text="For example: phoned the office; told an interviewer at the CMHT; by letter.",
        error_messages={"required": "Say how the participant asked to withdraw."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdrawal_date"].initial = timezone.localdate()
        self.session = None

    def clean_participant_code(self) -> str:
        code = participant_code_normalise(self.cleaned_data["participant_code"])
        self.session, problem = participant_code_find(code)
        if problem:
            raise forms.ValidationError(problem)
        return code

    def clean(self):
        cleaned = super().clean()
        if self.session is not None and cleaned.get("withdrawal_date"):
            try:
                withdrawal_check(session=self.session, withdrawal_date=cleaned["withdrawal_date"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned
