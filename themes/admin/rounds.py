"""Coding rounds in the admin: the list, "Start a round" (the add page), the round's page (its
change page), the coder's blind coding page, closing, the analysis meeting and agreement.csv.

Who may do what: ``themes.permissions`` (view, start, code, close; settling tags quotes). Each
view fetches the round through ``_round`` (404 for no such round), checks its permission
(403), calls one service and maps its ValidationError to messages on the page.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import FileResponse, Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from interviews.models import Evaluation, Quote
from themes import permissions
from themes.admin.tagging import keyed_groups
from themes.export_filters import evaluation_to_export
from themes.exports_xlsx import CONTENT_TYPE as WORKBOOK_TYPE
from themes.forms import grouped_by_theme
from themes.models import CodingRound, ExportRecord
from themes.rounds import pages, services
from themes.rounds.files import agreement_stream, agreement_workbook, file_name
from themes.rounds.forms import RoundCodeForm, RoundSettleForm, RoundStartForm
from themes.rounds.selection import SelectionError, chosen_ids
from ufm.admin import HistoryAdmin

Coders = CodingRound.coders.through
Quotes = CodingRound.quotes.through


def _count(through) -> Subquery:
    """A count of a round's rows in a many-to-many table, as a subquery: two joins in one
    query would multiply each other's rows."""
    return Subquery(
        through.objects.filter(codinground=OuterRef("pk"))
        .values("codinground")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


@admin.register(CodingRound)
class CodingRoundAdmin(HistoryAdmin):
    list_display = ["name", "evaluation", "status", "coder_count", "quote_count", "closed_at"]
    list_filter = ["status", "evaluation"]
    list_select_related = ["evaluation"]
    # The "n of N" total would count every round again: the filtered count is enough.
    show_full_result_count = False
    # The version pages show these; never the coders' or quotes' lists (a quote's words).
    fields = ["name", "evaluation", "status", "selection", "seed", "created_at", "closed_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("evaluation")
            .annotate(coder_count=_count(Coders), quote_count=_count(Quotes))
        )

    @admin.display(description="coders", ordering="coder_count")
    def coder_count(self, obj) -> int:
        return obj.coder_count or 0

    @admin.display(description="quotes", ordering="quote_count")
    def quote_count(self, obj) -> int:
        return obj.quote_count or 0

    def has_add_permission(self, request) -> bool:
        return request.user.has_perm(permissions.START_ROUNDS)

    def has_change_permission(self, request, obj=None) -> bool:
        # A round changes through its own pages (coding, closing), never through a form.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def may_revert(self, request, obj=None) -> bool:
        return False

    def index_tasks(self, request) -> list[dict[str, str]]:
        if not self.has_add_permission(request):
            return []
        return [
            {
                "label": "Start a coding round",
                "url": reverse("admin:themes_codinground_add"),
                "help": "Two or more analysts code the same quotes blind; see their agreement.",
            }
        ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/code/", view(self.code_view), name="themes_codinground_code"),
            path("<int:object_id>/close/", view(self.close_view), name="themes_codinground_close"),
            path(
                "<int:object_id>/meeting/",
                view(self.meeting_view),
                name="themes_codinground_meeting",
            ),
            path(
                "<int:object_id>/meeting/<int:quote_id>/",
                view(self.settle_view),
                name="themes_codinground_settle",
            ),
            path(
                "<int:object_id>/agreement/",
                view(self.agreement_view),
                name="themes_codinground_agreement",
            ),
            *super().get_urls(),
        ]

    # -- helpers --------------------------------------------------------------------------

    def _round(self, request, object_id, permission: str = permissions.VIEW_ROUNDS):
        """The round, for a user with ``permission``: 403 without it, 404 for no such round."""
        if not request.user.has_perm(permission):
            raise PermissionDenied
        found = self.get_queryset(request).filter(pk=object_id).first()
        if found is None:
            raise Http404("No such coding round.")
        return found

    def _page(self, request, template: str, coding_round, title: str, **context):
        return TemplateResponse(
            request,
            f"admin/themes/codinground/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "round": coding_round,
                **context,
            },
        )

    def _to(self, name: str, coding_round, *args) -> HttpResponseRedirect:
        return HttpResponseRedirect(
            reverse(f"admin:themes_codinground_{name}", args=[coding_round.pk, *args])
        )

    # -- pages ----------------------------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        """Start a round: its name, coders and quotes (filters, all or a seeded sample)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        evaluations = list(Evaluation.objects.exclude(status=Evaluation.Status.DESIGN))
        code = request.POST.get("evaluation") or request.GET.get("evaluation")
        evaluation = evaluation_to_export(evaluations, code) or evaluation_to_export(evaluations)
        if evaluation is None:
            raise Http404("There is no evaluation with quotes yet.")
        form = RoundStartForm(request.POST or None, user=request.user, evaluation=evaluation)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            try:
                ids, described = chosen_ids(form.choice())
                coding_round = services.round_start(
                    evaluation=evaluation,
                    name=form.cleaned_data["name"],
                    coders=form.cleaned_data["coders"],
                    quote_ids=ids,
                    selection=described,
                    seed=form.cleaned_data.get("seed") if form.choice().how != "all" else None,
                    user=request.user,
                )
            except SelectionError as error:
                problems = [str(error)]
            except ValidationError as error:
                problems = error.messages
            else:
                self.message_user(request, f"Started the round '{coding_round.name}'.")
                return self._to("change", coding_round)
        elif request.method == "POST":
            problems = [
                f"{form.fields[name].label}: {error}" if name in form.fields else error
                for name, errors in form.errors.items()
                for error in errors
            ]
        return self._page(
            request,
            "start.html",
            None,
            "Start a coding round",
            form=form,
            problems=problems,
            evaluation=evaluation,
            evaluations=evaluations,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The round's page: how it was chosen, who codes, how far, and once closed its
        figures (a dash and the reason where one is undefined)."""
        if request.method == "POST":
            raise PermissionDenied  # nothing on this page is sent
        coding_round = self._round(request, object_id)
        user = request.user
        return self._page(
            request,
            "round.html",
            coding_round,
            f"Coding round: {coding_round.name}",
            progress=pages.progress(coding_round),
            rows=[] if coding_round.is_open else pages.figure_rows(coding_round),
            is_coder=coding_round.coders.filter(pk=user.pk).exists(),
            may_close=coding_round.is_open and user.has_perm(permissions.CLOSE_ROUNDS),
            may_code=user.has_perm(permissions.CODE_IN_ROUNDS),
        )

    def code_view(self, request, object_id: int):
        """The coder's page: one quote, the codebook's boxes ticked as this coder ticked them
        (nobody else's tags, not even the project's), save and next."""
        coding_round = self._round(request, object_id, permissions.CODE_IN_ROUNDS)
        if not coding_round.coders.filter(pk=request.user.pk).exists():
            raise PermissionDenied
        subthemes = services.round_subthemes(coding_round)
        form = RoundCodeForm(request.POST or None, subthemes=subthemes)
        problems: list[str] = []
        asked = request.POST.get("quote") or request.GET.get("quote", "")
        quote_id = int(asked) if asked.isascii() and asked.isdigit() else None
        checked = None
        if request.method == "POST":
            if not form.is_valid():
                problems = ["Choose the sub-themes of the quote shown, then save."]
            else:
                checked = {s.pk for s in form.cleaned_data["subthemes"]}
                quote = Quote.objects.filter(pk=form.cleaned_data["quote"]).first()
                try:
                    if quote is None:
                        raise ValidationError("This quote is not one of the round's.")
                    services.round_code(
                        coding_round=coding_round,
                        coder=request.user,
                        quote=quote,
                        subthemes=form.cleaned_data["subthemes"],
                    )
                except ValidationError as error:
                    problems = error.messages
                else:
                    self.message_user(request, "Saved. This is your next quote.")
                    return self._to("code", coding_round)
        page = pages.coding_page(coding_round, request.user, quote_id, checked)
        # The tagging page's sub-themes with their keys; blind: nothing is the project's
        # (no tags, no report choices).
        groups = keyed_groups(page.groups, tagged=set(), chosen=set())
        return self._page(
            request,
            "code.html",
            coding_round,
            f"Coding round {coding_round.name}",
            page=page,
            groups=groups,
            problems=problems,
        )

    def close_view(self, request, object_id: int):
        """Close the round (after a confirmation): its figures are kept for good."""
        coding_round = self._round(request, object_id, permissions.CLOSE_ROUNDS)
        problems: list[str] = []
        if request.method == "POST" and request.POST.get("close") == "yes":
            try:
                services.round_close(coding_round=coding_round, user=request.user)
            except ValidationError as error:
                problems = error.messages
            else:
                self.message_user(request, f"Closed the round '{coding_round.name}'.")
                return self._to("change", coding_round)
        elif request.method == "POST":
            problems = ["Press “Close the round” to close it."]
        return self._page(
            request,
            "close.html",
            coding_round,
            f"Close the round {coding_round.name}",
            problems=problems,
            progress=pages.progress(coding_round),
        )

    def meeting_view(self, request, object_id: int):
        """The analysis meeting: every quote the coders disagree on, by sub-theme."""
        coding_round = self._round(request, object_id)
        groups = [] if coding_round.is_open else pages.meeting(coding_round)
        return self._page(
            request,
            "meeting.html",
            coding_round,
            f"Analysis meeting: {coding_round.name}",
            groups=groups,
            may_settle=request.user.has_perm(permissions.TAG_QUOTES),
        )

    def settle_view(self, request, object_id: int, quote_id: int):
        """The team's final tags for one quote: they become the project's tags."""
        coding_round = self._round(request, object_id, permissions.TAG_QUOTES)
        quote = get_object_or_404(pages.round_quotes(coding_round), pk=quote_id)
        if coding_round.is_open:
            self.message_user(request, "Close the round first.", messages.ERROR)
            return self._to("change", coding_round)
        people = coding_round.coders.all() | get_user_model().objects.filter(pk=request.user.pk)
        form = RoundSettleForm(
            request.POST or None,
            subthemes=services.round_subthemes(coding_round),
            people=people.distinct().order_by("first_name", "username"),
            initial={
                "quote": quote.pk,
                "subthemes": list(quote.tags.values_list("subtheme_id", flat=True)),
            },
        )
        problems: list[str] = []
        if request.method == "POST":
            if form.is_valid():
                try:
                    added, removed = services.round_settle(
                        coding_round=coding_round,
                        quote=quote,
                        subthemes=form.cleaned_data["subthemes"],
                        agreed_by=form.cleaned_data["agreed_by"],
                        user=request.user,
                    )
                except ValidationError as error:
                    problems = error.messages
                else:
                    self.message_user(request, f"Settled: {added} tag(s) added, {removed} removed.")
                    return self._to("meeting", coding_round)
            else:
                problems = [e for errors in form.errors.values() for e in errors]
        checked = form.data.getlist("subthemes") if form.is_bound else form.initial["subthemes"]
        return self._page(
            request,
            "settle.html",
            coding_round,
            f"Settle a quote: {coding_round.name}",
            shown=pages.shown(coding_round, quote),
            form=form,
            groups=grouped_by_theme(
                form.fields["subthemes"].queryset, {int(c) for c in checked if str(c).isdigit()}
            ),
            problems=problems,
        )

    def agreement_view(self, request, object_id: int):
        """agreement.csv of a closed round (?format=excel for Excel, xlsx for a workbook)."""
        coding_round = self._round(request, object_id)
        if coding_round.is_open:
            self.message_user(
                request, "The figures are ready when the round is closed.", messages.ERROR
            )
            return self._to("change", coding_round)
        chosen = request.GET.get("format", "csv")
        channel = ExportRecord.Channel.DOWNLOAD
        if chosen == "xlsx":
            workbook = agreement_workbook(
                coding_round=coding_round, user=request.user, channel=channel
            )
            return FileResponse(
                workbook,
                as_attachment=True,
                filename=file_name("agreement", "xlsx"),
                content_type=WORKBOOK_TYPE,
            )
        response = StreamingHttpResponse(
            agreement_stream(
                coding_round=coding_round,
                excel=chosen == "excel",
                user=request.user,
                channel=channel,
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{file_name("agreement")}"'
        return response
