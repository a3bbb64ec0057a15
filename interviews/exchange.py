"""The columns of interviews.csv (../shared/spec/exchange.md): what the import reads and the
export writes, in this order."""

from __future__ import annotations

from interviews import schedule

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

INTERVIEW_COLUMNS: tuple[str, ...] = (
    *SESSION_COLUMNS,
    *(column for item in schedule.Item.values for column in (item, f"{item}_quotes")),
    *(f"{item}_quotes" for item in schedule.OpenQuestion.values),
    *(q.code for q in schedule.DEMOGRAPHIC_QUESTIONS),
)
