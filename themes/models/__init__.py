"""The themes app's models: the codebook and tags, the theme-count summary, export records,
coding rounds.

Each kind lives in a module of its own; everything imports them from here."""

from themes.models.codebook import SubTheme, SubThemeQuerySet, Tag, Theme
from themes.models.count_summary import ThemeCountSummary
from themes.models.export_records import ExportChannel, ExportFormat, ExportRecord
from themes.models.rounds import CodingRound, RoundCoding, RoundStatus, RoundTag

__all__ = [
    "CodingRound",
    "ExportChannel",
    "ExportFormat",
    "ExportRecord",
    "RoundCoding",
    "RoundStatus",
    "RoundTag",
    "SubTheme",
    "SubThemeQuerySet",
    "Tag",
    "Theme",
    "ThemeCountSummary",
]
