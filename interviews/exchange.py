"""The columns of interviews.csv (../shared/spec/exchange.md): what the import reads and the
export writes, in this order."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # For the hints only: the workbook reader imports this module while the models load, and
    # interviews.schedules imports the models.
    from interviews.schedules import Schedule, ScheduleQuestion

# The columns every evaluation's interviews.csv opens with, before its questions' columns.
SESSION_COLUMNS: tuple[str, ...] = (
    "participant_code",
    "interview_date",
    "site",
    "interviewer_1",
    "interviewer_2",
    "consent_form_version",
    "consent_date",
    "consent_method",
    "consent_quotes",
)
# The column the export adds after the questions' (and before the scores').
STATUS_COLUMN = "status"


def quotes_column(question: ScheduleQuestion) -> str:
    """The column of a question's quotes, one quote a line."""
    return f"{question.code}_quotes"


def question_columns(schedule: Schedule) -> list[str]:
    """The columns of an evaluation's questions in interviews.csv, in survey order
    (evaluation.md, "Files of an evaluation"): ``NAME`` for a select question (its ticks joined
    by ';' for a tick-all), then ``NAME_quotes`` for one that takes quotes."""
    columns = []
    for question in schedule.questions:
        if question.is_select:
            columns.append(question.code)
        if question.takes_quotes:
            columns.append(quotes_column(question))
    return columns


def interview_columns(schedule: Schedule) -> tuple[str, ...]:
    """Every column of an evaluation's interviews.csv that the import reads, in order."""
    return (*SESSION_COLUMNS, *question_columns(schedule))


def score_column(code: str) -> str:
    """The export's column of a derived score (a ``calculate`` row)."""
    return f"{code}_score"
