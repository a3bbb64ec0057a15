"""The row exports' builders: interviews.csv and quotes.csv, row by row, header first.

Each is a handful of set-based queries, every one ordered the same way and read with
``.iterator()``, merged in one pass in Python (like a merge join), so memory stays constant and
the number of queries does not grow with the rows.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When

from interviews import schedule
from interviews.exchange import INTERVIEW_COLUMNS, STATUS_COLUMN
from interviews.models import (
    ConsentResponse,
    ConsentStatement,
    Quote,
)
from themes.export_filters import ExportFilters
from themes.models import Tag

CHUNK_SIZE = 2000  # rows fetched per round trip by each streaming query

ITEMS: tuple[str, ...] = tuple(schedule.Item.values)
QUOTE_ITEMS: tuple[str, ...] = tuple(schedule.QuoteItem.values)
ONE_ANSWER: tuple[str, ...] = tuple(q.code for q in schedule.ONE_ANSWER_DEMOGRAPHICS)

# The export adds these after the 32 columns; the import ignores them.
INTERVIEW_EXPORT_COLUMNS: tuple[str, ...] = (*INTERVIEW_COLUMNS, STATUS_COLUMN, "ucla3_score")
QUOTE_COLUMNS: tuple[str, ...] = ("quote_id", "participant_code", "item", "answer", "text", "tags")


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
            quotes_answer=ConsentResponse.objects.to_quotes()
            .filter(record__session=OuterRef("pk"))
            .values("agreed")[:1],
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
        Quote.objects.filter(session__in=sessions.with_quote_consent().values("pk"))
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
        score = schedule.ucla3_score(answer_of)
        cells += [status, "" if score is None else str(score)]
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
