"""The rule for the dates people type (of an interview, of consent): never in the future."""

from __future__ import annotations

import datetime

from django.utils import timezone


def future_date_problem(value: datetime.date, what: str) -> str | None:
    """What is wrong with ``value`` as the date of ``what`` ("the interview", "consent"), or
    None. The forms, the services and so every path ask this."""
    if value > timezone.localdate():
        return f"The date of {what} cannot be in the future."
    return None
