"""The filters of exchange.md as a form on a page: the site, the interview dates and the
evaluation's demographics. The Exports page, the quotes list (its dates), the analysis home and
the report all read their filters through these forms, so every page checks them as the
``export`` command does (``ExportFilters.parse``) and says the same thing when one is wrong.

Field names, the same on every page (a query string made for one works on another):
``where_site``, ``where_<question code>``, ``date_from`` and ``date_to`` (YYYY-MM-DD).
"""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from interviews.models import Evaluation, Site
from interviews.schedules import schedule_of
from themes.export_filters import (
    SITE,
    ExportFilters,
    FilterError,
    dates_in_order,
    parse_day,
    where_questions,
)

DATE_LABELS = {"date_from": "Interview date from", "date_to": "Interview date to"}
# The two ends as an error message names them (``dates_in_order``).
DATE_NAMES = ("The interview date from", "the interview date to")


class DayField(forms.DateField):
    """A day as a date input sends it, YYYY-MM-DD, read by the command's own rule
    (``parse_day``), so a page takes exactly the dates the command takes."""

    widget = forms.DateInput(attrs={"type": "date"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_day(str(value), self.label)
        except FilterError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class DateRangeForm(forms.Form):
    """Interviews held from one day to another, both included; either may be left empty."""

    date_from = DayField(label=DATE_LABELS["date_from"], required=False)
    date_to = DayField(label=DATE_LABELS["date_to"], required=False)

    def clean(self):
        data = super().clean()
        try:
            dates_in_order(data.get("date_from"), data.get("date_to"), DATE_NAMES)
        except FilterError as error:
            self.add_error("date_to", str(error))
        return data

    def problems(self) -> list[str]:
        """Every error of the form, each a sentence that names its field."""
        return [e for errors in self.errors.values() for e in errors]


class FiltersForm(DateRangeForm):
    """The filters of one evaluation's files: the site (labels), the interview dates, then an
    answer to each demographic question (``where_questions``), in survey order."""

    def __init__(
        self,
        *args,
        evaluation: Evaluation,
        one_answer_only: bool = False,
        sites: list[tuple[str, str]] | None = None,
        **kwargs,
    ) -> None:
        """``one_answer_only``: no tick-all demographics (a page whose links open the quotes
        list, which filters by one-answer questions only). ``sites``: (code, label) of every
        site in order, when the page has read them already (``site_choices``)."""
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        sites = site_choices() if sites is None else sites
        self.site_labels = dict(sites)  # for the page's words, without a second query
        self.fields[f"where_{SITE}"] = _choice("Site", [("", "Any site"), *sites])
        questions = where_questions(schedule_of(evaluation))
        if one_answer_only:
            questions = tuple(q for q in questions if q.one_answer)
        for question in questions:
            options = [(o.code, o.label) for o in question.options]
            self.fields[f"where_{question.code}"] = _choice(
                question.label, [("", "Anyone"), *options]
            )
        self.where_codes = [SITE, *(q.code for q in questions)]
        self.order_fields([f"where_{SITE}", *DATE_LABELS])

    def filter_fields(self) -> list:
        """The bound fields of the filters, in the order the page shows them."""
        return [self[f"where_{SITE}"], *(self[n] for n in DATE_LABELS)] + [
            self[f"where_{code}"] for code in self.where_codes[1:]
        ]

    def filters(self, *, include_unverified: bool = False) -> ExportFilters:
        """The filters chosen (the form must be valid)."""
        where = tuple(
            (code, self.cleaned_data[f"where_{code}"])
            for code in self.where_codes
            if self.cleaned_data.get(f"where_{code}")
        )
        return ExportFilters(
            include_unverified=include_unverified,
            where=where,
            date_from=self.cleaned_data.get("date_from"),
            date_to=self.cleaned_data.get("date_to"),
            evaluation=self.evaluation,
        )


def site_choices() -> list[tuple[str, str]]:
    """(code, label) of every site, in the order pages list them (one query)."""
    return list(Site.objects.order_by("order", "label").values_list("code", "label"))


def _choice(label: str, choices: list) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=choices,
        error_messages={
            "invalid_choice": f"{label}: '%(value)s' is not one of the list; choose one."
        },
    )


def filters_from_query(
    query: QueryDict, evaluation: Evaluation, *, include_unverified: bool = False
) -> tuple[ExportFilters | None, list[str]]:
    """The filters a page's query asks for (``FiltersForm``'s names, e.g. ``request.GET``):
    (filters, []) when they are right, an empty query giving no filters; (None, problems)
    otherwise, each problem a sentence to show. ``include_unverified`` is the caller's to
    decide (who may see such interviews), never the query's."""
    form = FiltersForm(query, evaluation=evaluation)
    if not form.is_valid():
        return None, form.problems()
    return form.filters(include_unverified=include_unverified), []
