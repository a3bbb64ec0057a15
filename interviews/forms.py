"""Forms of the interviewers' pages. The schedule's sections are read straight from the posted
field keys (see ``selectors``) because their quote boxes come and go; these are the rest."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from interviews.dates import future_date_problem
from interviews.models import Evaluation, Site
from interviews.participant_code_format import PARTICIPANT_CODE_HELP
from interviews.participant_codes import (
    FORMAT_MESSAGE,
    participant_code_normalise,
    participant_code_problem,
)
from interviews.selectors import interviewer_accounts
from interviews.services.sessions import MAX_NOTE_LENGTH
from ufm.people import display_name_with_username


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        # A list of several people: two may share a display name.
        return display_name_with_username(obj)


class EvaluationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if obj.status == obj.Status.DESIGN:
            return f"{obj.title} (a practice interview: this evaluation is being tried out)"
        return obj.title


class StartForm(forms.Form):
    evaluation = EvaluationChoiceField(
        label="Which evaluation is this interview for?",
        queryset=Evaluation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the evaluation this interview is for.",
            "invalid_choice": "That evaluation is not open for interviews now. Choose another.",
        },
    )
    participant_code = forms.CharField(
        label="Participant code",
        max_length=20,
        help_text=PARTICIPANT_CODE_HELP,
        error_messages={"required": "Enter the participant code from the consent form."},
    )
    interview_date = forms.DateField(
        label="Date of the interview",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date of the interview.",
            "invalid": "Enter the date as day, month and year, for example 12/04/2018.",
        },
    )
    site = forms.ModelChoiceField(
        label="Where is the interview?",
        queryset=Site.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose where the interview is happening."},
    )
    partner = PartnerChoiceField(
        label="Who are you interviewing with?",
        queryset=get_user_model().objects.none(),
        empty_label="Choose your partner",
        error_messages={"required": "Choose the interviewer you are working with today."},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interview_date"].initial = timezone.localdate()
        self.fields["site"].queryset = Site.objects.filter(is_active=True)
        evaluations = Evaluation.objects.open_for_interviews()
        self.fields["evaluation"].queryset = evaluations
        # Most days one evaluation is open: then there is nothing to choose, and nothing shown.
        self.evaluations = list(evaluations)
        if len(self.evaluations) == 1:
            self.fields["evaluation"].widget = forms.HiddenInput()
            self.fields["evaluation"].required = False
        # The accounts the session service accepts as partners (a superuser is none).
        self.fields["partner"].queryset = (
            interviewer_accounts().exclude(pk=user.pk).order_by("username")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_show_errors = True

    def clean_evaluation(self):
        chosen = self.cleaned_data.get("evaluation")
        if chosen is None and len(self.evaluations) == 1:
            return self.evaluations[0]
        return chosen

    def clean_participant_code(self) -> str:
        code = participant_code_normalise(self.cleaned_data["participant_code"])
        problem = participant_code_problem(code)
        if problem == FORMAT_MESSAGE:
            # The message states the format, so the same words as help just below it would
            # say it twice.
            self["participant_code"].help_text = ""
        if problem:
            raise forms.ValidationError(problem)
        return code

    def clean_interview_date(self):
        date = self.cleaned_data["interview_date"]
        problem = future_date_problem(date, "the interview")
        if problem:
            raise forms.ValidationError(problem)
        return date


class NoteForm(forms.Form):
    """A note to the submitter (return) or the reason for reopening."""

    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_NOTE_LENGTH,
        error_messages={"required": "Write what needs correcting."},
    )

    def __init__(self, *args, label: str, button: str, required_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].error_messages["required"] = required_message
        self.button = button
        self.helper = FormHelper()
        self.helper.form_tag = False
