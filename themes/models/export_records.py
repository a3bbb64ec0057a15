"""The record of every export made: who, when, which file, format and filters."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ExportChannel(models.TextChoices):
    DOWNLOAD = "download", "Download"
    COMMAND = "command", "Management command"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    EXCEL = "excel", "CSV for Excel"
    XLSX = "xlsx", "Excel workbook (.xlsx)"
    # The report (themes.report): a Word document, a web page, a zip of its charts.
    DOCX = "docx", "Word document (.docx)"
    HTML = "html", "Web page (.html)"
    ZIP = "zip", "Charts (.zip)"


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
