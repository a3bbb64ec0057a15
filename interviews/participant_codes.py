"""The participant code rule in one place: its format, who may take a code, and its messages."""

from __future__ import annotations

import re
from collections.abc import Container

from interviews.models import InterviewSession
from interviews.participant_code_format import PARTICIPANT_CODE_PATTERN

# The format itself is also a database constraint (session_participant_code_format), so no
# path can store a bad code; this module only gives people the words for why.
FORMAT_MESSAGE = (
    "A participant code is 2 to 20 capital letters, digits or hyphens, for example LSI-023. "
    "Never use a name, NHS number, phone number or address."
)


def taken_message(code: str) -> str:
    return (
        f"The participant code {code} is already used by another interview (or by a "
        "participant who has withdrawn). Check the code on the consent form; if it is a new "
        "participant, ask your coordinator for the next free code."
    )


def unknown_message(code: str) -> str:
    return f"There is no interview with participant code {code}."


def participant_code_normalise(typed: str) -> str:
    """The stored form of a code as people type it: people type lower case or add spaces
    around, and the stored code is capitals."""
    return (typed or "").strip().upper()


def evaluation_pattern_message(evaluation) -> str:
    return (
        f"Participant codes of {evaluation.title} follow the pattern "
        f"{evaluation.participant_code}. Check the code on the consent form, or ask your "
        "coordinator for the next free code."
    )


def participant_code_problem(
    code: str, *, evaluation=None, taken: Container[str] | None = None
) -> str | None:
    """Why ``code`` (already normalised) cannot be given to a new interview of ``evaluation``,
    or None when it can: every code's format, then the evaluation's own pattern. ``taken`` is
    the codes in use when the caller has read them all at once (an import of thousands of
    rows); otherwise the database is asked."""
    # fullmatch, not match: "$" alone would let a code with a trailing line break through.
    if not re.fullmatch(PARTICIPANT_CODE_PATTERN, code or ""):
        return FORMAT_MESSAGE
    if evaluation is not None and not re.fullmatch(evaluation.participant_code, code):
        return evaluation_pattern_message(evaluation)
    # Withdrawn participants keep their row, so their codes are never reused either.
    if taken is None:
        in_use = InterviewSession.objects.filter(participant_code=code).exists()
    else:
        in_use = code in taken
    return taken_message(code) if in_use else None


def participant_code_find(code: str) -> tuple[InterviewSession | None, str | None]:
    """The interview of an existing (already normalised) code, or None and the message why
    there is none; for the withdrawal page and command."""
    if not re.fullmatch(PARTICIPANT_CODE_PATTERN, code or ""):
        return None, FORMAT_MESSAGE
    session = InterviewSession.objects.filter(participant_code=code).select_related("site").first()
    if session is None:
        return None, unknown_message(code)
    return session, None
