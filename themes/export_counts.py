"""The count exports' builders: counts.csv and theme_counts.csv, counted by the database."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, F, Q, QuerySet

from interviews import schedule
from themes.export_filters import ExportFilters
from themes.export_rows import ITEMS, ONE_ANSWER, QUOTE_ITEMS
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

UCLA3_VALUES: tuple[int, ...] = tuple(range(3, 10))
UCLA3_MISSING = "missing"
UCLA3_MISSING_LABEL = "Missing (an item not answered)"


def percent(n: int, base: int) -> str:
    """100 * n / base to one decimal place, half up (12.5, 33.3, 6.25 → 6.3); blank when
    nobody is counted, since a share of nothing is not a number."""
    if not base:
        return ""
    value = (Decimal(100 * n) / Decimal(base)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return str(value)


def counts_rows(filters: ExportFilters) -> Iterator[list]:
    """counts.csv: every answer code of every item, demographic and UCLA-3 score, with n."""
    sessions = filters.sessions()
    session_ids = sessions.values("pk")
    base = sessions.count()

    answered = {
        (item, answer): n
        for item, answer, n in ItemAnswer.objects.filter(session__in=session_ids)
        .values_list("item", "answer")
        .annotate(n=Count("pk"))
        .order_by()
    }
    # One query for all one-answer demographics: a filtered count per (variable, code).
    demographic_counts = Demographics.objects.filter(session__in=session_ids).aggregate(
        **{
            f"n_{q.code}_{i}": Count("pk", filter=Q(**{q.code: code}))
            for q in schedule.ONE_ANSWER_DEMOGRAPHICS
            for i, code in enumerate(q.choices.values)
        }
    )
    sees = dict(
        WeeklyContact.objects.filter(session__in=session_ids)
        .values_list("code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    scores = dict(sessions.with_ucla3().values_list("ucla3").annotate(n=Count("pk")).order_by())

    def row(section: str, variable: str, value: str, label: str, n: int) -> list:
        return [section, variable, value, label, n, base, percent(n, base)]

    yield list(COUNT_COLUMNS)
    for item in ITEMS:
        for answer in schedule.Answer:
            yield row("schedule", item, answer.value, answer.label, answered.get((item, answer), 0))
    for question in schedule.DEMOGRAPHIC_QUESTIONS:
        for i, choice in enumerate(question.choices):
            if question.many:
                n = sees.get(choice.value, 0)
            else:
                n = demographic_counts[f"n_{question.code}_{i}"]
            yield row("demographics", question.code, choice.value, choice.label, n)
    for value in UCLA3_VALUES:
        yield row("score", "ucla3", str(value), str(value), scores.get(value, 0))
    missing = scores.get(None, 0)
    yield row("score", "ucla3", UCLA3_MISSING, UCLA3_MISSING_LABEL, missing)


def theme_counts_rows(filters: ExportFilters) -> Iterator[list]:
    """theme_counts.csv: distinct quotes and participants per theme and sub-theme, for all
    quotes, then by item, by item:answer and by each one-answer demographic."""
    themes = list(Theme.objects.order_by("order", "code"))
    subthemes = list(SubTheme.objects.order_by("theme__order", "order", "code"))
    taggable = set(SubTheme.objects.for_tagging().values_list("pk", flat=True))
    by_theme: dict[int, list[SubTheme]] = {}
    for subtheme in subthemes:
        by_theme.setdefault(subtheme.theme_id, []).append(subtheme)

    def rows_for(
        by: str, group_label: str, key: tuple, theme_n: dict, sub_n: dict, *, zeros: bool
    ) -> Iterator[list]:
        for theme in themes:
            t_quotes, t_people = theme_n.get((key, theme.pk), (0, 0))
            if zeros or t_quotes:
                yield [by, group_label, theme.code, "", t_quotes, t_people]
            for subtheme in by_theme.get(theme.pk, []):
                s_quotes, s_people = sub_n.get((key, subtheme.pk), (0, 0))
                if s_quotes or (zeros and subtheme.pk in taggable):
                    yield [by, group_label, theme.code, subtheme.code, s_quotes, s_people]

    tables = _theme_count_tables(filters)
    yield list(THEME_COUNT_COLUMNS)
    yield from rows_for("all", "", (), *tables["all"], zeros=True)
    for item in QUOTE_ITEMS:
        yield from rows_for("item", item, (item,), *tables["item"], zeros=False)
    for item in ITEMS:
        for answer in schedule.Answer.values:
            key = (item, answer)
            yield from rows_for("answer", f"{item}:{answer}", key, *tables["answer"], zeros=False)
    for question in schedule.ONE_ANSWER_DEMOGRAPHICS:
        for code in question.choices.values:
            yield from rows_for(question.code, code, (code,), *tables[question.code], zeros=False)


def _theme_count_tables(filters: ExportFilters) -> dict[str, tuple[dict, dict]]:
    """{by: (per theme, per sub-theme)} counts of distinct quotes and participants, keyed by
    (group key, unit id). PostgreSQL adds up the per-interview counts it keeps ready (see
    ``themes.exports_pg``); elsewhere the ORM makes two grouped queries per grouping."""
    if connection.vendor == "postgresql":
        from themes import exports_pg

        tables = exports_pg.theme_counts_tables(filters)
        empty: tuple[dict, dict] = ({}, {})
        by_names = ["all", "item", "answer", *ONE_ANSWER]
        return {by: tables.get(by, empty) for by in by_names}

    tags = Tag.objects.filter(quote__in=filters.quotes().values("pk"))
    tables = {"all": _counted_on(tags), "item": _counted_on(tags, item=F("quote__item"))}
    # A quote's coded answer is its session's answer to the quote's item (open questions
    # have none, so the join leaves them out, as it should).
    answer_tags = tags.filter(quote__session__answers__item=F("quote__item"))
    tables["answer"] = _counted_on(
        answer_tags, item=F("quote__item"), answer=F("quote__session__answers__answer")
    )
    for question in schedule.ONE_ANSWER_DEMOGRAPHICS:
        tables[question.code] = _counted_on(
            tags, value=F(f"quote__session__demographics__{question.code}")
        )
    return tables


def _counted_on(tags: QuerySet, **group) -> tuple[dict, dict]:
    """Distinct quotes and participants per (group, theme id) and per (group, sub-theme id);
    one query for each level, grouped by the database."""
    measures = {
        "quotes": Count("quote_id", distinct=True),
        "participants": Count("quote__session_id", distinct=True),
    }
    result = []
    for unit in ("subtheme__theme_id", "subtheme_id"):
        rows = tags.values(**group, unit=F(unit)).annotate(**measures).order_by()
        result.append(
            {
                (tuple(r[k] for k in group), r["unit"]): (r["quotes"], r["participants"])
                for r in rows
            }
        )
    return result[0], result[1]
