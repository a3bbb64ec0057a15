"""The quotes changelist's filters: coded answer, theme, sub-theme, tagged, site, demographics."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Exists, OuterRef

from interviews import schedule
from themes.models import SubTheme, Tag, Theme


class AnswerFilter(admin.SimpleListFilter):
    title = "coded answer"
    parameter_name = "answer"

    def lookups(self, request, model_admin):
        return [*schedule.Answer.choices, ("none", "None (open question)")]

    def queryset(self, request, queryset):
        # EXISTS on the answers table, not a filter on the displayed coded_answer column: the
        # database can then use the answers' index instead of computing the column per quote.
        value = self.value()
        answers = ItemAnswer.objects.filter(session=OuterRef("session"), item=OuterRef("item"))
        if value == "none":
            return queryset.filter(~Exists(answers))
        if value:
            return queryset.filter(Exists(answers.filter(answer=value)))
        return queryset


class ThemeFilter(admin.SimpleListFilter):
    title = "theme"
    parameter_name = "theme"

    def lookups(self, request, model_admin):
        # Codes, not ids, in the address: readable, and a made-up value finds nothing
        # instead of failing.
        return [(t.code, t.label) for t in Theme.objects.order_by("order", "code")]

    def queryset(self, request, queryset):
        if self.value():
            return tagged_with(queryset, subtheme__theme__code=self.value())
        return queryset


def tagged_with(quotes, **tag_lookup):
    """The quotes with a tag matching ``tag_lookup``."""
    # Exists, not a join: a quote with two sub-themes of the theme is listed once.
    return quotes.filter(Exists(Tag.objects.filter(quote=OuterRef("pk"), **tag_lookup)))


class SubThemeFilter(admin.SimpleListFilter):
    title = "sub-theme"
    parameter_name = "subtheme"

    def lookups(self, request, model_admin):
        return [
            (s.code, f"{s.theme.label}: {s.label}{'' if s.is_active else ' (retired)'}")
            for s in SubTheme.objects.select_related("theme").filter(merged_into__isnull=True)
        ]

    def queryset(self, request, queryset):
        if self.value():
            return tagged_with(queryset, subtheme__code=self.value())
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


def demographic_filter(code: str, title: str) -> type[admin.SimpleListFilter]:
    """A filter on one demographic answer of the quote's participant (no query for choices)."""
    choices = schedule.DEMOGRAPHIC_CHOICES[code]

    class DemographicFilter(admin.SimpleListFilter):
        parameter_name = code

        def lookups(self, request, model_admin):
            return choices.choices

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{f"session__demographics__{code}": self.value()})
            return queryset

    DemographicFilter.title = title
    DemographicFilter.__name__ = f"{code.title().replace('_', '')}Filter"
    return DemographicFilter


class SiteFilter(admin.SimpleListFilter):
    title = "site"
    parameter_name = "site"

    def lookups(self, request, model_admin):
        from interviews.models import Site

        return [(s.code, s.label) for s in Site.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(session__site__code=self.value())
        return queryset
