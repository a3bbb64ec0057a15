"""What the rounds' pages show (presenters beside the admin's views): the round's progress, the
coder's next quote, and the analysis meeting's disagreements, each in a fixed number of
queries. Quotes are only ever read through ``Quote.objects.for_analysis()`` (quote consent,
never a withdrawn participant)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery

from interviews.models import Answer, Quote
from interviews.schedules import schedule_of
from themes.forms import grouped_by_theme
from themes.models import CodingRound, RoundCoding, RoundTag, Tag
from themes.rounds.files import kept_rows
from themes.rounds.services import round_subthemes
from ufm.people import display_name


def round_quotes(coding_round: CodingRound):
    """The round's quotes that may be shown now, with the coded answer's code annotated."""
    answer = Answer.objects.filter(
        session=OuterRef("session"), question=OuterRef("question")
    ).values("option__code")[:1]
    return (
        Quote.objects.for_analysis()
        .filter(coding_rounds=coding_round)
        .select_related("question")
        .annotate(coded_answer=Subquery(answer))
        .order_by("pk")
    )


@dataclass(frozen=True)
class Shown:
    """A quote as the pages show it: the words, the question and the answer, by label."""

    quote: Quote
    question: str
    answer: str


def shown(coding_round: CodingRound, quote: Quote) -> Shown:
    schedule = schedule_of(coding_round.evaluation)
    question = schedule.by_id.get(quote.question_id)
    answer = ""
    if question is not None and quote.coded_answer:
        answer = question.label_of(quote.coded_answer)
    return Shown(quote, question.label if question else "", answer)


def progress(coding_round: CodingRound) -> list[tuple[str, int]]:
    """Each coder's number of quotes coded (numbers only: nobody's tags), by display name."""
    coded = dict(
        RoundCoding.objects.filter(coding_round=coding_round)
        .values("coder")
        .annotate(n=Count("pk"))
        .values_list("coder", "n")
    )
    return [(display_name(c), coded.get(c.pk, 0)) for c in coding_round.coders.all()]


def figure_rows(coding_round: CodingRound) -> list[dict]:
    """The kept table of a closed round, for the page: each figure or a dash with its reason."""
    rows = []
    for kept in kept_rows(coding_round):
        rows.append(
            {
                **kept,
                "label": kept["subtheme_label"] or kept["theme_label"] or "Overall",
                "is_theme": kept["level"] == "theme",
                "is_overall": kept["level"] == "overall",
            }
        )
    return rows


@dataclass
class CodingPage:
    """The coder's page: the quote to code (None when every quote is coded), their own ticks
    (never anyone else's), and how far they are."""

    shown: Shown | None
    groups: list
    coded: int
    total: int
    words: list[dict] = field(default_factory=list)


def other_words(coding_round: CodingRound, quote: Quote) -> list[dict]:
    """The participant's words in this interview that may be shown, in survey order (one
    query; the questions' labels come from the schedule, in memory)."""
    schedule = schedule_of(coding_round.evaluation)
    rows = (
        Quote.objects.for_analysis()
        .filter(session_id=quote.session_id)
        .order_by("question__position", "position", "pk")
        .values_list("pk", "question_id", "text")
    )
    return [
        {"pk": pk, "text": text, "question": schedule.by_id[question_id].label}
        for pk, question_id, text in rows
        if question_id in schedule.by_id
    ]


def coding_page(coding_round: CodingRound, coder, quote_id: int | None, checked=None) -> CodingPage:
    quotes = round_quotes(coding_round)
    mine = RoundCoding.objects.filter(coding_round=coding_round, coder=coder).values("quote_id")
    quote = quotes.filter(pk=quote_id).first() if quote_id is not None else None
    if quote is None:  # none asked for, or not one of the round's: the next one to code
        quote = quotes.exclude(pk__in=mine).first()
    if checked is None and quote is not None:
        checked = set(
            RoundTag.objects.filter(
                coding_round=coding_round, coder=coder, quote=quote
            ).values_list("subtheme_id", flat=True)
        )
    subthemes = round_subthemes(coding_round).order_by("theme__order", "order", "code")
    return CodingPage(
        shown=shown(coding_round, quote) if quote is not None else None,
        groups=grouped_by_theme(subthemes, checked or set()),
        coded=RoundCoding.objects.filter(coding_round=coding_round, coder=coder).count(),
        total=quotes.count(),
        words=other_words(coding_round, quote) if quote is not None else [],
    )


@dataclass
class Disagreement:
    """A quote on which the coders did not all agree about one sub-theme: each coder's tags."""

    shown: Shown
    by_coder: list[tuple[str, bool, list[str]]]  # name, tagged this sub-theme, all their tags
    project_tags: list[str] = field(default_factory=list)


def meeting(coding_round: CodingRound) -> list[tuple[object, list[Disagreement]]]:
    """Every sub-theme (codebook order) with the quotes on which the coders who coded them
    disagree about it; only sub-themes with a disagreement."""
    subthemes = list(round_subthemes(coding_round).order_by("theme__order", "order", "code"))
    label_of = {s.pk: s.label for s in subthemes}
    coders = {c.pk: display_name(c) for c in coding_round.coders.all()}
    coders_of: dict[int, list[int]] = defaultdict(list)
    for quote_id, coder_id in RoundCoding.objects.filter(coding_round=coding_round).values_list(
        "quote_id", "coder_id"
    ):
        coders_of[quote_id].append(coder_id)
    tagged: dict[tuple[int, int], set[int]] = defaultdict(set)
    for quote_id, coder_id, subtheme_id in RoundTag.objects.filter(
        coding_round=coding_round
    ).values_list("quote_id", "coder_id", "subtheme_id"):
        tagged[quote_id, coder_id].add(subtheme_id)
    split: dict[int, list[int]] = {}
    for subtheme in subthemes:
        split[subtheme.pk] = [
            quote_id
            for quote_id, ids in sorted(coders_of.items())
            if len(ids) >= 2 and len({subtheme.pk in tagged[quote_id, c] for c in ids}) > 1
        ]
    wanted = {q for ids in split.values() for q in ids}
    quotes = {q.pk: q for q in round_quotes(coding_round).filter(pk__in=wanted)}
    project: dict[int, list[str]] = defaultdict(list)
    for quote_id, subtheme_id in Tag.objects.filter(quote_id__in=list(quotes)).values_list(
        "quote_id", "subtheme_id"
    ):
        project[quote_id].append(label_of.get(subtheme_id, "(a retired sub-theme)"))

    def by_coder(quote_id: int, subtheme_id: int) -> list:
        return [
            (
                coders.get(c, ""),
                subtheme_id in tagged[quote_id, c],
                [label_of[s] for s in label_of if s in tagged[quote_id, c]] or ["none of these"],
            )
            for c in sorted(coders_of[quote_id], key=lambda c: coders.get(c, ""))
        ]

    groups = []
    for subtheme in subthemes:
        items = [
            Disagreement(
                shown(coding_round, quotes[q]), by_coder(q, subtheme.pk), sorted(project[q])
            )
            for q in split[subtheme.pk]
            if q in quotes  # a quote no longer shown (its interview reopened) is left out
        ]
        if items:
            groups.append((subtheme, items))
    return groups
