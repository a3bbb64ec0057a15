"""The analysis home: where analysts land after logging in, linked from the admin index.

``AnalysisHomeMixin`` is the quotes admin's part for it (themes.admin.quotes): the home is a
page about the quotes, open to whoever may open the quotes list, for the same evaluation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from interviews.models import Evaluation
from interviews.schedules import schedule_of
from themes.admin.filters import EvaluationFilter, current_evaluation, evaluations_of, sites_of
from themes.analysis_home import (
    HomeNumbers,
    codebook_tables,
    home_key,
    home_numbers,
    listed_count,
    tagging_progress,
)
from themes.counts_cache import kept, remembered
from themes.export_filters import ExportFilters
from themes.filter_forms import FiltersForm

URL_NAME = "themes_analysis_home"
KEPT_AS = "analysis-home"  # what its numbers are kept under (themes.counts_cache)
NUMBERS_TEMPLATE = "admin/themes/_analysis_numbers.html"


class AnalysisHomeMixin:
    """The home's page and its link on the admin index, for the quotes admin."""

    def get_urls(self):
        home = self.admin_site.admin_view(require_safe(self.analysis_home_view))
        return [path("analysis/", home, name=URL_NAME), *super().get_urls()]

    def index_tasks(self, request: HttpRequest) -> list[dict[str, str]]:
        """The home's link for the admin index (``UFMAdminSite.index``), by the page's check."""
        tasks = list(getattr(super(), "index_tasks", lambda request: [])(request))
        if self.has_view_permission(request):
            tasks.insert(
                0,
                {
                    "label": "Analysis home",
                    "url": reverse(f"admin:{URL_NAME}"),
                    "help": "How far tagging has got, and the codebook with its quotes.",
                },
            )
        return tasks

    def analysis_home_view(self, request: HttpRequest):
        if not self.has_view_permission(request):
            raise PermissionDenied
        code = request.GET.get(EvaluationFilter.parameter_name)
        if code and code not in {e.code for e in evaluations_of(request)}:
            raise Http404(f"There is no evaluation '{code}'.")
        try:
            evaluation = current_evaluation(request)
        except Evaluation.DoesNotExist:
            raise Http404("There is no evaluation yet.") from None
        # What the quotes list shows: verified interviews of participants who have not
        # withdrawn and agreed to be quoted (ExportFilters.quotes, as theme_counts.csv), within
        # the filters of exchange.md that the quotes list takes too (so every link matches).
        form = FiltersForm(request.GET, evaluation=evaluation, one_answer_only=True)
        filtered = form.is_valid()
        filters = form.filters() if filtered else ExportFilters(evaluation=evaluation)
        # Tagging progress, the theme counts and the quotes chosen for the report (per
        # sub-theme and per question × answer), with their tables written out: counting every
        # quote takes seconds at tens of thousands of interviews, and writing out the tables'
        # hundreds of cells a tenth of one, so both are kept until the data changes.
        if filtered:
            numbers, numbers_html = remembered(
                KEPT_AS, home_key(filters), lambda: _counted_page(filters)
            )
            # For whoever reads the page's context (tests): made only when read.
            made = SimpleLazyObject(lambda: _tables(filters, numbers))
            progress = SimpleLazyObject(lambda: made[0])
            tables = SimpleLazyObject(lambda: made[1])
        else:
            numbers, numbers_html, progress, tables = None, "", [], []
        return TemplateResponse(
            request,
            "admin/themes/analysis_home.html",
            {
                **self.admin_site.each_context(request),
                # The tables need the width more than the admin's menu of models does.
                "is_nav_sidebar_enabled": False,
                "title": f"Analysis: {evaluation.title}",
                "evaluation": evaluation,
                "others": [e for e in evaluations_of(request) if e.pk != evaluation.pk],
                "form": form,
                "problems": form.problems(),
                "filtered": bool(filters.where or filters.date_from or filters.date_to),
                # Bad filters show nothing rather than every quote (as the quotes list does).
                "progress": progress,
                "tables": tables,
                "numbers_html": numbers_html,
                "exemplar_counts": numbers.chosen if numbers else None,
                "opts": self.model._meta,
            },
        )


def _tables(filters: ExportFilters, numbers: HomeNumbers) -> tuple[list, list]:
    """The tagging progress and the codebook tables of ``numbers`` (no query)."""
    return (
        tagging_progress(filters, numbers.tagged),
        codebook_tables(filters, numbers.chosen, numbers.themes),
    )


def _counted_page(filters: ExportFilters) -> tuple[HomeNumbers, str]:
    """The home's numbers counted now, and their part of the page (numbers, labels and links
    only: what ``remembered`` may keep)."""
    numbers = home_numbers(filters)
    progress, tables = _tables(filters, numbers)
    html = render_to_string(NUMBERS_TEMPLATE, {"progress": progress, "tables": tables})
    return numbers, html


# The quotes list's parameters that the home's numbers count by (``listed_count``), and those
# that change what the list shows but not how many (the page, the order).
LIST_COUNTED_BY = ("item", "answer", "theme", "subtheme", "tagged")
LIST_NOT_COUNTED = ("evaluation", "p", "o")


def home_listed_count(request: HttpRequest, evaluation: Evaluation, stamp: int) -> int | None:
    """How many quotes the quotes list at this request's address holds, from the home's
    numbers kept under ``stamp`` for the list's filters of exchange.md (site, interview dates,
    one-answer demographics), when the list is one that they count (``listed_count``): the
    list opened from one of the home's numbers then says that number without counting again.
    None when the numbers are not kept or the list is filtered otherwise (it then counts)."""
    query = request.GET
    if any(len(query.getlist(name)) != 1 for name in query):
        return None
    own = {name: query[name] for name in LIST_COUNTED_BY if name in query}
    # The list's names of the filters of exchange.md, as the home's form names them.
    data = {
        name if name.startswith("date_") else f"where_{name}": value
        for name, value in query.items()
        if name not in LIST_COUNTED_BY and name not in LIST_NOT_COUNTED
    }
    form = FiltersForm(data, evaluation=evaluation, one_answer_only=True, sites=sites_of(request))
    if any(name not in form.fields for name in data) or not form.is_valid():
        return None
    numbers = kept(KEPT_AS, home_key(form.filters()), stamp)
    if numbers is None:
        return None
    return listed_count(numbers[0], schedule_of(evaluation), **own)
