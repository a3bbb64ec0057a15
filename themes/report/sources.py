"""What the report reads from the analysts' other work: memos, chosen quotes (exemplars) and
coding-round agreement figures. The one seam between the report and those features: each
reads through their selectors (``themes.memos``, ``themes.rounds.selectors``) in one query.
"""

from __future__ import annotations

from dataclasses import dataclass

from interviews.schedules import schedule_of
from themes.export_filters import ExportFilters
from themes.memos import SUBTHEME, exemplars_of, memos_of
from themes.rounds.selectors import rounds_closed

# A key names what a memo or a chosen quote belongs to:
#   ("answer", question code, answer code)   a coded answer of a schedule question
#   ("question", question code)              an open question (or a question as a whole)
#   ("theme", theme code) / ("subtheme", sub-theme code)


@dataclass(frozen=True)
class Agreement:
    """One coding round's agreement, as agreement.csv's overall row has it."""

    round: str
    coders: int
    quotes: int
    agreement: str
    kappa: str
    alpha: str


def _answer_key(schedule, question_id: int, option_id: int | None) -> tuple | None:
    question = next((q for q in schedule.questions if q.id == question_id), None)
    if question is None:
        return None
    option = next((o for o in question.options if o.id == option_id), None)
    if option is None:
        return ("question", question.code)
    return ("answer", question.code, option.code)


def memos(evaluation) -> dict[tuple, str]:
    """{key: the analysts' memo}, for the evaluation (one query)."""
    schedule = schedule_of(evaluation)
    found = {}
    for memo in memos_of(evaluation).values():
        if memo.subtheme_id is not None:
            key = ("subtheme", memo.subtheme.code)
        elif memo.theme_id is not None:
            key = ("theme", memo.theme.code)
        else:
            key = _answer_key(schedule, memo.question_id, memo.option_id)
        if key is not None:
            found[key] = memo.text
    return found


def chosen_quotes(evaluation, filters: ExportFilters) -> dict[tuple, list[tuple[int, str]]]:
    """{key: [(quote id, its words), ...] chosen for it, in survey order}, only among the
    quotes the report may show (``filters.quotes()``: consent, withdrawal and filters)."""
    schedule = schedule_of(evaluation)
    found: dict[tuple, list[tuple[int, str]]] = {}
    for (kind, ids), exemplars in exemplars_of(evaluation, filters=filters).items():
        # Exemplars are chosen for a sub-theme (through its tag) or a question × answer.
        if kind == SUBTHEME:
            key = ("subtheme", exemplars[0].tag.subtheme.code)
        else:
            key = _answer_key(schedule, *ids)
        if key is not None:
            found[key] = [(e.quote_id, e.quote.text) for e in exemplars]
    return found


def agreement(evaluation) -> list[Agreement]:
    """The evaluation's closed coding rounds' overall agreement, oldest first."""
    return [
        Agreement(
            round=closed.name,
            coders=closed.overall.get("coders", 0),
            quotes=closed.overall.get("quotes", 0),
            agreement=closed.overall.get("agreement") or "",
            kappa=closed.overall.get("kappa") or "",
            alpha=closed.overall.get("alpha") or "",
        )
        for closed in rounds_closed(evaluation)
        if closed.overall
    ]
