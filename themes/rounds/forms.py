"""Forms of the coding rounds' pages: start a round, code a quote, settle a disagreement."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from interviews.schedules import schedule_of
from themes import permissions
from themes.forms import ExportForm, SubThemeChoiceField
from themes.models import SubTheme
from themes.rounds import selection
from themes.rounds.selection import Choice
from ufm.people import display_name_with_username
from ufm.roles import PERMISSIONS_BACKEND


class PeopleField(forms.ModelMultipleChoiceField):
    """Accounts as checkboxes, named as people read them."""

    def __init__(self, queryset, **kwargs) -> None:
        super().__init__(queryset=queryset, widget=forms.CheckboxSelectMultiple, **kwargs)

    def label_from_instance(self, obj) -> str:
        return display_name_with_username(obj)


def coders_offered():
    """The accounts that may code in rounds (analysts), by display name."""
    return (
        get_user_model()
        .objects.with_perm(
            permissions.CODE_IN_ROUNDS, include_superusers=False, backend=PERMISSIONS_BACKEND
        )
        .order_by("first_name", "username")
    )


HOW_CHOICES = [
    (selection.ALL, "Every quote that matches"),
    (selection.SIZE, "A random sample of this many quotes"),
    (selection.SHARE, "A random sample of this percent of them"),
]


class RoundStartForm(ExportForm):
    """A round's name, its coders and its quotes: the exports' filters (answers and site, the
    interview dates), a question or a question's answer, and all of them or a sample."""

    def __init__(self, *args, user, evaluation, **kwargs) -> None:
        super().__init__(*args, user=user, evaluation=evaluation, **kwargs)
        # The filters of the exports, without the file and without unverified interviews:
        # a round codes only quotes analysts may read.
        del self.fields["kind"]
        self.fields.pop("include_unverified", None)
        schedule = schedule_of(evaluation)
        choices = [("", "Any question")]
        for question in schedule.quote_questions:
            choices.append((question.code, question.label))
            choices += [
                (f"{question.code}:{o.code}", f"{question.label}: {o.label}")
                for o in question.options
            ]
        self.fields["name"] = forms.CharField(
            label="Name of the round", max_length=100, help_text="For example “Pilot, May”."
        )
        self.fields["coders"] = PeopleField(
            coders_offered(), label="Coders", help_text="Two or more analysts."
        )
        self.fields["question"] = forms.ChoiceField(
            label="Question (or a question's answer)", required=False, choices=choices
        )
        self.fields["how"] = forms.ChoiceField(
            label="Quotes", choices=HOW_CHOICES, widget=forms.RadioSelect, initial=selection.ALL
        )
        self.fields["size"] = forms.IntegerField(
            label="Sample size", required=False, min_value=1, help_text="How many quotes."
        )
        self.fields["share"] = forms.IntegerField(
            label="Sample share (percent)", required=False, min_value=1, max_value=100
        )
        self.fields["seed"] = forms.IntegerField(
            label="Seed",
            required=False,
            min_value=0,
            max_value=2**63 - 1,
            initial=selection.new_seed(),
            help_text="The same filters, size and seed give the same sample again.",
        )
        self.order_fields(["name", "coders", "question", *self.where_names(), "how"])

    def where_names(self) -> list[str]:
        return [f.name for f in self.where_fields()]

    def choice(self) -> Choice:
        question, _, answer = self.cleaned_data.get("question", "").partition(":")
        return Choice(
            filters=self.filters(),
            question=question,
            answer=answer,
            how=self.cleaned_data["how"],
            size=self.cleaned_data.get("size"),
            share=self.cleaned_data.get("share"),
            seed=self.cleaned_data.get("seed"),
        )


class RoundCodeForm(forms.Form):
    """One quote's coding: its sub-themes as checkboxes (none ticked: "none of these")."""

    quote = forms.IntegerField(widget=forms.HiddenInput)
    subthemes = SubThemeChoiceField(SubTheme.objects.none(), required=False, label="Sub-themes")

    def __init__(self, *args, subthemes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subthemes"].queryset = subthemes.order_by("theme__order", "order", "code")


class RoundSettleForm(RoundCodeForm):
    """The team's final tags for a quote, and who agreed them."""

    agreed_by = PeopleField(
        get_user_model().objects.none(),
        label="Agreed by",
        error_messages={"required": "Say who agreed these tags."},
    )

    def __init__(self, *args, subthemes, people, **kwargs) -> None:
        super().__init__(*args, subthemes=subthemes, **kwargs)
        self.fields["agreed_by"].queryset = people
