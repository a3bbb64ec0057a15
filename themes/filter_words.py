"""An export's filters in words, as people read them ("Site: Pall Mall; from 1 May 2018 to 30
June 2018"), from the filters as recorded (``ExportRecord.filters``, ``ExportFilters.as_json``),
so that a file made long ago is described by what was asked, in today's labels."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from interviews.models import Evaluation, Site
from interviews.schedules import Schedule, schedule_of
from themes.export_filters import SITE, day_in_words
from themes.exports import download_name
from themes.models import ExportRecord

NO_FILTERS = "No filters: every verified interview"


def filters_in_words(
    recorded: dict, *, schedule: Schedule | None, site_labels: dict[str, str]
) -> str:
    """The filters of ``recorded`` in words: each --where filter as "Question: Answer" (labels,
    a code only when the evaluation no longer has it), then the dates, then whether interviews
    not yet verified were included; ``NO_FILTERS`` when there are none."""
    parts = []
    for text in recorded.get("where", []):
        variable, _, code = text.partition("=")
        if variable == SITE:
            parts.append(f"Site: {site_labels.get(code, code)}")
            continue
        question = schedule.question(variable) if schedule else None
        if question is None:
            parts.append(f"{variable}: {code}")
        else:
            parts.append(f"{question.label}: {question.label_of(code)}")
    first, last = _day(recorded.get("from")), _day(recorded.get("to"))
    if first and last:
        parts.append(f"from {day_in_words(first)} to {day_in_words(last)}")
    elif first:
        parts.append(f"on or after {day_in_words(first)}")
    elif last:
        parts.append(f"on or before {day_in_words(last)}")
    if recorded.get("include_unverified"):
        parts.append("interviews not yet verified included")
    if not parts:
        return NO_FILTERS
    words = "; ".join(parts)
    return words[0].upper() + words[1:]


def _day(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:  # a record written by hand: say nothing rather than fail
        return None


@dataclass(frozen=True)
class ExportMade:
    """One export made, as a page lists it."""

    record: ExportRecord
    name: str  # the name it was saved under (``download_name``; the command's own file)
    evaluation: str  # the evaluation's title
    filters: str  # in words (``filters_in_words``)


def exports_in_words(
    records: Iterable[ExportRecord],
    evaluations: Iterable[Evaluation],
    site_labels: dict[str, str] | None = None,
) -> list[ExportMade]:
    """``records`` with their names and filters in words. One query for the sites' labels
    unless given (``FiltersForm.site_labels``), and each evaluation's schedule, read once
    (``schedule_of``), whatever the number of records."""
    by_code = {e.code: e for e in evaluations}
    if site_labels is None:
        site_labels = dict(Site.objects.values_list("code", "label"))
    made = []
    for record in records:
        evaluation = by_code.get(record.filters.get("evaluation", ""))
        schedule = schedule_of(evaluation) if evaluation else None
        kind, _, extension = record.file.rpartition(".")
        name = record.file
        if record.channel == ExportRecord.Channel.DOWNLOAD:
            name = download_name(
                kind, record.filters, extension, timezone.localdate(record.made_at)
            )
        made.append(
            ExportMade(
                record=record,
                name=name,
                evaluation=evaluation.title if evaluation else "",
                filters=filters_in_words(
                    record.filters, schedule=schedule, site_labels=site_labels
                ),
            )
        )
    return made
