"""What the report reads from the analysts' other work: memos, chosen quotes (exemplars) and
coding-round agreement figures. The one seam between the report and those features.

Each function returns nothing until they land; then each reads through their selectors (e.g.
``themes.memos.memos_of(evaluation)``, ``exemplars_of(evaluation)``) in a fixed number of
queries, and the report shows what they return without further change.
"""

from __future__ import annotations

from dataclasses import dataclass

# A key names what a memo or a chosen quote belongs to:
#   ("answer", question code, answer code)   a coded answer of a schedule question
#   ("question", question code)              an open question
#   ("theme", theme code) / ("subtheme", sub-theme code)


@dataclass(frozen=True)
class Agreement:
    """One coding round's agreement, as agreement.csv's overall row has it."""

    round: str
    coders: int
    quotes: int
    agreement: str
    kappa: str
    alpha: str


def memos(evaluation) -> dict[tuple, str]:
    """{key: the analysts' memo}, for the evaluation."""
    return {}


def chosen_quotes(evaluation, quotes) -> dict[tuple, list[tuple[int, str]]]:
    """{key: [(quote id, its words), ...] chosen for it, in order}, only among ``quotes`` (a
    queryset of the quotes the report may show: consent, withdrawal and filters applied)."""
    return {}


def agreement(evaluation) -> list[Agreement]:
    """The evaluation's closed coding rounds' overall agreement, oldest first."""
    return []
