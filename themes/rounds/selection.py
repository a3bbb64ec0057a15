"""Which quotes a round codes: those matching the export filters (and a question, or a question's
answer), all of them or a random sample of a size or a share, reproducible from a seed.

The sample is ``random.Random(seed).sample`` over the matching quote ids in ascending order, so
the same filters, size and seed always give the same quotes (while the quotes are the same).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Exists, OuterRef, QuerySet

from interviews.models import Answer, Site
from themes.agreement import round_half_up
from themes.export_filters import ExportFilters

ALL, SIZE, SHARE = "all", "size", "share"
SEED_LIMIT = 10**9  # seeds offered on the page are below this: short enough to write down


def new_seed() -> int:
    """A seed for the start page to show (the person may type another)."""
    return random.SystemRandom().randrange(1, SEED_LIMIT)


@dataclass(frozen=True)
class Choice:
    """What the person asked for: filters, a question (code) and answer (code), how many."""

    filters: ExportFilters
    question: str = ""
    answer: str = ""
    how: str = ALL
    size: int | None = None
    share: int | None = None  # percent, 1 to 100
    seed: int | None = None


def matching(choice: Choice) -> QuerySet:
    """The quotes analysts may read that match the filters, question and answer."""
    quotes = choice.filters.quotes()
    question = choice.filters.schedule.question(choice.question) if choice.question else None
    if choice.question and question is None:
        return quotes.none()
    if question is not None:
        quotes = quotes.filter(question_id=question.id)
        if choice.answer:
            option = question.option(choice.answer)
            if option is None:
                return quotes.none()
            quotes = quotes.filter(
                Exists(
                    Answer.objects.filter(
                        session=OuterRef("session"), question_id=question.id, option_id=option.id
                    )
                )
            )
    return quotes


class SelectionError(ValueError):
    """A size or share that cannot be taken from the quotes that match."""


def chosen_ids(choice: Choice) -> tuple[list[int], str]:
    """The ids of the round's quotes, ascending, and how they were chosen, in words."""
    ids = sorted(matching(choice).values_list("pk", flat=True))
    if not ids:
        raise SelectionError("No quote analysts may read matches these filters.")
    if choice.how == ALL:
        return ids, f"All {len(ids)} quotes matching {describe(choice)}."
    if choice.how == SHARE:
        if not choice.share or not 1 <= choice.share <= 100:
            raise SelectionError("Give the share as a whole percent from 1 to 100.")
        size = max(1, int(round_half_up(Fraction(choice.share * len(ids), 100), 0)))
        asked = f"{choice.share}% ({size})"
    else:
        size = choice.size or 0
        if size < 1:
            raise SelectionError("Give the number of quotes to sample (1 or more).")
        if size > len(ids):
            raise SelectionError(
                f"Only {len(ids)} quotes match: choose a sample of at most {len(ids)}."
            )
        asked = str(size)
    if choice.seed is None:
        raise SelectionError("Give a seed for the random sample.")
    sample = sorted(random.Random(choice.seed).sample(ids, size))
    return sample, (
        f"A random sample of {asked} of the {len(ids)} quotes matching {describe(choice)}, "
        f"seed {choice.seed}."
    )


def describe(choice: Choice) -> str:
    """The filters in words, with labels (never codes)."""
    schedule = choice.filters.schedule
    parts = []
    question = schedule.question(choice.question) if choice.question else None
    if question is not None:
        parts.append(f"question “{question.label}”")
        if choice.answer:
            parts.append(f"answer “{question.label_of(choice.answer)}”")
    for variable, code in choice.filters.where:
        asked = schedule.question(variable)
        if asked is not None:
            parts.append(f"{asked.label}: {asked.label_of(code)}")
        else:
            label = Site.objects.filter(code=code).values_list("label", flat=True).first()
            parts.append(f"site: {label or code}")
    if choice.filters.date_from:
        parts.append(f"interviewed on or after {choice.filters.date_from:%-d %B %Y}")
    if choice.filters.date_to:
        parts.append(f"interviewed on or before {choice.filters.date_to:%-d %B %Y}")
    return "; ".join(parts) or "no filter"
