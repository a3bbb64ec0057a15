"""The quotes changelist, where analysts tag quotes; its capped-count paginator.

The quotes changelist registers ``interviews.Quote`` itself (no proxy model, so no migration):
analysts see only ``Quote.objects.for_analysis()`` and change nothing but a quote's tags.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from itertools import groupby
from operator import itemgetter
from urllib.parse import parse_qsl

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from interviews.models import Answer, Quote
from themes import permissions, services
from themes.admin.filters import (
    AnswerFilter,
    EvaluationFilter,
    InterviewDateFilter,
    QuestionFilter,
    SiteFilter,
    SubThemeFilter,
    ThemeFilter,
    UntaggedFilter,
    current_evaluation,
    current_schedule,
    demographic_filter,
)
from themes.admin.home import AnalysisHomeMixin, home_listed_count
from themes.admin.tagging import TaggingPageMixin
from themes.counts_cache import remembered
from themes.forms import QuoteTagForm, SubThemePickForm
from themes.models import SubTheme, Tag
from ufm.admin import HistoryAdmin


class CappedCountPaginator(Paginator):
    """Counts matching quotes only up to CAP: an exact count of half a million quotes costs
    ten times the page itself, and past twenty pages nobody pages on, they filter (theme
    counts come from the exports). The changelist then says "more than 2,000"
    (admin/interviews/quote/pagination.html). The count is kept until the data changes
    (``themes.counts_cache``), so that paging through a list counts it once."""

    CAP = 2_000
    # Given the counts stamp, the number of quotes from counts kept under it, or None
    # (``QuoteAdmin.get_paginator``: the analysis home's numbers).
    from_kept: Callable[[int], int | None] | None = None

    @cached_property
    def count(self) -> int:
        # Without ordering or display-only columns (they cannot change a count), and
        # stopping after CAP + 1 rows. The statement names what is counted, the user's
        # access included.
        counted = self.object_list.order_by().values("pk")[: self.CAP + 1]
        try:
            statement = counted.query.sql_with_params()
        except EmptyResultSet:  # a list that can hold nothing (a wrong filter): no query
            return 0
        from_kept = self.from_kept

        def capped_from_kept(stamp: int) -> int | None:
            found = from_kept(stamp) if from_kept else None
            return None if found is None else min(found, self.CAP + 1)

        return remembered("quotes-count", statement, counted.count, from_kept=capped_from_kept)

    @property
    def capped(self) -> bool:
        return self.count > self.CAP

    @property
    def cap_label(self) -> str:
        return f"{self.CAP:,}"


class QuoteChangeList(ChangeList):
    """The quotes list, whose rows link to their tagging pages with the list's filters (for
    "save and next" in the same filter). The address is built once per page: the admin would
    resolve and re-encode the filters for each of the hundred rows, a fifth of the page's
    time. The links are the admin's own, character for character."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        change = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(0,),
            current_app=self.model_admin.admin_site.name,
        )
        self._link_start, _, link_end = change.rpartition("/0/")
        filters = urlencode(parse_qsl(self.preserved_filters))
        self._link_end = f"/{link_end}?{filters}" if filters else f"/{link_end}"
        # Already in each row's address: the admin adds nothing more to it.
        self.preserved_filters = ""

    def url_for_result(self, result) -> str:
        return f"{self._link_start}/{result.pk}{self._link_end}"

    def get_results(self, request) -> None:
        super().get_results(request)
        self.result_list = list(self.result_list)
        page_tags_attach(self.result_list)


def page_tags_attach(quotes: list[Quote]) -> None:
    """Give each quote of a page ``tag_labels``: its sub-themes' (theme label, sub-theme label)
    in codebook order, from one query of labels for the whole page (no model objects: a
    page holds a few hundred tags)."""
    found: dict[int, list[tuple[str, str]]] = {quote.pk: [] for quote in quotes}
    labels = (
        Tag.objects.filter(quote_id__in=found)
        .order_by(
            "subtheme__theme__order", "subtheme__theme_id", "subtheme__order", "subtheme__code"
        )
        .values_list("quote_id", "subtheme__theme__label", "subtheme__label")
    )
    for quote_id, theme_label, subtheme_label in labels:
        found[quote_id].append((theme_label, subtheme_label))
    for quote in quotes:
        quote.tag_labels = found[quote.pk]


def first_words(text: str, count: int) -> str:
    """The first ``count`` words, and "…" when there were more: what Django's
    ``Truncator(text).words(count)`` gives in English, at a tenth of its cost (a hundred rows
    a page)."""
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


@admin.register(Quote)
class QuoteAdmin(AnalysisHomeMixin, TaggingPageMixin, HistoryAdmin):
    # The words first, with most of the width (static/css/ufm-admin.css), so that on a tablet
    # they stay on screen; then what was asked and answered, the tags, the participant. Labels,
    # never codes: the codes are for the files.
    list_display = ["words", "question_label", "answer_label", "tag_list", "participant"]
    list_display_links = ["words"]
    # Then one filter per one-answer demographic of the current evaluation (get_list_filter).
    list_filter = [
        EvaluationFilter,
        QuestionFilter,
        AnswerFilter,
        ThemeFilter,
        SubThemeFilter,
        UntaggedFilter,
        SiteFilter,
        InterviewDateFilter,
    ]
    search_fields = ["text"]
    list_per_page = 100
    # The "n of N" total costs a second count on every page; the filtered count is enough.
    show_full_result_count = False
    paginator = CappedCountPaginator
    # Facet counts would be one count of half a million quotes per filter choice.
    show_facets = admin.ShowFacets.NEVER
    # A participant's quotes in survey order (a question's position is its place in the survey).
    ordering = ["session__participant_code", "question__position", "position", "pk"]
    actions = ["add_tags", "remove_tags"]
    form = QuoteTagForm
    fieldsets = [(None, {"fields": ["participant", "question", "coded_answer_label", "words"]})]
    readonly_fields = ["participant", "question", "coded_answer_label", "words"]
    change_form_template = "admin/themes/quote_change_form.html"

    def get_queryset(self, request):
        # Verified, not withdrawn, with quote consent; the answer in the same query.
        answer = Answer.objects.filter(session=OuterRef("session"), question=OuterRef("question"))
        return (
            Quote.objects.for_analysis()
            .select_related("session__site", "question")
            .annotate(
                coded_answer=Subquery(answer.values("option__code")[:1]),
                answer_text=Subquery(answer.values("option__label")[:1]),
            )
        )  # the tags come per page (QuoteChangeList.get_results)

    def get_changelist(self, request, **kwargs):
        return QuoteChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        # A list opened from a number of the analysis home says that number, not counted again.
        paginator.from_kept = lambda stamp: home_listed_count(
            request, current_evaluation(request), stamp
        )
        return paginator

    def changelist_view(self, request, extra_context=None):
        # The admin's menu of models would take a quarter of the width the words need.
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_list_filter(self, request):
        variables = current_schedule(request).variables
        return [*self.list_filter, *(demographic_filter(q) for q in variables)]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # "Change" a quote means change its tags: its words are the participant's.
        return request.user.has_perm(permissions.TAG_QUOTES)

    def may_revert(self, request, obj=None) -> bool:
        # Its history (the audit trail, simple-history's, not the admin's own log, which only
        # the admin's forms write) is read here, never written back: the words are the
        # participant's, as the interviewers typed them.
        return False

    def has_tag_permission(self, request) -> bool:
        return request.user.has_perm(permissions.TAG_QUOTES)

    def action_checkbox(self, obj: Quote) -> str:
        # Named by the quote's first words: Django names it by str(obj), ids and a position.
        label = f"Select the quote “{first_words(obj.text, 8)}”"
        # The markup CheckboxInput renders, without a template per row (a list of 100 rows).
        return mark_safe(
            f'<input type="checkbox" name="{escape(admin.helpers.ACTION_CHECKBOX_NAME)}" '
            f'value="{obj.pk}" class="action-select" aria-label="{escape(label)}">'
        )

    @admin.display(description="participant", ordering="session__participant_code")
    def participant(self, obj: Quote) -> str:
        # The participant's code (never a name) and where the interview took place.
        return mark_safe(
            f"{escape(obj.session.participant_code)}<br>"
            f'<span class="ufm-site">{escape(obj.session.site.label)}</span>'
        )

    @admin.display(description="question", ordering="question__position")
    def question_label(self, obj: Quote) -> str:
        return obj.question.label

    @admin.display(description="answer", ordering="answer_text")
    def answer_label(self, obj: Quote) -> str:
        return obj.answer_text or "None (open question)"

    @admin.display(description="coded answer")
    def coded_answer_label(self, obj: Quote) -> str:
        # The one-quote page's field: the answer's label, as the list shows it.
        return self.answer_label(obj)

    @admin.display(description="quote")
    def words(self, obj: Quote) -> str:
        return obj.text

    @admin.display(description="tags")
    def tag_list(self, obj: Quote) -> str:
        """The sub-themes as chips, grouped under their theme's name (words, not colours)."""
        if not hasattr(obj, "tag_labels"):  # a quote not from a page of the list
            page_tags_attach([obj])
        if not obj.tag_labels:
            return format_html('<span class="ufm-untagged">{}</span>', "Untagged")
        # Escaped as format_html would (Django's escape is html.escape), without its checks
        # for lazy text around each of a page's hundreds of labels.
        return mark_safe(
            "".join(
                f'<span class="ufm-chip-group"><span class="ufm-chip-theme">{escape(theme)}:'
                "</span> "
                + " ".join(f'<span class="ufm-chip">{escape(label)}</span>' for _, label in group)
                + "</span>"
                for theme, group in groupby(obj.tag_labels, key=itemgetter(0))
            )
        )

    def save_model(self, request, obj, form, change) -> None:
        # Only the tags change: the quote row itself is never written from here.
        services.tags_set(quote=obj, subthemes=form.cleaned_data["subthemes"], user=request.user)

    def save_related(self, request, form, formsets, change) -> None:
        pass

    @admin.action(description="Add tags…", permissions=["tag"])
    def add_tags(self, request, queryset):
        return self._tag_action(request, queryset, adding=True)

    @admin.action(description="Remove tags…", permissions=["tag"])
    def remove_tags(self, request, queryset):
        return self._tag_action(request, queryset, adding=False)

    def _tag_action(self, request, queryset, *, adding: bool):
        quotes = list(queryset.select_related("session"))
        evaluations = {q.session.evaluation_id for q in quotes}
        if len(evaluations) > 1:
            self.message_user(
                request,
                "These quotes are of more than one evaluation, each with its own codebook: "
                "choose quotes of one evaluation (filter the list by evaluation first).",
                messages.ERROR,
            )
            return None
        if adding:
            choices = SubTheme.objects.of(evaluations.pop()).for_tagging()
        else:
            choices = SubTheme.objects.filter(tags__quote__in=quotes).distinct()
        form = SubThemePickForm(request.POST if "apply" in request.POST else None, queryset=choices)
        if form.is_valid():
            chosen = form.cleaned_data["subthemes"]
            if adding:
                n = services.tags_add(quotes=quotes, subthemes=chosen, user=request.user)
                self.message_user(request, f"Added {n} tag(s) to {len(quotes)} quote(s).")
            else:
                n = services.tags_remove(quotes=quotes, subthemes=chosen)
                self.message_user(request, f"Removed {n} tag(s) from {len(quotes)} quote(s).")
            return None
        return TemplateResponse(
            request,
            "admin/themes/tag_action.html",
            {
                **self.admin_site.each_context(request),
                "title": "Add tags" if adding else "Remove tags",
                "adding": adding,
                "action": "add_tags" if adding else "remove_tags",
                "quotes": quotes,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
