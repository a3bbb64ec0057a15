"""The count exports' builders: counts.csv and theme_counts.csv, counted by the database, their
rows in the survey order of the export's evaluation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, F, QuerySet

from interviews.models import Answer, Tick
from interviews.schedules import Schedule, ScheduleQuestion
from themes.export_filters import ExportFilters
from themes.export_rows import option_codes
from themes.models import SubTheme, Tag, Theme

COUNT_COLUMNS: tuple[str, ...] = ("section", "variable", "value", "label", "n", "base", "percent")
THEME_COUNT_COLUMNS: tuple[str, ...] = (
    "by",
    "group",
    "theme",
    "subtheme",
    "quotes",
    "participants",
)

SCORE = "score"  # counts.csv's section of the derived scores
SCORE_MISSING = "missing"
SCORE_MISSING_LABEL = "Missing (an item not answered)"


def percent(n: int, base: int) -> str:
    """100 * n / base to one decimal place, half up (12.5, 33.3, 6.25 → 6.3); blank when
    nobody is counted, since a share of nothing is not a number."""
    if not base:
        return ""
    value = (Decimal(100 * n) / Decimal(base)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return str(value)


def score_values(calculation: ScheduleQuestion) -> tuple[int, ...]:
    """The values counts.csv lists for a derived score: lowest to highest possible (none when
    a term scores nothing: every interview is then ``missing``)."""
    bounds = calculation.score_range()
    return tuple(range(bounds[0], bounds[1] + 1)) if bounds else ()


def counts_rows(filters: ExportFilters) -> Iterator[list]:
    """counts.csv: in survey order, every answer code of each select question (section
    ``schedule`` or ``demographics``, by its part) and every value of each derived score
    (section ``score``), with n."""
    schedule = filters.schedule
    sessions = filters.sessions()
    session_ids = sessions.values("pk")
    base = sessions.count()
    # Keyed by (question, option): answer lists are shared between questions.
    chosen = {
        (question, option): n
        for model in (Answer, Tick)
        for question, option, n in model.objects.filter(session__in=session_ids)
        .values_list("question_id", "option_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    scores = {}
    for calculation in schedule.scores:
        counted = sessions.score_totals(calculation)
        # Blank scores are the interviews counted without a value.
        scores[calculation.code] = {**counted, None: base - sum(counted.values())}

    def row(section: str, variable: str, value: str, label: str, n: int) -> list:
        return [section, variable, value, label, n, base, percent(n, base)]

    yield list(COUNT_COLUMNS)
    for question in schedule.questions:
        if question.is_score:
            counted = scores[question.code]
            for value in score_values(question):
                yield row(SCORE, question.code, str(value), str(value), counted.get(value, 0))
            missing = counted.get(None, 0)
            yield row(SCORE, question.code, SCORE_MISSING, SCORE_MISSING_LABEL, missing)
        elif question.is_select:
            for option in question.options:
                n = chosen.get((question.id, option.id), 0)
                yield row(question.part.value, question.code, option.code, option.label, n)


def theme_count_groupings(schedule: Schedule) -> Iterator[tuple[str, str, tuple]]:
    """The groupings of theme_counts.csv after "all", in order, as (by, group, key): by the
    quote's question, by question and its coded answer, then by each one-answer demographic.
    Keys are codes, as ``theme_count_tables`` gives them."""
    for question in schedule.quote_questions:
        yield "item", question.code, (question.code,)
    for question in schedule.quote_questions:
        if question.one_answer:
            for option in question.options:
                key = (question.code, option.code)
                yield "answer", f"{question.code}:{option.code}", key
    for question in schedule.variables:
        for option in question.options:
            yield question.code, option.code, (option.code,)


@dataclass(frozen=True)
class ThemeCounts:
    """Distinct quotes and participants per theme and sub-theme of one evaluation's codebook,
    in every grouping of theme_counts.csv: what the export writes and the analysis home shows.

    ``tables`` is {by: (per theme, per sub-theme)}, each keyed by (group key of codes, unit
    id), as ``theme_count_tables`` gives it; ``themes`` in codebook order, each with its
    sub-themes in ``subthemes_of``; ``taggable`` the ids of the sub-themes one may tag with."""

    themes: list[Theme]
    subthemes_of: dict[int, list[SubTheme]]
    taggable: frozenset[int]
    tables: dict[str, tuple[dict, dict]]

    def of(self, by: str, key: tuple, unit) -> tuple[int, int]:
        """(quotes, participants) of a theme or sub-theme in one group (0, 0 when none)."""
        theme_n, sub_n = self.tables.get(by, ({}, {}))
        counts = theme_n if isinstance(unit, Theme) else sub_n
        return counts.get((key, unit.pk), (0, 0))

    def rows(self, by: str, key: tuple, *, zeros: bool) -> Iterator[tuple[Theme, SubTheme | None]]:
        """The (theme, sub-theme or None) rows of one group, in codebook order: with
        ``zeros`` every theme and every taggable sub-theme, else only those counted."""
        for theme in self.themes:
            if zeros or self.of(by, key, theme)[0]:
                yield theme, None
            for subtheme in self.subthemes_of.get(theme.pk, []):
                if self.of(by, key, subtheme)[0] or (zeros and subtheme.pk in self.taggable):
                    yield theme, subtheme


def theme_counts(filters: ExportFilters, *, by_demographics: bool = True) -> ThemeCounts:
    """The theme counts of the quotes ``filters`` allow: the export's evaluation's codebook
    (three queries) and ``theme_count_tables`` (a fixed number of queries, whatever the
    number of quotes); without the groupings by demographic unless ``by_demographics``."""
    evaluation_id = filters.schedule.evaluation_id
    themes = list(Theme.objects.filter(evaluation_id=evaluation_id).order_by("order", "code"))
    subthemes = SubTheme.objects.of(evaluation_id).order_by("theme__order", "order", "code")
    taggable = SubTheme.objects.of(evaluation_id).for_tagging().values_list("pk", flat=True)
    subthemes_of: dict[int, list[SubTheme]] = {}
    for subtheme in subthemes:
        subthemes_of.setdefault(subtheme.theme_id, []).append(subtheme)
    return ThemeCounts(
        themes=themes,
        subthemes_of=subthemes_of,
        taggable=frozenset(taggable),
        tables=theme_count_tables(filters, by_demographics=by_demographics),
    )


def theme_counts_rows(filters: ExportFilters) -> Iterator[list]:
    """theme_counts.csv: distinct quotes and participants per theme and sub-theme, for all
    quotes, then by item, by item:answer and by each one-answer demographic."""
    counted = theme_counts(filters)

    def rows_for(by: str, group_label: str, key: tuple, *, zeros: bool) -> Iterator[list]:
        for theme, subtheme in counted.rows(by, key, zeros=zeros):
            quotes, people = counted.of(by, key, subtheme or theme)
            yield [by, group_label, theme.code, subtheme.code if subtheme else "", quotes, people]

    yield list(THEME_COUNT_COLUMNS)
    yield from rows_for("all", "", (), zeros=True)
    for by, group, key in theme_count_groupings(filters.schedule):
        yield from rows_for(by, group, key, zeros=False)


def theme_count_tables(
    filters: ExportFilters, *, by_demographics: bool = True
) -> dict[str, tuple[dict, dict]]:
    """{by: (per theme, per sub-theme)} counts of distinct quotes and participants, keyed by
    (group key, unit id), the group key in codes: "all", "item", "answer" and, unless
    ``by_demographics`` is off, each one-answer demographic. PostgreSQL adds up the
    per-interview counts it keeps ready (see ``themes.exports_pg``); elsewhere the ORM makes
    two grouped queries per grouping, the demographics all in one."""
    schedule = filters.schedule
    variables = [q.code for q in schedule.variables] if by_demographics else []
    if connection.vendor == "postgresql":
        from themes import exports_pg

        tables = exports_pg.theme_counts_tables(filters, by_demographics=by_demographics)
        empty: tuple[dict, dict] = ({}, {})
        return {by: tables.get(by, empty) for by in ["all", "item", "answer", *variables]}

    code_of = option_codes(schedule)

    def question_code(question_id: int) -> str:
        return schedule.by_id[question_id].code

    tags = Tag.objects.filter(quote__in=filters.quotes().values("pk"))
    tables = {
        "all": _counted_on(tags),
        "item": _counted_on(tags, lambda q: (question_code(q),), item=F("quote__question_id")),
    }
    # A quote's coded answer is its session's answer to the quote's question (open questions
    # have none, so the join leaves them out, as it should).
    answer_tags = tags.filter(quote__session__answers__question=F("quote__question"))
    tables["answer"] = _counted_on(
        answer_tags,
        lambda q, o: (question_code(q), code_of[o]),
        item=F("quote__question_id"),
        answer=F("quote__session__answers__option_id"),
    )
    if not by_demographics:
        return tables
    demographic_tags = tags.filter(
        quote__session__answers__question_id__in=[q.id for q in schedule.variables]
    )
    by_demographic = _counted_on(
        demographic_tags,
        lambda q, o: (question_code(q), (code_of[o],)),
        variable=F("quote__session__answers__question_id"),
        value=F("quote__session__answers__option_id"),
    )
    for code in variables:
        tables[code] = ({}, {})
    for level, counts in enumerate(by_demographic):
        for ((variable, key), unit), measured in counts.items():
            tables[variable][level][(key, unit)] = measured
    return tables


def _counted_on(
    tags: QuerySet, key_of: Callable[..., tuple] = lambda: (), **group
) -> tuple[dict, dict]:
    """Distinct quotes and participants per (group, theme id) and per (group, sub-theme id),
    the group's values (ids) made a key by ``key_of``; one query for each level, grouped by
    the database."""
    measures = {
        "quotes": Count("quote_id", distinct=True),
        "participants": Count("quote__session_id", distinct=True),
    }
    result = []
    for unit in ("subtheme__theme_id", "subtheme_id"):
        rows = tags.values(**group, unit=F(unit)).annotate(**measures).order_by()
        result.append(
            {
                (key_of(*(r[k] for k in group)), r["unit"]): (r["quotes"], r["participants"])
                for r in rows
            }
        )
    return result[0], result[1]
