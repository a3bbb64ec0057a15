"""Agreement between coders, exactly: Krippendorff's alpha (nominal), Cohen's kappa, percent
agreement, and their rounding for files and pages.

Pure arithmetic on plain Python values, no Django: every figure is a ``fractions.Fraction``, so
the published examples come out exactly (113/152, 29/44) and nothing is ever NaN or a division
by zero. A statistic that is not defined is ``None`` with a reason in words. No library: exact
fractions need none, so there is no licence to check.

The data are units (here: a quote, or a quote and a sub-theme), each with the values of the
coders who coded it; a coder who did not code a unit is simply not among its values (missing,
not "no").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

# Why a statistic is undefined, in the words the pages and the kept figures use.
NO_PAIRS = "no quote was coded by two coders"
NO_VARIATION = "no variation: every coder made the same choice on every quote"
NOT_TWO_CODERS = "Cohen's kappa needs exactly two coders"


@dataclass(frozen=True)
class Statistic:
    """A figure, or None with the reason it is undefined."""

    value: Fraction | None
    reason: str = ""

    @property
    def defined(self) -> bool:
        return self.value is not None


def undefined(reason: str) -> Statistic:
    return Statistic(None, reason)


def signatures(units: Iterable[Iterable[Hashable]]) -> Counter:
    """How many units have each set of value counts: {frozenset({(value, count), ...}): units}.

    Units with the same counts weigh the same in every statistic here, so a large round is
    reduced to a handful of signatures before any fraction is made (the bench's 10,000 quotes
    × 12 sub-themes × 3 coders is 120,000 units but only a few signatures)."""
    found: Counter = Counter()
    for unit in units:
        found[frozenset(Counter(unit).items())] += 1
    return found


def alpha_nominal(units: Iterable[Iterable[Hashable]]) -> Statistic:
    """Krippendorff's alpha for nominal data: any hashable values, any number of coders,
    missing values left out of a unit. Krippendorff (2011), "Computing Krippendorff's
    Alpha-Reliability", section C: alpha = 1 - (n - 1) * D / E, where, over the pairable
    values (units with two or more), D is the disagreeing part of the coincidence matrix and
    E the sum of n_c * n_k over pairs of different values."""
    return alpha_from_signatures(signatures(units))


def alpha_from_signatures(found: Counter) -> Statistic:
    """``alpha_nominal`` of units already reduced by ``signatures``."""
    totals: Counter = Counter()  # n_c: pairable values of each kind
    disagreement = Fraction(0)  # sum of the coincidences o_ck with c != k
    for signature, weight in found.items():
        m = sum(count for _, count in signature)
        if m < 2:
            continue  # a value nobody else coded is not pairable
        for value, count in signature:
            totals[value] += count * weight
        # Each unit adds n_c * n_k / (m - 1) to o_ck for every ordered pair c != k.
        same = sum(count * (count - 1) for _, count in signature)
        disagreement += Fraction((m * (m - 1) - same) * weight, m - 1)
    n = sum(totals.values())
    if n == 0:
        return undefined(NO_PAIRS)
    expected = n * n - sum(count * count for count in totals.values())
    if expected == 0:
        return undefined(NO_VARIATION)
    return Statistic(1 - (n - 1) * disagreement / expected)


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> Statistic:
    """Cohen's kappa for two coders: ``pairs`` are (coder 1's value, coder 2's value), one a
    unit that both coded. kappa = (p_o - p_e) / (1 - p_e), p_e from each coder's own shares."""
    counted = Counter(pairs)
    return kappa_from_pairs(counted)


def kappa_from_pairs(counted: Counter) -> Statistic:
    """``cohen_kappa`` of units already counted: {(value 1, value 2): units}."""
    total = sum(counted.values())
    if total == 0:
        return undefined(NO_PAIRS)
    first: Counter = Counter()
    second: Counter = Counter()
    agreed = 0
    for (a, b), weight in counted.items():
        first[a] += weight
        second[b] += weight
        if a == b:
            agreed += weight
    # p_e * total², in integers until the one division.
    chance = sum(first[value] * second[value] for value in first)
    if chance == total * total:
        return undefined(NO_VARIATION)
    return Statistic(Fraction(agreed * total - chance, total * total - chance))


def percent_agreement(found: Counter) -> Statistic:
    """The percent of pairable units (two or more values) on which every value is the same,
    from ``signatures``."""
    pairable = agreed = 0
    for signature, weight in found.items():
        if sum(count for _, count in signature) < 2:
            continue
        pairable += weight
        if len(signature) == 1:
            agreed += weight
    if pairable == 0:
        return undefined(NO_PAIRS)
    return Statistic(Fraction(100 * agreed, pairable))


def round_half_up(value: Fraction, places: int) -> str:
    """``value`` to ``places`` decimals, halves away from zero (0.6585 → "0.659", -0.0005 →
    "-0.001"), as text: exactly, never through a float."""
    scale = 10**places
    magnitude = abs(value) * scale
    whole = (magnitude.numerator * 2 + magnitude.denominator) // (magnitude.denominator * 2)
    sign = "-" if value < 0 and whole else ""
    digits = str(whole).rjust(places + 1, "0")
    if not places:
        return sign + digits
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def shown(statistic: Statistic, places: int = 3) -> str:
    """A statistic for a file: rounded, or blank where undefined (exchange.md)."""
    return round_half_up(statistic.value, places) if statistic.defined else ""


def units_of(table: Sequence[Sequence[Hashable | None]]) -> list[list[Hashable]]:
    """A reliability data matrix (one row per coder, one column per unit, None for missing),
    as Krippendorff prints it, turned into units of present values."""
    return [[value for value in column if value is not None] for column in zip(*table, strict=True)]
