"""Forms of the analysts' pages in the admin: tagging, merging and exports."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from interviews.models import Evaluation, Quote
from themes import permissions
from themes.export_filters import ExportFilters
from themes.exports import EXPORTS
from themes.filter_forms import FiltersForm
from themes.models import SubTheme


def grouped_by_theme(subthemes, checked: set[int]) -> list[tuple]:
    """[(theme, [(sub-theme, is checked), ...]), ...] in codebook order, for checkboxes
    grouped under their themes."""
    groups: list[tuple] = []
    for subtheme in subthemes:
        if not groups or groups[-1][0].pk != subtheme.theme_id:
            groups.append((subtheme.theme, []))
        groups[-1][1].append((subtheme, subtheme.pk in checked))
    return groups


class SubThemeChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, queryset, **kwargs) -> None:
        super().__init__(
            queryset=queryset.select_related("theme").order_by("theme__order", "order", "code"),
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )


class QuoteTagForm(forms.ModelForm):
    """A quote's own page: its sub-themes as checkboxes. The words themselves are read-only."""

    subthemes = SubThemeChoiceField(SubTheme.objects.none(), required=False, label="Sub-themes")

    class Meta:
        model = Quote
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = set()
        if self.instance.pk:
            current = set(self.instance.tags.values_list("subtheme_id", flat=True))
        # Retired sub-themes a quote already has stay ticked, so saving never drops them. Only
        # the quote's own evaluation's codebook (joined, not read: no query more).
        own = SubTheme.objects.filter(evaluation__sessions=self.instance.session_id)
        self.fields["subthemes"].queryset = (
            own.filter(Q(pk__in=SubTheme.objects.for_tagging().values("pk")) | Q(pk__in=current))
            .select_related("theme")
            .order_by("theme__order", "order", "code")
        )
        self.fields["subthemes"].initial = list(current)
        self.current = current

    def grouped(self) -> list[tuple]:
        if self.is_bound:
            checked = {int(v) for v in self.data.getlist("subthemes") if str(v).isdigit()}
        else:
            checked = self.current
        return grouped_by_theme(self.fields["subthemes"].queryset, checked)


class SubThemePickForm(forms.Form):
    """The intermediate page of "Add tags…" and "Remove tags…"."""

    subthemes = SubThemeChoiceField(
        SubTheme.objects.none(),
        label="Sub-themes",
        error_messages={"required": "Choose at least one sub-theme."},
    )

    def __init__(self, *args, queryset, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subthemes"].queryset = queryset.select_related("theme").order_by(
            "theme__order", "order", "code"
        )

    def grouped(self) -> list[tuple]:
        checked = set()
        if self.is_bound:
            checked = {int(v) for v in self.data.getlist("subthemes") if str(v).isdigit()}
        return grouped_by_theme(self.fields["subthemes"].queryset, checked)


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=SubTheme.objects.none(),
        label="Merge into",
        help_text="The tags move to this sub-theme; a quote tagged with both keeps one tag.",
    )

    def __init__(self, *args, exclude: list[int], evaluation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            SubTheme.objects.of(evaluation_id)
            .for_tagging()
            .exclude(pk__in=exclude)
            .order_by("theme__order", "order")
        )


KIND_LABELS = {
    "interviews": "interviews.csv – one row per interview, with quotes",
    "quotes": "quotes.csv – one row per quote, with its tags",
    "counts": "counts.csv – how many gave each answer",
    "theme_counts": "theme_counts.csv – quotes and participants per theme",
}


class ExportForm(FiltersForm):
    """Which file, with the contract's filters (``FiltersForm``). The button pressed chooses
    the format.

    Only a user with ``themes.export_unverified`` (coordinators) is offered interviews not yet
    verified: for anyone else the field does not exist, so a forged one is never read."""

    kind = forms.ChoiceField(
        label="File",
        choices=[(kind, KIND_LABELS[kind]) for kind in EXPORTS],
        widget=forms.RadioSelect,
        initial="counts",
        error_messages={"required": "Choose a file.", "invalid_choice": "Choose a file."},
    )
    include_unverified = forms.BooleanField(
        label="Include interviews not yet verified", required=False
    )

    def __init__(self, *args, user, evaluation: Evaluation, **kwargs) -> None:
        super().__init__(*args, evaluation=evaluation, **kwargs)
        if not user.has_perm(permissions.EXPORT_UNVERIFIED):
            del self.fields["include_unverified"]

    @property
    def offers_unverified(self) -> bool:
        return "include_unverified" in self.fields

    def filters(self, *, include_unverified: bool | None = None) -> ExportFilters:
        if include_unverified is None:
            include_unverified = self.cleaned_data.get("include_unverified", False)
        return super().filters(include_unverified=include_unverified)
