"""The themes app's models: the codebook and tags, the theme-count summary, export records,
the report's settings.

Each kind lives in a module of its own; everything imports them from here."""

from themes.models.codebook import SubTheme, SubThemeQuerySet, Tag, Theme
from themes.models.count_summary import ThemeCountSummary
from themes.models.export_records import ExportChannel, ExportFormat, ExportRecord
from themes.models.report_settings import Recommendation, ReportSettings, ScoreCutoff

__all__ = [
    "ExportChannel",
    "ExportFormat",
    "ExportRecord",
    "Recommendation",
    "ReportSettings",
    "ScoreCutoff",
    "SubTheme",
    "SubThemeQuerySet",
    "Tag",
    "Theme",
    "ThemeCountSummary",
]
