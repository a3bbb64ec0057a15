"""The themes app's models: the codebook and tags, the theme-count summary, export records,
memos and exemplars.

Each kind lives in a module of its own; everything imports them from here."""

from themes.models.codebook import SubTheme, SubThemeQuerySet, Tag, Theme
from themes.models.count_summary import ThemeCountSummary
from themes.models.export_records import ExportChannel, ExportFormat, ExportRecord
from themes.models.memos import Exemplar, Memo, TargetKind

__all__ = [
    "Exemplar",
    "ExportChannel",
    "ExportFormat",
    "ExportRecord",
    "Memo",
    "SubTheme",
    "SubThemeQuerySet",
    "Tag",
    "TargetKind",
    "Theme",
    "ThemeCountSummary",
]
