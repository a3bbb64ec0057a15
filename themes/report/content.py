"""The report's content as one tree of dataclasses: built once (``themes.report.build``) and
read by every renderer (page, Word document, charts zip), so that they can never differ.

Every figure here is already as published: suppressed (``themes.report.suppression``) and
worded. Labels only, never codes, except ``key`` (a file name in the charts zip) and
``Bar.code`` (the chart data's CSV, read beside counts.csv)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    """One answer of a chart: its label and its count as published."""

    code: str
    label: str
    text: str  # "12" or "fewer than 5"
    percent: str  # "21.4", blank when hidden
    hidden: bool
    value: int  # the count drawn (0 when hidden: a bar's length would tell the number)

    @property
    def words(self) -> str:
        """What the bar's label says: "12 (21.4%)" or "fewer than 5"."""
        return f"{self.text} ({self.percent}%)" if self.percent else self.text


@dataclass(frozen=True)
class Share:
    """A share stated under a chart: the people whose answer is one of the list's answers up
    to and including ``up_to``, as published."""

    up_to: str  # that answer's code (the chart data's CSV)
    meaning: str  # "saw fewer than three people a week"
    text: str  # "12", "fewer than 5" or "all but fewer than 5"
    percent: str  # blank when hidden
    sentence: str  # "12 of the 56 people we interviewed (21.4%) saw ..."


@dataclass(frozen=True)
class Chart:
    """A bar chart and the table of its numbers. ``description`` is its alt text."""

    key: str
    title: str
    description: str
    base: int
    base_text: str  # "n = 56" or "n = 56 participants, each could tick several"
    bars: tuple[Bar, ...]
    note: str = ""
    shares: tuple[Share, ...] = ()


@dataclass(frozen=True)
class QuoteGroup:
    """What people who gave one answer said: the memo, the chosen quotes, others up to the
    limit, and how many more there are."""

    label: str
    memo: str
    chosen: tuple[str, ...]
    others: tuple[str, ...]
    more: int

    @property
    def more_text(self) -> str:
        return f"and {self.more} more" if self.more else ""

    @property
    def is_empty(self) -> bool:
        return not (self.memo or self.chosen or self.others)


@dataclass(frozen=True)
class Finding:
    """One question of the schedule, as asked: its chart (coded questions) and what people
    said, answer by answer (open questions: one group)."""

    code: str
    question: str
    chart: Chart | None
    groups: tuple[QuoteGroup, ...]


@dataclass(frozen=True)
class ScoreFinding:
    """A derived score's distribution and how the report reads it."""

    chart: Chart
    cutoff: str  # the sentence stating the cut-off, or that none is used


@dataclass(frozen=True)
class ThemeFinding:
    """A key theme or sub-theme: its participants and quotes as published, memo, chosen
    quotes; a theme holds its sub-themes."""

    label: str
    description: str
    participants: str
    quotes: str
    memo: str
    chosen: tuple[str, ...]
    subthemes: tuple[ThemeFinding, ...] = ()


@dataclass(frozen=True)
class RecommendationText:
    text: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """The whole report. ``refusal`` is set when the filter leaves too few interviews for
    figures: then every chart and count is left out, and the refusal says why."""

    title: str
    details: tuple[str, ...]
    introduction: tuple[str, ...]
    filters: tuple[str, ...]
    threshold: int
    refusal: str
    methodology: tuple[str, ...]
    findings: tuple[Finding, ...]
    demographics: tuple[Finding, ...]
    scores: tuple[ScoreFinding, ...]
    themes: tuple[ThemeFinding, ...]
    recommendations: tuple[RecommendationText, ...]
    charts: tuple[Chart, ...] = field(default=())

    @property
    def suppression_note(self) -> str:
        return (
            f"To protect the people we interviewed, a count from 1 to {self.threshold - 1} is "
            f"shown as “fewer than {self.threshold}” without a percentage, and where such a "
            "count could be worked out from the others, the next smallest is hidden too."
        )
