"""Small numbers suppressed in what is published: the one rule for the report's figures.

A count from 1 to threshold - 1 is shown as "fewer than N" with no percentage (primary
suppression). Where a hidden count could be worked out from the total and the counts shown,
the next smallest count is hidden too (secondary suppression). The analysts' CSV and xlsx
exports are working files and stay exact; only the report (page, Word file, chart data) goes
through here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Shown:
    """One count as published: its words and its percentage (blank when hidden)."""

    n: int
    hidden: bool
    text: str
    percent: str


def is_small(n: int, threshold: int) -> bool:
    """Primary suppression: a count of at least one person and fewer than ``threshold``."""
    return 0 < n < threshold


def fewer_than(threshold: int) -> str:
    return f"fewer than {threshold}"


def hidden_cells(counts: Sequence[int], *, threshold: int, partition: bool) -> list[bool]:
    """Which of ``counts`` to hide.

    ``partition``: the counts add up to a total that is published (each person in exactly one
    of them, as with a one-answer question and its missing answers). Then a single hidden
    count would be the total less the others, so the next smallest count is hidden with it
    (non-zero counts first, a zero only when there is no other).

    Without a partition (tick all that apply: each count out of every participant), a count
    is also hidden when the people NOT counted are few (base - n is small): the base is
    published, so the few would be known. That case is ``complement_hidden``."""
    hidden = [is_small(n, threshold) for n in counts]
    if not partition or sum(hidden) != 1:
        return hidden
    shown = [(n == 0, n, i) for i, n in enumerate(counts) if not hidden[i]]
    if shown:
        hidden[min(shown)[2]] = True
    return hidden


def complement_hidden(counts: Sequence[int], *, base: int, threshold: int) -> list[bool]:
    """For counts that are each out of ``base`` (tick all that apply): hidden when the count
    or the people it leaves out (base - n) are from 1 to threshold - 1."""
    return [is_small(n, threshold) or is_small(base - n, threshold) for n in counts]


def shown_counts(
    counts: Sequence[int], *, base: int, threshold: int, partition: bool, percent
) -> list[Shown]:
    """The counts as published, each with its percentage of ``base`` (``percent(n, base)``,
    the counts export's rounding) unless hidden."""
    if partition:
        hidden = hidden_cells(counts, threshold=threshold, partition=True)
    else:
        hidden = complement_hidden(counts, base=base, threshold=threshold)
    return [
        Shown(n, True, fewer_than(threshold), "")
        if hide
        else Shown(n, False, str(n), percent(n, base))
        for n, hide in zip(counts, hidden, strict=True)
    ]


def group_reveals(hidden: Sequence[bool], inside: Sequence[bool]) -> bool:
    """Whether publishing the total of the counts ``inside`` a group (a score at or above its
    cut-off) would let someone work out a hidden count of a partition: when hidden counts lie
    both inside and outside the group and either side holds only one of them."""
    hidden_in = sum(1 for h, i in zip(hidden, inside, strict=True) if h and i)
    hidden_out = sum(1 for h, i in zip(hidden, inside, strict=True) if h and not i)
    return hidden_in > 0 and hidden_out > 0 and (hidden_in == 1 or hidden_out == 1)


def too_few(base: int, threshold: int) -> bool:
    """A filter leaving fewer interviews than the threshold: no figures at all."""
    return base < threshold
