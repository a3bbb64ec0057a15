"""The report page's filters (site, dates, any demographic), read from the address (GET) and
made ``ExportFilters``, as the exports' form makes them for the Exports page."""

from __future__ import annotations

from django import forms

from interviews.models import Evaluation, Site
from interviews.schedules import schedule_of
from themes.export_filters import SITE, ExportFilters, where_questions
from themes.forms import DATE_FIELDS


class ReportFilterForm(forms.Form):
    """One choice per demographic question of the evaluation (and the site), then the dates;
    "Anyone" leaves a question out. Verified interviews only: a report is of checked records."""

    def __init__(self, *args, evaluation: Evaluation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        questions = where_questions(schedule_of(evaluation))
        self.where_codes = [q.code for q in questions]
        for question in questions:
            self.fields[f"where_{question.code}"] = forms.ChoiceField(
                label=question.label,
                required=False,
                choices=[("", "Anyone"), *((o.code, o.label) for o in question.options)],
            )
        sites = Site.objects.order_by("order", "label").values_list("code", "label")
        self.fields[f"where_{SITE}"] = forms.ChoiceField(
            label="Site", required=False, choices=[("", "Any"), *sites]
        )
        self.where_codes.append(SITE)
        for name, label in DATE_FIELDS.items():
            self.fields[name] = forms.DateField(
                label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            raise forms.ValidationError(
                "The first date is after the last: no interview could match."
            )
        return data

    @staticmethod
    def unfiltered(evaluation: Evaluation) -> ExportFilters:
        """Every verified interview of the evaluation: the page before any choice."""
        return ExportFilters(evaluation=evaluation)

    def filters(self) -> ExportFilters:
        where = tuple(
            (code, self.cleaned_data[f"where_{code}"])
            for code in self.where_codes
            if self.cleaned_data.get(f"where_{code}")
        )
        return ExportFilters(
            where=where,
            date_from=self.cleaned_data.get("date_from"),
            date_to=self.cleaned_data.get("date_to"),
            evaluation=self.evaluation,
        )
