"""The report's charts made from counts.csv's rows (``themes.export_counts.counts_rows``, the
one counting): a question's answers in their fixed order, or its largest groups with the rest
grouped, each count suppressed as published."""

from __future__ import annotations

from interviews.schedules import ScheduleQuestion
from themes.export_counts import SCORE_MISSING, percent, score_values
from themes.report.content import Bar, Chart, Share
from themes.report.suppression import fewer_than, group_reveals, is_small, shown_counts

# A one-answer question with more answers than this shows its largest groups and the rest as
# one ("the largest groups, the rest grouped"): ethnic groups, not five answers of a scale.
MANY_OPTIONS = 8
LARGEST_GROUPS = 5
NOT_ANSWERED = "not_answered"
NOT_ANSWERED_LABEL = "Not answered"
OTHER_GROUPS = "all_other_groups"

# counts.csv's rows, read once: {(variable, value): n} and the base.
Counted = dict[tuple[str, str], int]


def counted_rows(rows) -> tuple[Counted, int | None]:
    """counts.csv's rows (header first) as {(variable, value): n}, and its base (None when the
    schedule has no select question or score)."""
    counted: Counted = {}
    base = None
    for _section, variable, value, _label, n, row_base, _percent in list(rows)[1:]:
        counted[(variable, value)] = n
        base = row_base
    return counted, base


def _bars(entries, *, base: int, threshold: int, partition: bool) -> tuple[Bar, ...]:
    """``entries`` (code, label, n) as published bars."""
    shown = shown_counts(
        [n for _, _, n in entries],
        base=base,
        threshold=threshold,
        partition=partition,
        percent=percent,
    )
    return tuple(
        Bar(code, label, s.text, s.percent, s.hidden, 0 if s.hidden else s.n)
        for (code, label, _), s in zip(entries, shown, strict=True)
    )


def describe(title: str, bars: tuple[Bar, ...], base_text: str) -> str:
    """The chart's alt text and SVG <desc>: what it shows, bar by bar, in words."""
    parts = "; ".join(f"{bar.label}: {bar.words}" for bar in bars)
    return f"Bar chart of {title} ({base_text}). {parts}."


def question_chart(
    question: ScheduleQuestion, counted: Counted, *, base: int, threshold: int, key: str
) -> Chart:
    """A select question's chart. One answer: each person once, so the counts (with "Not
    answered" when some are missing) add up to the interviews; tick all that apply: each
    answer out of every participant."""
    entries = [(o.code, o.label, counted.get((question.code, o.code), 0)) for o in question.options]
    if question.many:
        bars = _bars(entries, base=base, threshold=threshold, partition=False)
        base_text = f"n = {base} participants, each could tick several"
        note = "Percentages of participants: they may add up to more than 100."
    else:
        note = ""
        if len(entries) > MANY_OPTIONS:
            ranked = sorted(entries, key=lambda e: -e[2])  # stable: ties keep the fixed order
            largest, rest = ranked[:LARGEST_GROUPS], ranked[LARGEST_GROUPS:]
            entries = [
                *largest,
                (OTHER_GROUPS, f"All other groups ({len(rest)})", sum(n for *_, n in rest)),
            ]
            note = "The largest groups, then every other group together."
        missing = base - sum(n for *_, n in entries)
        if missing > 0:
            entries.append((NOT_ANSWERED, NOT_ANSWERED_LABEL, missing))
        bars = _bars(entries, base=base, threshold=threshold, partition=True)
        base_text = f"n = {base}"
    return Chart(
        key, question.label, describe(question.label, bars, base_text), base, base_text, bars, note
    )


def score_chart(
    score: ScheduleQuestion, counted: Counted, *, base: int, threshold: int, key: str
) -> Chart:
    """A derived score's distribution: every value from the lowest to the highest, then the
    interviews without one, as counts.csv lists them."""
    from themes.export_counts import SCORE_MISSING_LABEL

    entries = [(str(v), str(v), counted.get((score.code, str(v)), 0)) for v in score_values(score)]
    entries.append(
        (SCORE_MISSING, SCORE_MISSING_LABEL, counted.get((score.code, SCORE_MISSING), 0))
    )
    bars = _bars(entries, base=base, threshold=threshold, partition=True)
    base_text = f"n = {base}"
    return Chart(key, score.label, describe(score.label, bars, base_text), base, base_text, bars)


def cutoff_sentence(
    chart: Chart, counted: Counted, score_code: str, cutoff, *, base: int, threshold: int
) -> str:
    """The sentence the report must state about a score's cut-off (schedule.md: there may be
    no standard one; a report that uses one says so), with the share at or above it unless
    that share would reveal a hidden count."""
    if cutoff is None:
        return (
            "This report uses no cut-off for this score: the whole distribution is shown, "
            "as there is no standard one."
        )
    inside = []
    for bar in chart.bars:
        inside.append(bar.code != SCORE_MISSING and int(bar.code) >= cutoff.at_least)
    n = sum(
        counted.get((score_code, bar.code), 0)
        for bar, i in zip(chart.bars, inside, strict=True)
        if i
    )
    said = f"This report counts a score of {cutoff.at_least} or more as {cutoff.meaning}."
    hidden = [bar.hidden for bar in chart.bars]
    if group_reveals(hidden, inside):
        share = "Their number is not shown: with the counts above it would reveal a small one."
    elif is_small(n, threshold) or is_small(base - n, threshold):
        share = f"Fewer than {threshold} interviews were on one side of it."
    else:
        share = f"{n} of {base} ({percent(n, base)}%) had such a score."
    return " ".join(part for part in (said, share, cutoff.note) if part)


def answer_share(
    question: ScheduleQuestion, counted: Counted, share, *, base: int, threshold: int
) -> Share:
    """How many gave one of ``question``'s answers in order up to and including
    ``share.up_to``, from counts.csv's counts (the chart's). The sum or the people left out
    (base - sum) from 1 to threshold - 1 would tell a small number, or with the chart's other
    counts a hidden one: then it is "fewer than N" (or "all but fewer than N"), no percentage."""
    codes = []
    for option in question.options:
        codes.append(option.code)
        if option.id == share.up_to_id:
            break
    n = sum(counted.get((question.code, code), 0) for code in codes)
    if is_small(n, threshold) or is_small(base - n, threshold):
        text = (
            fewer_than(threshold) if is_small(n, threshold) else f"all but {fewer_than(threshold)}"
        )
        sentence = f"{text.capitalize()} of the {base} people we interviewed {share.meaning}."
        return Share(codes[-1], share.meaning, text, "", sentence)
    shown = percent(n, base)
    sentence = f"{n} of the {base} people we interviewed ({shown}%) {share.meaning}."
    return Share(codes[-1], share.meaning, str(n), shown, sentence)
