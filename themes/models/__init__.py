"""The themes app's models: the codebook and tags, the theme-count summary, the counts stamp,
export records, memos and exemplars, coding rounds, the report's settings.

Each kind lives in a module of its own; everything imports them from here."""

from themes.models.codebook import SubTheme, SubThemeQuerySet, Tag, Theme
from themes.models.count_summary import ThemeCountSummary
from themes.models.counts_stamp import CountsStamp
from themes.models.export_records import ExportChannel, ExportFormat, ExportRecord
from themes.models.memos import Exemplar, Memo, TargetKind
from themes.models.report_settings import (
    AnswerShare,
    Recommendation,
    ReportSettings,
    ScoreCutoff,
)
from themes.models.rounds import CodingRound, RoundCoding, RoundStatus, RoundTag

__all__ = [
    "AnswerShare",
    "CodingRound",
    "CountsStamp",
    "Exemplar",
    "ExportChannel",
    "ExportFormat",
    "ExportRecord",
    "Memo",
    "Recommendation",
    "ReportSettings",
    "RoundCoding",
    "RoundStatus",
    "RoundTag",
    "ScoreCutoff",
    "SubTheme",
    "SubThemeQuerySet",
    "Tag",
    "TargetKind",
    "Theme",
    "ThemeCountSummary",
]
