"""What the analysis home shows for one evaluation: tagging progress per quote question, and the
codebook as tables of quotes and participants (from ``theme_counts``, theme_counts.csv's own
counting), each number with the address of the quotes list filtered to exactly those quotes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.http import urlencode

from interviews.schedules import Schedule, ScheduleQuestion
from themes.export_counts import ThemeCounts, theme_counts
from themes.export_filters import ExportFilters
from themes.memos import SUBTHEME, exemplar_counts
from themes.models import SubTheme, Tag, Theme


def quotes_list_url(filters: ExportFilters, *, base: str | None = None, **params: str) -> str:
    """The quotes list of the filters' evaluation and quotes, narrowed by ``params`` (the
    ``parameter_name`` of each filter in themes.admin.filters): the site and the one-answer
    demographics by their codes, the interview dates as the list's date filter takes them.
    ``base`` is the list's address when already known (a page of hundreds of links)."""
    query = {"evaluation": filters.schedule.evaluation_code, **dict(filters.where)}
    if filters.date_from:
        query["date_from"] = filters.date_from.isoformat()
    if filters.date_to:
        query["date_to"] = filters.date_to.isoformat()
    base = base or quotes_list_base()
    return f"{base}?{urlencode({**query, **params})}"


def quotes_list_base() -> str:
    return reverse("admin:interviews_quote_changelist")


@dataclass(frozen=True)
class Count2:
    """A number of quotes and of participants, and the list of exactly those quotes."""

    quotes: int
    participants: int
    url: str
    # Quotes chosen for the report in this group (exemplars), None until they are counted.
    exemplars: int | None = None


@dataclass(frozen=True)
class Progress:
    """Quotes tagged and untagged, of one question or (``question`` None) of all."""

    question: ScheduleQuestion | None
    tagged: int
    untagged: int
    tagged_url: str
    untagged_url: str

    @property
    def total(self) -> int:
        return self.tagged + self.untagged

    @property
    def percent_tagged(self) -> int:
        """Rounded down, so that 100 % means every quote is tagged."""
        return 100 * self.tagged // self.total if self.total else 0


@dataclass(frozen=True)
class HomeNumbers:
    """Everything the home counts for one evaluation and filters: quotes tagged and untagged
    ({(question id, tagged): n}), the theme counts, and the quotes chosen for the report (as
    ``report_choices`` gives them)."""

    tagged: dict[tuple[int, bool], int]
    themes: ThemeCounts
    chosen: dict


def home_numbers(filters: ExportFilters) -> HomeNumbers:
    """The home's numbers, counted now: three or four queries, whatever the number of quotes
    (the admin page keeps them with its tables until the data changes)."""
    return HomeNumbers(
        tagged=tagging_counts(filters),
        # The home shows no grouping by demographic: the count leaves them out (faster).
        themes=theme_counts(filters, by_demographics=False),
        chosen=report_choices(filters),
    )


def home_key(filters: ExportFilters) -> tuple:
    """What names the home's numbers: the evaluation and every filter."""
    return (
        filters.schedule.evaluation_id,
        filters.include_unverified,
        tuple(filters.where),
        filters.date_from,
        filters.date_to,
    )


def tagging_counts(filters: ExportFilters) -> dict[tuple[int, bool], int]:
    """{(quote question id, tagged): number of quotes}; one query, grouped by the database."""
    grouped = (
        filters.quotes()
        .annotate(tagged=Exists(Tag.objects.filter(quote=OuterRef("pk"))))
        .values_list("question_id", "tagged")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if connection.vendor == "postgresql":
        from themes import exports_pg

        # Every quote of the evaluation: planned as theme_counts.csv's statement is.
        with exports_pg.whole_tables_plan():
            rows = list(grouped)
    else:
        rows = list(grouped)
    return {(question_id, tagged): n for question_id, tagged, n in rows}


def tagging_progress(
    filters: ExportFilters, counted: dict[tuple[int, bool], int] | None = None
) -> list[Progress]:
    """Every quote question in survey order, then the total, from ``counted`` (as
    ``tagging_counts`` gives it; counted now when not given)."""
    schedule = filters.schedule
    if counted is None:
        counted = tagging_counts(filters)

    base = quotes_list_base()

    def progress(question: ScheduleQuestion | None) -> Progress:
        ids = [question.id] if question else [q.id for q in schedule.quote_questions]
        item = {"item": question.code} if question else {}
        return Progress(
            question=question,
            tagged=sum(counted.get((i, True), 0) for i in ids),
            untagged=sum(counted.get((i, False), 0) for i in ids),
            tagged_url=quotes_list_url(filters, base=base, **item, tagged="yes"),
            untagged_url=quotes_list_url(filters, base=base, **item, tagged="no"),
        )

    return [*(progress(q) for q in schedule.quote_questions), progress(None)]


@dataclass
class CodebookRow:
    """A theme or one of its sub-themes, with its counts in each column of its table."""

    unit: Theme | SubTheme
    cells: list[Count2] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.unit.label

    @property
    def is_theme(self) -> bool:
        return isinstance(self.unit, Theme)


@dataclass
class CodebookTable:
    """One table of the codebook: all quotes, or one question's quotes by answer."""

    caption: str
    # The column heads after the row heads, and the group of theme_count_tables each counts,
    # as (by, group key of codes).
    columns: list[str]
    groups: list[tuple[str, tuple]]
    rows: list[CodebookRow]
    key: str  # for the element ids
    # Quotes chosen for the report for each column's question × answer (None: not counted).
    chosen: list[int | None] = field(default_factory=list)

    @property
    def column_heads(self) -> list[tuple[str, int | None]]:
        return list(zip(self.columns, self.chosen or [None] * len(self.columns), strict=True))


def codebook_tables(
    filters: ExportFilters,
    exemplar_counts: dict | None = None,
    counted: ThemeCounts | None = None,
) -> list[CodebookTable]:
    """The codebook with quotes and participants: all quotes, then for each quote question its
    quotes in all and by each answer (a one-answer question's); every theme and taggable
    sub-theme is a row, as in theme_counts.csv's "all" rows. Labels only.

    ``exemplar_counts``, when given, is {(by, group key, unit): number of quotes chosen for
    the report}, with the groups of ``theme_count_tables`` and a Theme or SubTheme as unit;
    each cell then shows its number. ``counted`` is the theme counts without the groupings
    by demographic (counted now when not given)."""
    if counted is None:
        counted = theme_counts(filters, by_demographics=False)
    schedule = filters.schedule
    tables = [
        _table(
            counted,
            filters,
            "All quotes",
            "all",
            [("Quotes and participants", "all", (), {})],
            exemplar_counts,
        )
    ]
    for question in schedule.quote_questions:
        groups = [("Any answer", "item", (question.code,), {"item": question.code})]
        if question.one_answer:
            groups += [
                (
                    option.label,
                    "answer",
                    (question.code, option.code),
                    {"item": question.code, "answer": option.code},
                )
                for option in question.options
            ]
        table = _table(counted, filters, question.label, question.code, groups, exemplar_counts)
        if exemplar_counts is not None:
            # "Any answer" counts the question's own choices (an open question's); each answer
            # column those of its question × answer.
            table.chosen = [
                exemplar_counts.get(("answer", group_key), 0) for _, _, group_key, _ in groups
            ]
        tables.append(table)
    return tables


def report_choices(filters: ExportFilters) -> dict:
    """How many quotes are chosen for the report in each group (``themes.memos.
    exemplar_counts``, one query), keyed as ``codebook_tables`` reads them: (by, group key,
    unit) for a sub-theme's (in the "all" table), ("answer", (question code, answer code or
    nothing)) for a question × answer's."""
    schedule = filters.schedule
    questions = {q.id: q for q in schedule.quote_questions}
    found: dict = {}
    for (kind, ids), n in exemplar_counts(schedule.evaluation_id, filters=filters).items():
        if kind == SUBTHEME:
            found[("all", (), SubTheme(pk=ids[0]))] = n
            continue
        question_id, option_id = ids
        question = questions.get(question_id)
        if question is None:
            continue
        option = next((o for o in question.options if o.id == option_id), None)
        group_key = (question.code, option.code) if option else (question.code,)
        found[("answer", group_key)] = found.get(("answer", group_key), 0) + n
    return found


def _table(
    counted: ThemeCounts, filters: ExportFilters, caption: str, key: str, groups, exemplar_counts
) -> CodebookTable:
    rows = []
    base = quotes_list_base()
    for theme, subtheme in counted.rows("all", (), zeros=True):
        unit = subtheme or theme
        tag_filter = {"subtheme": subtheme.code} if subtheme else {"theme": theme.code}
        row = CodebookRow(unit)
        for _, by, group_key, params in groups:
            quotes, people = counted.of(by, group_key, unit)
            url = quotes_list_url(filters, base=base, **params, **tag_filter)
            chosen = None
            if exemplar_counts is not None and by == "all" and isinstance(unit, SubTheme):
                # Quotes are chosen for a sub-theme as a whole: its row of the "all" table.
                chosen = exemplar_counts.get((by, group_key, unit), 0)
            row.cells.append(Count2(quotes, people, url, chosen))
        rows.append(row)
    return CodebookTable(
        caption=caption,
        columns=[label for label, *_ in groups],
        groups=[(by, group_key) for _, by, group_key, _ in groups],
        rows=rows,
        key=key,
    )


def listed_count(
    numbers: HomeNumbers,
    schedule: Schedule,
    *,
    item: str | None = None,
    answer: str | None = None,
    theme: str | None = None,
    subtheme: str | None = None,
    tagged: str | None = None,
) -> int | None:
    """How many quotes the quotes list holds with the home's filters and these of its own
    (its parameters: a question's code, an answer's code, a theme's or sub-theme's code,
    "yes" or "no" for tagged), read from the home's ``numbers``: every list a number of the
    home links to, and the lists of a question, a theme or a sub-theme. None for any other
    list, which is then counted."""
    question = None
    if item is not None:
        question = next((q for q in schedule.quote_questions if q.code == item), None)
        if question is None:
            return None
    if theme is None and subtheme is None:
        states = {None: (True, False), "yes": (True,), "no": (False,)}.get(tagged)
        if answer is not None or states is None:
            return None
        ids = [question.id] if question else [q.id for q in schedule.quote_questions]
        return sum(numbers.tagged.get((i, state), 0) for i in ids for state in states)
    if tagged is not None or (theme is not None and subtheme is not None):
        return None
    counted = numbers.themes
    if theme is not None:
        unit = next((t for t in counted.themes if t.code == theme), None)
    else:
        every = (s for subs in counted.subthemes_of.values() for s in subs)
        unit = next((s for s in every if s.code == subtheme), None)
    if unit is None:
        return None
    if answer is not None:
        # "none" is the list's choice of no coded answer (an open question's quotes).
        if question is None or not question.one_answer or answer == "none":
            return None
        return counted.of("answer", (question.code, answer), unit)[0]
    if question is not None:
        return counted.of("item", (question.code,), unit)[0]
    return counted.of("all", (), unit)[0]
