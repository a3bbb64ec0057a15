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


class ThemeCountSummary(models.Model):
    """One interview's tag counts for one quote question, or for the whole interview
    (question_id 0): what theme_counts.csv adds up on PostgreSQL (``themes.exports_pg``).
    PostgreSQL only.

    The table is made and kept by themes migration 0008, not by Django (``managed = False``):
    PL/pgSQL triggers on tags, quotes, answers, interviews and the codebook recount an
    interview's rows in the same transaction as any change, so every path (services, admin,
    imports, withdrawals, raw SQL, COPY) leaves them as a recount from the tags would. Nothing
    in the app writes to it; ``manage.py theme_counts --check`` compares it with a recount,
    ``--rebuild`` recounts it, and the system check themes.E001 finds its triggers missing.
    SQLite has no such table: there the export counts the tags directly.

    The four counts are packed numbers, so that one ``sum()`` adds every sub-theme at once:
    sub-themes and themes are each ranked by id from 0, and the count of the one in slot k is
    worth 10^(10k) (``exports_pg._unpack`` reads them). Numbers only: never words or names.
    """

    # Packed numbers are PostgreSQL numerics of any length; max_digits is only for Django.
    PACKED = {"max_digits": 1000, "decimal_places": 0}
    WHOLE_INTERVIEW = 0  # the question_id of an interview's row over all its quotes

    pk = models.CompositePrimaryKey("session", "question_id")
    session = models.ForeignKey(
        "interviews.InterviewSession",
        on_delete=models.DO_NOTHING,  # the triggers delete the rows with the interview
        db_constraint=False,
        related_name="+",
    )
    # A number, not a key to Question: 0 (the whole interview) is no question's id.
    question_id = models.BigIntegerField(
        help_text="A quote question's id, or 0 for the whole interview."
    )
    # NULL, as in the table: '' would be a code, and no answer is not a code.
    answer = models.CharField(  # noqa: DJ001
        max_length=100,
        null=True,
        help_text="The code of the interview's answer to the question; NULL for the whole "
        "interview, an open question or none.",
    )
    subtheme_quotes = models.DecimalField(
        **PACKED, help_text="Quotes tagged with each sub-theme (packed)."
    )
    subtheme_people = models.DecimalField(
        **PACKED, help_text="1 for each sub-theme on any of those quotes (packed)."
    )
    theme_quotes = models.DecimalField(
        **PACKED, help_text="Quotes with any sub-theme of each theme (packed)."
    )
    theme_people = models.DecimalField(
        **PACKED, help_text="1 for each theme on any of those quotes (packed)."
    )

    class Meta:
        managed = False
        db_table = "themes_theme_count_summary"
        # Kept by the database alone: nobody is granted adding, changing or deleting rows.
        default_permissions = ()

    def __str__(self) -> str:
        if self.question_id == self.WHOLE_INTERVIEW:
            return f"{self.session_id} (whole interview)"
        return f"{self.session_id} question {self.question_id}"


class ExportChannel(models.TextChoices):
    DOWNLOAD = "download", "Download"
    COMMAND = "command", "Management command"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    EXCEL = "excel", "CSV for Excel"
    XLSX = "xlsx", "Excel workbook (.xlsx)"


class ExportRecord(models.Model):
    """Every export made, by download or command: who, when, which file and format, filters,
    rows."""

    Channel = ExportChannel
    Format = ExportFormat

    file = models.CharField(max_length=40)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=10, choices=ExportChannel.choices)
    filters = models.JSONField(default=dict, blank=True)
    format = models.CharField(max_length=10, choices=ExportFormat.choices, default="csv")
    rows = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at"]
        permissions = [("export_unverified", "Can export interviews not yet verified")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=ExportChannel.values), name="export_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=ExportFormat.values), name="export_format_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file} by {self.made_by_id} at {self.made_at:%Y-%m-%d %H:%M}"
