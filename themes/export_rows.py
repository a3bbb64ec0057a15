"""The row exports' builders: interviews.csv and quotes.csv, row by row, header first.

Each is a handful of set-based queries, every one ordered the same way and read with
``.iterator()``, merged in one pass in Python (like a merge join), so memory stays constant and
the number of queries does not grow with the rows. Columns and their order come from the
export's evaluation (its schedule, read once and kept); codes are read from it too, by the
option ids the answers hold, so no query joins the design's tables.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When

from interviews.exchange import STATUS_COLUMN, interview_columns, score_column
from interviews.models import Answer, ConsentResponse, ConsentStatement, Quote, Tick
from interviews.schedules import Schedule
from themes.export_filters import ExportFilters
from themes.models import Tag

CHUNK_SIZE = 2000  # rows fetched per round trip by each streaming query

QUOTE_COLUMNS: tuple[str, ...] = ("quote_id", "participant_code", "item", "answer", "text", "tags")


def interview_export_columns(schedule: Schedule) -> tuple[str, ...]:
    """interviews.csv as exported: the import's columns, then status and each score (the
    import ignores these)."""
    return (
        *interview_columns(schedule),
        STATUS_COLUMN,
        *(score_column(q.code) for q in schedule.scores),
    )


def option_codes(schedule: Schedule) -> dict[int, str]:
    """{answer option id: its code} for every option of the schedule."""
    return {o.id: o.code for q in schedule.select_questions for o in q.options}


def quote_question_order(schedule: Schedule, path: str) -> Case:
    """A quote's question as its place in the survey, for ordering in SQL."""
    return Case(
        *[When(**{path: q.id}, then=Value(i)) for i, q in enumerate(schedule.quote_questions)],
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
    schedule = filters.schedule
    code_of = option_codes(schedule)
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
        )
    )
    answers = _Follower(
        Answer.objects.filter(session__in=session_ids)
        .order_by("session_id")
        .values_list("session_id", "question_id", "option_id")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    # Words of participants without quote consent are never exported, not even fetched.
    quotes = _Follower(
        Quote.objects.filter(session__in=sessions.with_quote_consent().values("pk"))
        .order_by("session_id", "position", "pk")
        .values_list("session_id", "question_id", "text")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    # Ticks in the order they were entered (or imported), so a file's cells come back as
    # they went in.
    ticks = _Follower(
        Tick.objects.filter(session__in=session_ids)
        .order_by("session_id", "pk")
        .values_list("session_id", "question_id", "option_id")
        .iterator(chunk_size=CHUNK_SIZE)
    )

    yield list(interview_export_columns(schedule))
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
        ) = row
        answer_of = {question: code_of[option] for _, question, option in answers.take(pk)}
        words: dict[int, list[str]] = {}
        for _, question, text in quotes.take(pk):
            words.setdefault(question, []).append(text)
        ticked: dict[int, list[str]] = {}
        for _, question, option in ticks.take(pk):
            ticked.setdefault(question, []).append(code_of[option])
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
        for question in schedule.questions:
            if question.many:
                cells.append(";".join(ticked.get(question.id, [])))
            elif question.is_select:
                cells.append(answer_of.get(question.id, ""))
            if question.takes_quotes:
                cells.append("\n".join(words.get(question.id, [])))
        cells.append(status)
        by_code = {schedule.by_id[question].code: answer for question, answer in answer_of.items()}
        for calculation in schedule.scores:
            score = calculation.score_of(by_code)
            cells.append("" if score is None else str(score))
        yield cells


def quotes_rows(filters: ExportFilters) -> Iterator[list]:
    """quotes.csv: every quote analysts may read, by interview, question (survey order) and
    position, with the question's coded answer and the quote's sub-theme codes."""
    schedule = filters.schedule
    code_of = option_codes(schedule)
    quotes = filters.quotes()
    main = (
        quotes.annotate(
            item_index=quote_question_order(schedule, "question_id"),
            answer=Answer.objects.filter(
                session=OuterRef("session"), question=OuterRef("question")
            ).values("option_id")[:1],
        )
        .order_by("session_id", "item_index", "position", "pk")
        .values_list(
            "session_id",
            "item_index",
            "position",
            "pk",
            "session__participant_code",
            "question_id",
            "answer",
            "text",
        )
    )
    tag_rows = (
        Tag.objects.filter(quote__in=quotes.values("pk"))
        .annotate(item_index=quote_question_order(schedule, "quote__question_id"))
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
    for session_id, item_index, position, pk, code, question, answer, text in main.iterator(
        chunk_size=CHUNK_SIZE
    ):
        codes = [c for _, c in tags.take((session_id, item_index, position, pk))]
        item = schedule.by_id[question].code
        yield [pk, code, item, code_of.get(answer, ""), text, ";".join(codes)]
