"""The codebook (../shared/spec/codebook.md) and the tags analysts put on quotes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Theme(models.Model):
    """One of the report's key themes; its sub-themes are what quotes are tagged with.

    On PostgreSQL, adding or deleting one fires triggers that may recount every interview's
    theme counts (``ThemeCountSummary``): the packed numbers' slots are ranks by id."""

    # Each evaluation has its own codebook (its workbook's codebook sheet).
    evaluation = models.ForeignKey(
        "interviews.Evaluation", on_delete=models.PROTECT, related_name="themes"
    )
    code = models.SlugField(max_length=50, help_text="Never changes once used.")
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="theme_code_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class SubThemeQuerySet(models.QuerySet):
    def of(self, evaluation) -> "SubThemeQuerySet":
        """The sub-themes of one evaluation's codebook."""
        return self.filter(evaluation=evaluation)

    def for_tagging(self) -> "SubThemeQuerySet":
        """What an analyst may tag with now: active, not merged away, under an active theme."""
        return self.filter(
            is_active=True, merged_into__isnull=True, theme__is_active=True
        ).select_related("theme")


class SubTheme(models.Model):
    """A sub-theme of the codebook. Retired or merged ones stay for history and exports.

    On PostgreSQL, adding, deleting or moving one to another theme fires triggers that may
    recount every interview's theme counts (``ThemeCountSummary``)."""

    # The theme's evaluation, kept here so that a code is unique within each codebook.
    evaluation = models.ForeignKey(
        "interviews.Evaluation", on_delete=models.PROTECT, related_name="subthemes"
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="subthemes")
    code = models.SlugField(max_length=50, help_text="Never changes once used.")
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(
        default=True, help_text="Retired sub-themes are hidden when tagging."
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )

    objects = SubThemeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme__order", "order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="subtheme_not_merged_into_self",
            ),
            models.UniqueConstraint(fields=["evaluation", "code"], name="subtheme_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.theme.label}: {self.label}"


class Tag(models.Model):
    """An analyst's judgement that a quote speaks to a sub-theme (and so to its theme).

    On PostgreSQL, every insert, update, delete or truncate fires triggers that recount the
    theme counts of the interviews concerned (``ThemeCountSummary``), in the same statement."""

    quote = models.ForeignKey("interviews.Quote", on_delete=models.CASCADE, related_name="tags")
    subtheme = models.ForeignKey(SubTheme, on_delete=models.PROTECT, related_name="tags")
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tagged_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["quote", "subtheme"]
        constraints = [
            models.UniqueConstraint(
                fields=["quote", "subtheme"], name="tag_one_per_quote_subtheme"
            ),
        ]
        indexes = [
            # Theme counts group tags by sub-theme.
            models.Index(fields=["subtheme", "quote"], name="tag_subtheme_quote_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.quote_id} → {self.subtheme.code}"
