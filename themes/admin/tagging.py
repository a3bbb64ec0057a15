"""The one-quote tagging page: what it shows (the question as asked, the answer, the
participant's other words, the codebook with a key for each sub-theme, memos, the report's
choices), "save and next untagged" within the list's filters, and the report-choice buttons.

``TaggingPageMixin`` is the quotes admin's part for its change page (themes.admin.quotes)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from interviews.models import Answer, Quote
from interviews.schedules import schedule_of
from themes import permissions
from themes.admin.memos import withdrawn_words_warning
from themes.memo_services import exemplar_choose, exemplar_unchoose
from themes.memos import ANSWER, SUBTHEME, THEME, memos_about, quote_exemplar_keys, target_code
from themes.models import Memo, SubTheme, Tag

# The keys that tick the sub-themes, in codebook order: 1–9, then the letters. Enter saves and
# opens the next untagged quote (static/js/tagging_keys.js reads the keys from the page).
KEYS = "123456789abcdefghijklmnopqrstuvwxyz"
CHANGELIST_FILTERS = "_changelist_filters"


@dataclass
class Choice:
    """One sub-theme on the page: its checkbox, key, and the report choice for it."""

    subtheme: SubTheme
    checked: bool
    tagged: bool
    key: str
    chosen: bool
    memo: Memo | None = None

    @property
    def target(self) -> str:
        return target_code((SUBTHEME, (self.subtheme.pk,)))


@dataclass
class ThemeGroup:
    theme: object
    choices: list[Choice] = field(default_factory=list)
    memo: Memo | None = None


def keyed_groups(groups: list[tuple], *, tagged: set[int], chosen: set[tuple]) -> list:
    """``QuoteTagForm.grouped()`` with a key for each sub-theme (``KEYS``, then none)."""
    keyed, place = [], 0
    for theme, options in groups:
        group = ThemeGroup(theme)
        for subtheme, checked in options:
            key = KEYS[place] if place < len(KEYS) else ""
            place += 1
            group.choices.append(
                Choice(
                    subtheme=subtheme,
                    checked=checked,
                    tagged=subtheme.pk in tagged,
                    key=key,
                    chosen=(SUBTHEME, (subtheme.pk,)) in chosen,
                )
            )
        keyed.append(group)
    return keyed


def tagging_context(quote: Quote, form) -> dict:
    """What the page shows beside the form; a fixed number of queries whatever the number of
    the participant's quotes or of the codebook's sub-themes."""
    evaluation = quote.session.evaluation
    schedule = schedule_of(evaluation)
    question = schedule.by_id[quote.question_id]
    # The quotes list's own annotation (themes.admin.quotes), else read here.
    if hasattr(quote, "coded_answer"):
        code = quote.coded_answer
    else:
        code = (
            Answer.objects.filter(session_id=quote.session_id, question_id=quote.question_id)
            .values_list("option__code", flat=True)
            .first()
        )
    option = question.option(code) if code else None
    # The participant's words in this interview, in survey order (one query; the questions'
    # words come from the schedule, read once and kept).
    words = [
        {"pk": pk, "text": text, "question": schedule.by_id[question_id].label}
        for pk, question_id, text in Quote.objects.filter(session_id=quote.session_id)
        .order_by("question__position", "position", "pk")
        .values_list("pk", "question_id", "text")
    ]
    # The sub-themes and their themes (one query, the form's).
    chosen = quote_exemplar_keys(quote)
    groups = keyed_groups(form.grouped(), tagged=form.current, chosen=chosen)
    tagged = [c.subtheme for g in groups for c in g.choices if c.tagged]
    memos = memos_about(
        evaluation,
        subthemes=tagged,
        themes={s.theme_id for s in tagged},
        question=question.id,
        option=option.id if option else None,
    )
    by_key = {memo.target_key: memo for memo in memos}
    for group in groups:
        group.memo = by_key.get((THEME, (group.theme.pk,)))
        for choice in group.choices:
            choice.memo = by_key.get((SUBTHEME, (choice.subtheme.pk,)))
    answer_key = (ANSWER, (question.id, option.id if option else None))
    unwritten = [(answer_key, f"“{question.label}”" + (f" · {option.label}" if option else ""))]
    for group in groups:
        if any(c.tagged for c in group.choices) and group.memo is None:
            unwritten.append(((THEME, (group.theme.pk,)), f"theme “{group.theme.label}”"))
        unwritten += [
            ((SUBTHEME, (c.subtheme.pk,)), f"sub-theme “{c.subtheme.label}”")
            for c in group.choices
            if c.tagged and c.memo is None
        ]
    new_memo, code = reverse("admin:themes_memo_add"), evaluation.code
    return {
        "quote": quote,
        "question": question,
        "answer": option,
        "words": words,
        "groups": groups,
        "memos": [{"memo": memo, "warning": withdrawn_words_warning(memo)} for memo in memos],
        "memos_to_write": [
            {
                "label": label,
                "url": f"{new_memo}?{urlencode({'evaluation': code, 'target': target_code(key)})}",
            }
            for key, label in unwritten
            if key not in by_key
        ],
        "answer_chosen": (ANSWER, ()) in chosen,
        "evaluation": evaluation,
    }


class FiltersOnly(ChangeList):
    """The quotes list's filters and search applied, without reading a page of it."""

    def get_results(self, request) -> None:
        self.result_count = self.full_result_count = 0
        self.result_list = []
        self.can_show_all = self.multi_page = False


class TaggingPageMixin:
    """The quotes admin's change page as the tagging page, and its report-choice buttons."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The page reads the evaluation's schedule: its row, without another query later.
            obj.session.evaluation  # noqa: B018  (one query, here rather than in a template)
        return obj

    def get_urls(self):
        exemplar = path(
            "<path:object_id>/exemplar/",
            self.admin_site.admin_view(self.exemplar_view),
            name="interviews_quote_exemplar",
        )
        return [exemplar, *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(tagging_context(obj, context["adminform"].form))
            tagging = self.has_change_permission(request, obj)
            context["title"] = "Tag a quote" if tagging else "A quote"
            context["subtitle"] = f"Participant {obj.session.participant_code}"
            context["may_choose"] = request.user.has_perm(permissions.CHOOSE_EXEMPLARS)
            context["may_write_memos"] = request.user.has_perm(permissions.WRITE_MEMOS)
            context["exemplar_url"] = add_preserved_filters(
                {"preserved_filters": self.get_preserved_filters(request), "opts": obj._meta},
                reverse("admin:interviews_quote_exemplar", args=[obj.pk]),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        if "_savenextuntagged" not in request.POST:
            return super().response_change(request, obj)
        following = self.next_untagged(request, obj)
        preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": obj._meta}
        if following is None:
            self.message_user(request, "Saved. Every quote in the list is tagged now.")
            url = reverse("admin:interviews_quote_changelist")
            filters = request.GET.get(CHANGELIST_FILTERS, "")
            return HttpResponseRedirect(f"{url}?{filters}" if filters else url)
        self.message_user(request, "Saved. This is the next untagged quote.")
        url = reverse("admin:interviews_quote_change", args=[following.pk])
        return HttpResponseRedirect(add_preserved_filters(preserved, url))

    def filtered_quotes(self, request, quote: Quote):
        """The quotes of the list the page was opened from (its filters and search, kept in
        ``_changelist_filters``), of the quote's evaluation unless the list chose one."""
        filters = QueryDict(request.GET.get(CHANGELIST_FILTERS, ""), mutable=True)
        filters.setdefault("evaluation", quote.session.evaluation.code)
        listing = copy.copy(request)
        listing.GET = filters
        try:
            changelist = FiltersOnly(
                listing,
                self.model,
                [],
                [],
                self.get_list_filter(listing),
                None,
                self.get_search_fields(listing),
                False,
                self.list_per_page,
                self.list_max_show_all,
                (),
                self,
                (),
                None,
            )
        except IncorrectLookupParameters:
            # A hand-edited address: the whole list of the quote's evaluation instead.
            return Quote.objects.for_analysis().filter(
                session__evaluation_id=quote.session.evaluation_id
            )
        return changelist.queryset

    def next_untagged(self, request, obj: Quote) -> Quote | None:
        """The first untagged quote after this one in the list's order (within its filters),
        else the first untagged one from the top."""
        untagged = (
            self.filtered_quotes(request, obj)
            .filter(~Exists(Tag.objects.filter(quote=OuterRef("pk"))))
            .exclude(pk=obj.pk)
            .order_by(*self.ordering)
        )
        code, place = obj.session.participant_code, obj.question.position
        same = {"session__participant_code": code}
        after = (
            Q(session__participant_code__gt=code)
            | Q(**same, question__position__gt=place)
            | Q(**same, question__position=place, position__gt=obj.position)
            | Q(**same, question__position=place, position=obj.position, pk__gt=obj.pk)
        )
        return untagged.filter(after).first() or untagged.first()

    def exemplar_view(self, request, object_id: str):
        return _exemplar_view(request, self, object_id)


@require_POST
def _exemplar_view(request, model_admin, object_id: str):
    """Choose the quote for the report, or no longer: ``choose`` or ``unchoose`` names the
    group (``subtheme-ID``, or ``answer`` for its item × answer group). Back to its page."""
    if not request.user.has_perm(permissions.CHOOSE_EXEMPLARS):
        raise PermissionDenied
    quote = model_admin.get_object(request, object_id)
    if quote is None:
        raise Http404("No such quote, or not one you may see.")
    back = add_preserved_filters(
        {"preserved_filters": model_admin.get_preserved_filters(request), "opts": quote._meta},
        reverse("admin:interviews_quote_change", args=[quote.pk]),
    )
    choosing = "choose" in request.POST
    code = request.POST.get("choose") or request.POST.get("unchoose") or ""
    subtheme = None
    if code != ANSWER:
        subtheme = (
            SubTheme.objects.filter(
                evaluation_id=quote.session.evaluation_id, pk=_number(code)
            ).first()
            if code.startswith(f"{SUBTHEME}-")
            else None
        )
        if subtheme is None:
            messages.error(request, "Choose what to use this quote in the report for.")
            return HttpResponseRedirect(back)
    group = f"“{subtheme.label}”" if subtheme else "its question and answer"
    try:
        if choosing:
            exemplar_choose(quote=quote, subtheme=subtheme, user=request.user)
            messages.success(request, f"This quote will be used in the report for {group}.")
        else:
            exemplar_unchoose(quote=quote, subtheme=subtheme)
            messages.success(request, f"This quote is no longer used in the report for {group}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(back)


def _number(code: str) -> int:
    tail = code.rpartition("-")[2]
    return int(tail) if tail.isdigit() else 0
