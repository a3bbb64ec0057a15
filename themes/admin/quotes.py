"""The quotes changelist, where analysts tag quotes; its capped-count paginator.

The quotes changelist registers ``interviews.Quote`` itself (no proxy model, so no migration):
analysts see only ``Quote.objects.for_analysis()`` and change nothing but a quote's tags.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Subquery
from django.template.response import TemplateResponse
from django.utils.functional import cached_property

from interviews.models import Answer, Quote
from themes import permissions, services
from themes.admin.filters import (
    AnswerFilter,
    EvaluationFilter,
    QuestionFilter,
    SiteFilter,
    SubThemeFilter,
    ThemeFilter,
    UntaggedFilter,
    current_schedule,
    demographic_filter,
)
from themes.admin.tagging import TaggingPageMixin
from themes.forms import QuoteTagForm, SubThemePickForm
from themes.models import SubTheme, Tag
from ufm.admin import HistoryAdmin


class CappedCountPaginator(Paginator):
    """Counts matching quotes only up to CAP: an exact count of half a million quotes costs
    ten times the page itself, and past twenty pages nobody pages on, they filter (theme
    counts come from the exports). The changelist then says "more than 2,000"
    (admin/interviews/quote/pagination.html)."""

    CAP = 2_000

    @cached_property
    def count(self) -> int:
        # Without ordering or display-only columns (they cannot change a count), and
        # stopping after CAP + 1 rows.
        return self.object_list.order_by().values("pk")[: self.CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.CAP

    @property
    def cap_label(self) -> str:
        return f"{self.CAP:,}"


@admin.register(Quote)
class QuoteAdmin(TaggingPageMixin, HistoryAdmin):
    list_display = ["participant", "question", "coded_answer_label", "words", "tag_list"]
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
        # Verified, not withdrawn, with quote consent; the answer and tags in a fixed number
        # of queries, whatever the number of rows.
        answer = Answer.objects.filter(
            session=OuterRef("session"), question=OuterRef("question")
        ).values("option__code")[:1]
        return (
            Quote.objects.for_analysis()
            .select_related("session", "question")
            .annotate(coded_answer=Subquery(answer))
            .prefetch_related(
                Prefetch(
                    "tags",
                    queryset=Tag.objects.select_related("subtheme").order_by(
                        "subtheme__theme__order", "subtheme__order", "subtheme__code"
                    ),
                )
            )
        )

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

    @admin.display(description="participant code", ordering="session__participant_code")
    def participant(self, obj: Quote) -> str:
        return obj.session.participant_code

    @admin.display(description="coded answer", ordering="coded_answer")
    def coded_answer_label(self, obj: Quote) -> str:
        return obj.coded_answer or "–"

    @admin.display(description="quote")
    def words(self, obj: Quote) -> str:
        return obj.text

    @admin.display(description="tags")
    def tag_list(self, obj: Quote) -> str:
        return "; ".join(tag.subtheme.code for tag in obj.tags.all()) or "–"

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
