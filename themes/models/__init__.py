"""The themes app's models: the codebook and tags, the theme-count summary, export records.

Each kind lives in a module of its own; everything imports them from here."""

from themes.models.codebook import SubTheme, SubThemeQuerySet, Tag, Theme
from themes.models.count_summary import ThemeCountSummary
from themes.models.export_records import ExportChannel, ExportFormat, ExportRecord

__all__ = [
    "ExportChannel",
    "ExportFormat",
    "ExportRecord",
    "SubTheme",
    "SubThemeQuerySet",
    "Tag",
    "Theme",
    "ThemeCountSummary",
]
