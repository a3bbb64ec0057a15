"""A round's agreement table (exchange.md, agreement.csv): per sub-theme, per theme, overall.

The unit is the quote: for a sub-theme, each coder who coded a quote either tagged it with the
sub-theme or not; a coder who did not code it is missing. A theme is applied when any of its
sub-themes is. The overall row pools every sub-theme decision (a quote and a sub-theme is one
unit), so its percent agreement is of those decisions.

``table`` is plain Python on plain data (the bench times it without a database); ``round_table``
reads a round's codings and tags in three queries and calls it. The kept form of a row
(``as_kept``) is what a closed round stores and what agreement.csv and the report read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from themes.agreement import (
    NOT_TWO_CODERS,
    Statistic,
    alpha_from_signatures,
    kappa_from_pairs,
    percent_agreement,
    round_half_up,
    undefined,
)

SUBTHEME, THEME, OVERALL = "subtheme", "theme", "overall"


@dataclass(frozen=True)
class Code:
    """A sub-theme of the codebook as the table needs it."""

    subtheme_id: int
    subtheme: str
    subtheme_label: str
    theme: str
    theme_label: str


@dataclass(frozen=True)
class Row:
    """One row of the table: which codes, how many coders and quotes, and the three figures."""

    level: str
    theme: str
    theme_label: str
    subtheme: str
    subtheme_label: str
    coders: int
    quotes: int
    agreement: Statistic
    kappa: Statistic
    alpha: Statistic

    def as_kept(self) -> dict:
        """The row as a closed round keeps it: codes, labels, counts, each figure rounded as
        the files show it and exactly (a fraction as text), and why one is undefined."""
        kept = {
            "level": self.level,
            "theme": self.theme,
            "theme_label": self.theme_label,
            "subtheme": self.subtheme,
            "subtheme_label": self.subtheme_label,
            "coders": self.coders,
            "quotes": self.quotes,
        }
        for name, places in (("agreement", 1), ("kappa", 3), ("alpha", 3)):
            statistic = getattr(self, name)
            defined = statistic.defined
            kept[name] = round_half_up(statistic.value, places) if defined else None
            kept[f"{name}_exact"] = str(statistic.value) if defined else None
            kept[f"{name}_reason"] = statistic.reason
        return kept


def _binary_signature(m: int, yes: int) -> frozenset:
    """The signature (``themes.agreement.signatures``) of a unit of m yes/no values."""
    return frozenset(pair for pair in ((True, yes), (False, m - yes)) if pair[1])


class _Tally:
    """The counts one row's figures are made of: units by (coders, yes), and for two coders
    the (first, second) pairs."""

    def __init__(self) -> None:
        self.units: Counter = Counter()
        self.pairs: Counter = Counter()

    def add(self, values: Sequence[bool], pair: tuple[bool, bool] | None) -> None:
        self.units[len(values), sum(values)] += 1
        if pair is not None:
            self.pairs[pair] += 1

    def merge(self, other: _Tally) -> None:
        self.units.update(other.units)
        self.pairs.update(other.pairs)

    def row(self, level: str, code: Code | None, coders: int, quotes: int, two: bool) -> Row:
        found: Counter = Counter()
        for (m, yes), weight in self.units.items():
            found[_binary_signature(m, yes)] += weight
        return Row(
            level=level,
            theme=code.theme if code and level != OVERALL else "",
            theme_label=code.theme_label if code and level != OVERALL else "",
            subtheme=code.subtheme if code and level == SUBTHEME else "",
            subtheme_label=code.subtheme_label if code and level == SUBTHEME else "",
            coders=coders,
            quotes=quotes,
            agreement=percent_agreement(found),
            kappa=kappa_from_pairs(self.pairs) if two else undefined(NOT_TWO_CODERS),
            alpha=alpha_from_signatures(found),
        )


def table(
    *,
    codebook: Sequence[Code],
    codings: Iterable[tuple[int, int]],
    tags: Iterable[tuple[int, int, int]],
) -> list[Row]:
    """The agreement table of a round: ``codebook`` the active sub-themes in codebook order,
    ``codings`` (quote, coder) for every quote a coder coded, ``tags`` (quote, coder,
    sub-theme) for every tag of the round. Sub-theme rows, then theme rows, then overall."""
    coders_of: dict[int, list[int]] = defaultdict(list)
    for quote, coder in codings:
        coders_of[quote].append(coder)
    tagged: dict[tuple[int, int], set[int]] = defaultdict(set)
    for quote, coder, subtheme in tags:
        tagged[quote, coder].add(subtheme)
    everyone = sorted({c for coders in coders_of.values() for c in coders})
    two = len(everyone) == 2
    quotes = sum(1 for coders in coders_of.values() if len(coders) >= 2)
    themes: dict[str, list[Code]] = {}
    for code in codebook:
        themes.setdefault(code.theme, []).append(code)

    by_subtheme = {code.subtheme_id: _Tally() for code in codebook}
    by_theme = {theme: _Tally() for theme in themes}
    empty: set[int] = set()
    for quote, coders in coders_of.items():
        coders.sort()  # the first and second coder of kappa are the same on every quote
        chosen = [tagged.get((quote, coder), empty) for coder in coders]
        both = two and len(coders) == 2
        for code in codebook:
            values = [code.subtheme_id in tags_of for tags_of in chosen]
            by_subtheme[code.subtheme_id].add(values, (values[0], values[1]) if both else None)
        for theme, codes in themes.items():
            ids = {code.subtheme_id for code in codes}
            values = [not ids.isdisjoint(tags_of) for tags_of in chosen]
            by_theme[theme].add(values, (values[0], values[1]) if both else None)

    n = len(everyone)
    rows = [by_subtheme[code.subtheme_id].row(SUBTHEME, code, n, quotes, two) for code in codebook]
    rows += [
        by_theme[theme].row(THEME, codes[0], n, quotes, two) for theme, codes in themes.items()
    ]
    pooled = _Tally()
    for tally in by_subtheme.values():
        pooled.merge(tally)
    rows.append(pooled.row(OVERALL, None, n, quotes, two))
    return rows


def round_table(coding_round) -> list[Row]:
    """The agreement table of a round, from its codings now: three queries."""
    from themes.models import RoundCoding, RoundTag, SubTheme

    codebook = [
        Code(s.pk, s.code, s.label, s.theme.code, s.theme.label)
        # 1. the round's evaluation's active sub-themes, with their themes, in codebook order
        for s in SubTheme.objects.of(coding_round.evaluation_id)
        .for_tagging()
        .order_by("theme__order", "theme__code", "order", "code")
    ]
    # 2. who coded which quote
    codings = RoundCoding.objects.filter(coding_round=coding_round).values_list(
        "quote_id", "coder_id"
    )
    # 3. every tag of the round
    tags = RoundTag.objects.filter(coding_round=coding_round).values_list(
        "quote_id", "coder_id", "subtheme_id"
    )
    return table(codebook=codebook, codings=codings.iterator(), tags=tags.iterator())
