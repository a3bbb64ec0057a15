"""Reads of coding rounds for other pages: the closed rounds' kept figures (for the report's
methodology), and a coder's own codings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from themes.models import CodingRound
from themes.rounds.figures import OVERALL, SUBTHEME


@dataclass(frozen=True)
class ClosedRound:
    """A closed round as the report reads it: kept rows (``figures.Row.as_kept``: codes,
    labels, coders, quotes, agreement, kappa, alpha as text or None, and reasons)."""

    name: str
    closed_at: datetime.datetime
    overall: dict
    subthemes: list[dict]
    themes: list[dict]


def rounds_closed(evaluation) -> list[ClosedRound]:
    """The evaluation's closed rounds, first closed first, with their kept figures; one query.
    Numbers only: the figures stay as they were when the round closed, whatever happens to
    the quotes afterwards (a withdrawal)."""
    found = []
    for coding_round in CodingRound.objects.of(evaluation).closed().order_by("closed_at", "pk"):
        rows = coding_round.figures.get("rows", [])
        found.append(
            ClosedRound(
                name=coding_round.name,
                closed_at=coding_round.closed_at,
                overall=next((r for r in rows if r["level"] == OVERALL), {}),
                subthemes=[r for r in rows if r["level"] == SUBTHEME],
                themes=[r for r in rows if r["level"] not in (SUBTHEME, OVERALL)],
            )
        )
    return found
