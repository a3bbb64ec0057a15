"""The quotes changelist's filters: question, coded answer, theme, sub-theme, tagged, site,
interview dates, demographics. The question, answer and demographic choices are the current
evaluation's, read from its schedule (no query once it has been read)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef

from interviews.models import Answer, Evaluation
from interviews.schedules import Schedule, ScheduleQuestion, schedule_of
from themes.export_filters import evaluation_to_export, within_dates
from themes.filter_forms import DateRangeForm, site_choices
from themes.models import SubTheme, Tag, Theme


def evaluations_of(request) -> list[Evaluation]:
    """Every evaluation, read once per request (one query)."""
    if not hasattr(request, "_ufm_evaluations"):
        request._ufm_evaluations = list(Evaluation.objects.order_by("code"))
    return request._ufm_evaluations


def sites_of(request) -> list[tuple[str, str]]:
    """(code, label) of every site, read once per request (one query)."""
    if not hasattr(request, "_ufm_sites"):
        request._ufm_sites = site_choices()
    return request._ufm_sites


def current_evaluation(request) -> Evaluation:
    """The evaluation whose quotes the list shows: the one chosen (``?evaluation=CODE``), else
    the one exported by default (``evaluation_to_export``: the one collecting interviews)."""
    evaluations = evaluations_of(request)
    chosen = request.GET.get(EvaluationFilter.parameter_name)
    found = evaluation_to_export(evaluations, chosen) or evaluation_to_export(evaluations)
    if found is None:
        raise Evaluation.DoesNotExist("There is no evaluation yet.")
    return found


def current_schedule(request) -> Schedule:
    """The schedule of ``current_evaluation`` (kept in memory: no query once read)."""
    return schedule_of(current_evaluation(request))


class EvaluationFilter(admin.SimpleListFilter):
    """One evaluation's quotes at a time: each has its own questions and codebook, which the
    other filters and the tagging actions follow. Without a choice, the default one."""

    title = "evaluation"
    parameter_name = "evaluation"

    def lookups(self, request, model_admin):
        return [(e.code, e.title) for e in evaluations_of(request)]

    def value(self):
        # The default evaluation is shown as chosen, so that the list says whose quotes these are.
        return super().value() or self._default

    def __init__(self, request, params, model, model_admin):
        self._default = current_evaluation(request).code
        super().__init__(request, params, model, model_admin)

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        return queryset.filter(session__evaluation=current_evaluation(request))


class QuestionFilter(admin.SimpleListFilter):
    title = "question"
    parameter_name = "item"

    def lookups(self, request, model_admin):
        return [(q.code, q.label) for q in current_schedule(request).quote_questions]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        question = current_schedule(request).question(self.value())
        if question is None:
            return queryset.none()  # a made-up code finds nothing, it never fails
        return queryset.filter(question_id=question.id)


class AnswerFilter(admin.SimpleListFilter):
    title = "coded answer"
    parameter_name = "answer"

    def lookups(self, request, model_admin):
        seen: dict[str, str] = {}
        for question in current_schedule(request).quote_questions:
            for option in question.options if question.one_answer else ():
                seen.setdefault(option.code, option.label)
        return [*seen.items(), ("none", "None (open question)")]

    def queryset(self, request, queryset):
        # EXISTS on the answers table, not a filter on the displayed coded_answer column: the
        # database can then use the answers' index instead of computing the column per quote.
        value = self.value()
        answers = Answer.objects.filter(session=OuterRef("session"), question=OuterRef("question"))
        if value == "none":
            return queryset.filter(~Exists(answers))
        if value:
            # By the options' ids (the schedule knows them), not by a join on their code: the
            # planner then knows how many answers match, and filters before it sorts (a
            # second rather than a tenth at tens of thousands of interviews).
            option_ids = {
                option.id
                for question in current_schedule(request).quote_questions
                if question.one_answer
                for option in question.options
                if option.code == value
            }
            return queryset.filter(Exists(answers.filter(option_id__in=sorted(option_ids))))
        return queryset


class ThemeFilter(admin.SimpleListFilter):
    title = "theme"
    parameter_name = "theme"

    def lookups(self, request, model_admin):
        # Codes, not ids, in the address: readable, and a made-up value finds nothing
        # instead of failing. Codes are unique within one codebook: the current evaluation's.
        themes = Theme.objects.filter(evaluation_id=current_schedule(request).evaluation_id)
        return [(t.code, t.label) for t in themes.order_by("order", "code")]

    def queryset(self, request, queryset):
        if self.value():
            return tagged_with(
                queryset,
                subtheme__evaluation_id=current_schedule(request).evaluation_id,
                subtheme__theme__code=self.value(),
            )
        return queryset


def tagged_with(quotes, **tag_lookup):
    """The quotes with a tag matching ``tag_lookup``."""
    # Exists, not a join: a quote with two sub-themes of the theme is listed once.
    return quotes.filter(Exists(Tag.objects.filter(quote=OuterRef("pk"), **tag_lookup)))


class SubThemeFilter(admin.SimpleListFilter):
    title = "sub-theme"
    parameter_name = "subtheme"

    def lookups(self, request, model_admin):
        codebook = SubTheme.objects.of(current_schedule(request).evaluation_id)
        return [
            (s.code, f"{s.theme.label}: {s.label}{'' if s.is_active else ' (retired)'}")
            for s in codebook.select_related("theme").filter(merged_into__isnull=True)
        ]

    def queryset(self, request, queryset):
        if self.value():
            return tagged_with(
                queryset,
                subtheme__evaluation_id=current_schedule(request).evaluation_id,
                subtheme__code=self.value(),
            )
        return queryset


class UntaggedFilter(admin.SimpleListFilter):
    title = "tagged"
    parameter_name = "tagged"

    def lookups(self, request, model_admin):
        return [("no", "Untagged"), ("yes", "Tagged")]

    def queryset(self, request, queryset):
        tagged = Exists(Tag.objects.filter(quote=OuterRef("pk")))
        if self.value() == "no":
            return queryset.filter(~tagged)
        if self.value() == "yes":
            return queryset.filter(tagged)
        return queryset


def demographic_filter(question: ScheduleQuestion) -> type[admin.SimpleListFilter]:
    """A filter on one one-answer demographic of the quote's participant (no query for its
    choices)."""
    codes = {o.code: o.id for o in question.options}

    class DemographicFilter(admin.SimpleListFilter):
        parameter_name = question.code
        title = question.label

        def lookups(self, request, model_admin):
            return [(o.code, o.label) for o in question.options]

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            if self.value() not in codes:
                return queryset.none()
            answers = Answer.objects.filter(
                session=OuterRef("session"),
                question_id=question.id,
                option_id=codes[self.value()],
            )
            return queryset.filter(Exists(answers))

    DemographicFilter.__name__ = f"{question.code.title().replace('_', '')}Filter"
    return DemographicFilter


class SiteFilter(admin.SimpleListFilter):
    title = "site"
    parameter_name = "site"

    def lookups(self, request, model_admin):
        return sites_of(request)

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(session__site__code=self.value())
        return queryset


class InterviewDateFilter(admin.ListFilter):
    """Quotes of interviews held from one day to another, both included (the exports' rule,
    ``within_dates``): two date inputs in a small form of their own, which sends the list's
    other choices along, as the other filters' links keep these dates. A wrong date (or a
    range the wrong way round) is said at the top of the page and beside the inputs, and
    then the list shows nothing rather than quotes the analyst did not ask for."""

    title = "interview date"
    template = "admin/themes/date_filter.html"
    parameters = tuple(DateRangeForm.base_fields)  # date_from, date_to

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name in self.parameters:
            if name in params:
                self.used_parameters[name] = params.pop(name)[-1]
        self.form = DateRangeForm(self.used_parameters or None)

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return list(self.parameters)

    def choices(self, changelist):
        # One "choice": what the template needs to draw the form.
        others = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name not in self.parameters
            for value in values
        ]
        yield {
            "form": self.form,
            "others": others,
            "clear": changelist.get_query_string(remove=list(self.parameters)),
            "selected": bool(self.used_parameters),
        }

    def queryset(self, request, queryset):
        if not self.used_parameters:
            return queryset
        if not self.form.is_valid():
            if not getattr(request, "_ufm_date_problems_said", False):
                request._ufm_date_problems_said = True
                for problem in self.form.problems():
                    messages.error(request, problem)
            return queryset.none()
        return within_dates(
            queryset,
            self.form.cleaned_data["date_from"],
            self.form.cleaned_data["date_to"],
            path="session__interview_date",
        )
