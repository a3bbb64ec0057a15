"""The import of quotes.csv with its tags column edited (../shared/spec/exchange.md), into the
project's tags or (``--round``) one coder's codings of a coding round.

All or nothing, as the interviews import (interviews/interview_import.py): every row is checked
first and every problem counted, the first LISTED_PROBLEMS of them listed; only a file without
problems is written, in one transaction. A dry run (the preview, ``--dry-run``) makes the
change and rolls it back, which is quick, to count what would be added and removed.

A file is read row by row and only what it changes is kept; look-ups (sub-themes, quotes, tags
with a retired sub-theme) are a fixed number of queries.
"""

from __future__ import annotations

from django.db import transaction

from interviews.models import Quote
from themes.export_filters import default_evaluation
from themes.models import RoundTag, SubTheme, Tag
from themes.services import tags_replace
from ufm.import_rows import ImportResult, Problems, records


def _quote_id(cell: str) -> int | None:
    """The quote id in a cell, or None. ASCII digits only ("²" is a digit to Python, not to
    int()), and few enough of them for a database integer."""
    cell = cell.strip()
    if cell.isascii() and cell.isdigit() and len(cell) <= 18:
        return int(cell)
    return None


def tags_import(
    *, text: str, user, dry_run: bool = False, evaluation=None, round_name: str | None = None
) -> ImportResult:
    """Import quotes.csv of ``evaluation`` (by default the one exported by default) with its
    tags column edited: each listed quote's tags become the listed sub-theme codes of that
    evaluation's codebook, as ``user``. With ``round_name``, the tags go into that coding round
    instead (``themes.rounds.services.round_codings_import``), the project's tags untouched.
    Raises ImportFailed listing the problems, and ValidationError for a closed round."""
    problems = Problems()
    evaluation = evaluation or default_evaluation()
    wanted = _wanted(text, evaluation, problems, for_round=round_name is not None)
    if problems:
        raise problems.failed()

    with transaction.atomic():
        if round_name is None:
            added, removed = tags_replace(wanted=wanted, user=user)
        else:
            added, removed = _into_round(evaluation, round_name, user, wanted)
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(rows=len(wanted), dry_run=dry_run, added=added, removed=removed)


def _into_round(evaluation, name: str, coder, wanted: dict[int, set[int]]) -> tuple[int, int]:
    """The coder's codings into the round; returns (tags added, tags removed) of that coder."""
    from themes.rounds.services import round_codings_import

    before = set(
        RoundTag.objects.filter(
            coding_round__evaluation=evaluation,
            coding_round__name=name,
            coder=coder,
            quote_id__in=list(wanted),
        ).values_list("quote_id", "subtheme_id")
    )
    round_codings_import(evaluation=evaluation, name=name, coder=coder, wanted=wanted)
    after = {(q, s) for q, subthemes in wanted.items() for s in subthemes}
    return len(after - before), len(before - after)


def _wanted(text: str, evaluation, problems: Problems, *, for_round: bool) -> dict[int, set[int]]:
    """Read the file: each listed quote's sub-theme ids, every problem added to ``problems``.
    A round takes only the sub-themes tagging offers now (never a retired one)."""
    codebook = SubTheme.objects.of(evaluation)
    subthemes = {s.code: s for s in codebook.select_related("merged_into")}
    taggable = set(codebook.for_tagging().values_list("pk", flat=True))
    # Quotes analysts may tag (verified, not withdrawn, with quote consent), and the tags
    # with a retired sub-theme, which may stay on their quotes: all of them, in one query
    # each, so that the file is read once and none of it is kept but what it changes.
    open_quotes = set(
        Quote.objects.for_analysis()
        .filter(session__evaluation=evaluation)
        .values_list("pk", flat=True)
    )
    kept_retired = set()
    if not for_round:
        kept_retired = set(
            Tag.objects.exclude(subtheme_id__in=taggable).values_list("quote_id", "subtheme_id")
        )

    wanted: dict[int, set[int]] = {}
    seen: dict[int, int] = {}
    for line, row in records(text, ("quote_id", "tags"), problems):
        raw_id = row["quote_id"].strip()
        quote_id = _quote_id(raw_id)
        if quote_id is None or quote_id not in open_quotes:
            problems.add(
                line,
                "quote_id",
                "unknown quote_id: no verified quote with quote consent has this number",
                row["quote_id"],
            )
            quote_id = None
        elif quote_id in seen:
            problems.add(
                line, "quote_id", f"this quote is already on line {seen[quote_id]}", raw_id
            )
        else:
            seen[quote_id] = line
        chosen = set()
        for code in (c.strip() for c in row["tags"].split(";")):
            if not code:
                continue
            subtheme = subthemes.get(code)
            if subtheme is None:
                problems.add(line, "tags", f"unknown sub-theme '{code}'", row["tags"])
            elif subtheme.merged_into is not None:
                problems.add(
                    line,
                    "tags",
                    f"sub-theme '{code}' was merged into '{subtheme.merged_into.code}'; "
                    "use that instead",
                    row["tags"],
                )
            elif subtheme.pk not in taggable and (quote_id, subtheme.pk) not in kept_retired:
                # A retired sub-theme may stay on a quote that has it, never be added.
                problems.add(line, "tags", f"sub-theme '{code}' is retired", row["tags"])
            else:
                chosen.add(subtheme.pk)
        if problems:
            wanted.clear()
        elif quote_id is not None:
            wanted[quote_id] = chosen
    return wanted
