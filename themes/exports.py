"""The four CSV exports of ../shared/spec/exchange.md, byte for byte.

One function per file yields its rows (header first); ``export_stream`` turns rows into the
text the download and the ``export`` command both send, so the two can never differ.

Row exports (interviews, quotes) stream: each is a handful of set-based queries, every one
ordered the same way and read with ``.iterator()``, merged in one pass in Python (like a merge
join), so memory stays constant and the number of queries does not grow with the rows.
Count exports are computed by the database with ``values().annotate(Count(...))``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from interviews import schedule
from interviews.models import (
    ConsentResponse,
    ConsentStatement,
    Demographics,
    InterviewSession,
    ItemAnswer,
    Quote,
    WeeklyContact,
    quote_consent_for,
)
from themes.models import ExportRecord, SubTheme, Tag, Theme

BOM = "\ufeff"
CHUNK_SIZE = 2000  # rows fetched per round trip by each streaming query
FLUSH_EVERY = 500  # rows written before a piece of the file is sent on

ITEMS: tuple[str, ...] = tuple(schedule.Item.values)
QUOTE_ITEMS: tuple[str, ...] = tuple(schedule.QuoteItem.values)
ONE_ANSWER: tuple[str, ...] = tuple(q.code for q in schedule.ONE_ANSWER_DEMOGRAPHICS)
# Every demographic question, by code, with its answer choices (the --where filters).
DEMOGRAPHIC_CHOICES: dict[str, type] = {q.code: q.choices for q in schedule.DEMOGRAPHIC_QUESTIONS}

INTERVIEW_COLUMNS: tuple[str, ...] = (
    "participant_code",
    "interview_date",
    "site",
    "interviewer_1",
    "interviewer_2",
    "consent_form_version",
    "consent_date",
    "consent_method",
    "consent_quotes",
    *(column for item in ITEMS for column in (item, f"{item}_quotes")),
    *(f"{item}_quotes" for item in schedule.OpenQuestion.values),
    *(q.code for q in schedule.DEMOGRAPHIC_QUESTIONS),
)
# The export adds these after the 32 columns; the import ignores them.
INTERVIEW_EXPORT_COLUMNS: tuple[str, ...] = (*INTERVIEW_COLUMNS, "status", "ucla3_score")
QUOTE_COLUMNS: tuple[str, ...] = ("quote_id", "participant_code", "item", "answer", "text", "tags")
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


class FilterError(ValueError):
    """A --where filter that names an unknown variable or code."""


@dataclass(frozen=True)
class ExportFilters:
    """What an export is limited to: verified only unless asked, and demographic filters."""

    include_unverified: bool = False
    where: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @classmethod
    def parse(cls, *, include_unverified: bool, where: Iterable[str]) -> ExportFilters:
        """From the command's ``--where VARIABLE=CODE`` strings; FilterError when wrong."""
        pairs = []
        for text in where:
            variable, sep, code = text.partition("=")
            variable, code = variable.strip(), code.strip()
            if not sep:
                raise FilterError(
                    f"--where needs VARIABLE=CODE, e.g. borough=westminster (got '{text}')"
                )
            choices = DEMOGRAPHIC_CHOICES.get(variable)
            if choices is None:
                raise FilterError(
                    f"'{variable}' is not a demographic variable; use one of: "
                    f"{', '.join(DEMOGRAPHIC_CHOICES)} (got '{text}')"
                )
            if code not in choices.values:
                raise FilterError(
                    f"'{code}' is not a code of {variable}; use one of: "
                    f"{', '.join(choices.values)} (got '{text}')"
                )
            pairs.append((variable, code))
        return cls(include_unverified=include_unverified, where=tuple(pairs))

    def as_json(self) -> dict:
        return {
            "include_unverified": self.include_unverified,
            "where": [f"{variable}={code}" for variable, code in self.where],
        }

    def sessions(self) -> QuerySet:
        """The interviews an export covers: never withdrawn, never with a refused consent;
        verified unless asked otherwise; matching every --where filter ("and")."""
        qs = InterviewSession.objects.for_analysis(
            include_unverified=self.include_unverified
        ).without_refused_consent()
        for variable, code in self.where:
            if variable == "sees":
                qs = qs.filter(
                    Exists(WeeklyContact.objects.filter(session=OuterRef("pk"), code=code))
                )
            else:
                qs = qs.filter(**{f"demographics__{variable}": code})
        return qs

    def quotes(self) -> QuerySet:
        """The quotes an export may show: those of ``sessions()`` with quote consent."""
        return Quote.objects.for_analysis(include_unverified=self.include_unverified).filter(
            session__in=self.sessions().values("pk")
        )


def item_order(path: str) -> Case:
    """A quote's item as its position in schedule.md, for ordering in SQL."""
    return Case(
        *[When(**{path: code}, then=Value(i)) for i, code in enumerate(QUOTE_ITEMS)],
        output_field=IntegerField(),
    )


class _Follower:
    """Reads a streaming query ordered like the main one and hands over, for each key of the
    main stream in turn, the rows that belong to it. Rows with a smaller key (a session
    created between the queries) are skipped, so one stray row never shifts the rest."""

    def __init__(self, rows: Iterator[tuple]) -> None:
        self._rows = rows
        self._next = next(rows, None)

    def take(self, key) -> list[tuple]:
        found = []
        while self._next is not None and self._next[0] <= key:
            if self._next[0] == key:
                found.append(self._next)
            self._next = next(self._rows, None)
        return found


def _date(value) -> str:
    return value.isoformat() if value else ""


def interviews_rows(filters: ExportFilters) -> Iterator[list]:
    """interviews.csv: one row per interview, ordered by when it was entered (its id)."""
    sessions = filters.sessions()
    session_ids = sessions.values("pk")
    answers_of_session = ConsentResponse.objects.filter(
        record__session=OuterRef(OuterRef("pk")), statement=OuterRef("pk")
    )
    main = (
        sessions.annotate(
            quotes_answer=ConsentResponse.objects.filter(
                record__session=OuterRef("pk"), statement__code=ConsentStatement.QUOTES_CODE
            ).values("agreed")[:1],
            unanswered=Exists(
                ConsentStatement.objects.filter(
                    form_version__records__session=OuterRef("pk")
                ).filter(~Exists(answers_of_session))
            ),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "participant_code",
            "interview_date",
            "site__code",
            "interviewer_1__username",
            "interviewer_2__username",
            "consent__form_version__label",
            "consent__consent_date",
            "consent__method",
            "quotes_answer",
            "unanswered",
            "status",
            *(f"demographics__{code}" for code in ONE_ANSWER),
        )
    )
    answers = _Follower(
        ItemAnswer.objects.filter(session__in=session_ids)
        .order_by("session_id")
        .values_list("session_id", "item", "answer")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    # Words of participants without quote consent are never exported, not even fetched.
    quotes = _Follower(
        Quote.objects.filter(session__in=session_ids)
        .filter(Exists(quote_consent_for(OuterRef("session"))))
        .order_by("session_id", "position", "pk")
        .values_list("session_id", "item", "text")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    # Ticks in the order they were entered (or imported), so a file's cells come back as
    # they went in.
    sees = _Follower(
        WeeklyContact.objects.filter(session__in=session_ids)
        .order_by("session_id", "pk")
        .values_list("session_id", "code")
        .iterator(chunk_size=CHUNK_SIZE)
    )

    yield list(INTERVIEW_EXPORT_COLUMNS)
    for row in main.iterator(chunk_size=CHUNK_SIZE):
        (
            pk,
            code,
            day,
            site,
            first,
            second,
            version,
            consent_day,
            method,
            quotes_answer,
            unanswered,
            status,
            *demographics,
        ) = row
        answer_of = {item: answer for _, item, answer in answers.take(pk)}
        words: dict[str, list[str]] = {}
        for _, item, text in quotes.take(pk):
            words.setdefault(item, []).append(text)
        ticked = [c for _, c in sees.take(pk)]
        demographic = dict(zip(ONE_ANSWER, demographics, strict=True))
        # Only what was recorded. An import reads yes or no here as a paper form with every
        # statement answered and every required one agreed, and refuses a blank: so blank
        # without a consent record (a draft) or with any statement left unanswered.
        consent_quotes = ""
        if quotes_answer is not None and not unanswered:
            consent_quotes = "yes" if quotes_answer else "no"
        scores = [schedule.UCLA_SCORES.get(answer_of.get(item, "")) for item in schedule.UCLA_ITEMS]
        cells = [
            code,
            _date(day),
            site,
            first,
            second,
            version or "",
            _date(consent_day),
            method or "",
            consent_quotes,
        ]
        for item in ITEMS:
            cells += [answer_of.get(item, ""), "\n".join(words.get(item, []))]
        for item in schedule.OpenQuestion.values:
            cells.append("\n".join(words.get(item, [])))
        for question in schedule.DEMOGRAPHIC_QUESTIONS:
            if question.many:
                cells.append(";".join(ticked))
            else:
                cells.append(demographic[question.code] or "")
        cells += [status, "" if None in scores else str(sum(scores))]
        yield cells


def quotes_rows(filters: ExportFilters) -> Iterator[list]:
    """quotes.csv: every quote analysts may read, by interview, item (schedule order) and
    position, with the item's coded answer and the quote's sub-theme codes."""
    quotes = filters.quotes()
    main = (
        quotes.annotate(
            item_index=item_order("item"),
            answer=ItemAnswer.objects.filter(
                session=OuterRef("session"), item=OuterRef("item")
            ).values("answer")[:1],
        )
        .order_by("session_id", "item_index", "position", "pk")
        .values_list(
            "session_id",
            "item_index",
            "position",
            "pk",
            "session__participant_code",
            "item",
            "answer",
            "text",
        )
    )
    tag_rows = (
        Tag.objects.filter(quote__in=quotes.values("pk"))
        .annotate(item_index=item_order("quote__item"))
        .order_by(
            "quote__session_id",
            "item_index",
            "quote__position",
            "quote_id",
            "subtheme__theme__order",
            "subtheme__order",
            "subtheme__code",
        )
        .values_list(
            "quote__session_id", "item_index", "quote__position", "quote_id", "subtheme__code"
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    # Keyed like the quotes, by the quote's place in the order above.
    tags = _Follower(((s, i, p, q), code) for s, i, p, q, code in tag_rows)
    yield list(QUOTE_COLUMNS)
    for session_id, item_index, position, pk, code, item, answer, text in main.iterator(
        chunk_size=CHUNK_SIZE
    ):
        codes = [c for _, c in tags.take((session_id, item_index, position, pk))]
        yield [pk, code, item, answer or "", text, ";".join(codes)]


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


EXPORTS: dict[str, Callable[[ExportFilters], Iterator[list]]] = {
    "interviews": interviews_rows,
    "quotes": quotes_rows,
    "counts": counts_rows,
    "theme_counts": theme_counts_rows,
}


ROW_EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "interviews": INTERVIEW_EXPORT_COLUMNS,
    "quotes": QUOTE_COLUMNS,
}


def file_name(kind: str, extension: str = "csv") -> str:
    return f"{kind}.{extension}"


def export_stream(
    *, kind: str, filters: ExportFilters, excel: bool, user, channel: str
) -> Iterator[bytes]:
    """The bytes of an export, in pieces, recording it in ExportRecord as it goes: the record
    is made before the first byte (so even an interrupted download is on record) and its row
    count is filled in after the last. On PostgreSQL the row exports are one COPY (see
    ``themes.exports_pg``); everywhere else, and for the counts, Python writes the rows."""
    record = ExportRecord.objects.create(
        file=file_name(kind),
        made_by=user if user is not None and user.is_authenticated else None,
        channel=channel,
        filters=filters.as_json(),
        format=ExportRecord.Format.EXCEL if excel else ExportRecord.Format.CSV,
    )
    if excel:
        yield BOM.encode("utf-8")
    if kind in ROW_EXPORT_COLUMNS and connection.vendor == "postgresql":
        from themes import exports_pg

        select = exports_pg.select_for(kind, filters)
        count = yield from exports_pg.copy_csv(select, list(ROW_EXPORT_COLUMNS[kind]))
    else:
        count = yield from _python_csv(EXPORTS[kind](filters))
    record.rows = count
    record.save(update_fields=["rows"])


def _python_csv(rows: Iterator[list]) -> Iterator[bytes]:
    """Rows as CSV bytes (header first) in pieces; returns the number of data rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    count = -1  # the header is not a row of data
    for row in rows:
        writer.writerow(row)
        count += 1
        if count % FLUSH_EVERY == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
    return count
