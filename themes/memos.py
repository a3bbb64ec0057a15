"""Reads of memos and exemplars (the quotes chosen for the report), for the tagging page, the
analysis home and the report: each one query.

A memo's or an exemplar's target is a key ``(kind, ids)``: ``("subtheme", (id,))``,
``("theme", (id,))`` or ``("answer", (question id, answer option id or None))``."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from interviews.models import Answer, AnswerOption, Question, Quote
from interviews.schedules import schedule_of
from themes.export_filters import ExportFilters
from themes.models import Exemplar, Memo, SubTheme, TargetKind, Theme

SUBTHEME, THEME, ANSWER = TargetKind.SUBTHEME.value, TargetKind.THEME.value, TargetKind.ANSWER.value


def _pk(value) -> int | None:
    return getattr(value, "pk", value)


def _memos(evaluation) -> QuerySet:
    return Memo.objects.filter(evaluation_id=_pk(evaluation)).select_related(
        "subtheme", "theme", "question", "option", "written_by"
    )


def memo_for(evaluation, *, subtheme=None, theme=None, question=None, option=None) -> Memo | None:
    """The memo of one target (objects or ids), None when nobody has written it yet."""
    if subtheme is not None:
        found = _memos(evaluation).filter(subtheme_id=_pk(subtheme))
    elif theme is not None:
        found = _memos(evaluation).filter(theme_id=_pk(theme))
    elif question is not None:
        found = _memos(evaluation).filter(question_id=_pk(question), option_id=_pk(option))
    else:
        raise TypeError("memo_for needs a sub-theme, a theme or a question")
    return found.first()


def memos_of(evaluation) -> dict[tuple, Memo]:
    """Every memo of the evaluation by its target key, in one query."""
    return {memo.target_key: memo for memo in _memos(evaluation)}


def memos_about(evaluation, *, subthemes=(), themes=(), question=None, option=None) -> list[Memo]:
    """The memos of these sub-themes and themes and of this question × answer (and of the
    question as a whole), in one query: what the tagging page shows beside a quote."""
    about = Q(subtheme_id__in=[_pk(s) for s in subthemes]) | Q(
        theme_id__in=[_pk(t) for t in themes]
    )
    if question is not None:
        about |= Q(question_id=_pk(question), option__isnull=True)
        if option is not None:
            about |= Q(question_id=_pk(question), option_id=_pk(option))
    # Codebook order, then the question's memo before its answer's.
    return list(
        _memos(evaluation)
        .filter(about)
        .order_by(
            F("theme__order").asc(nulls_last=True),
            F("subtheme__theme__order").asc(nulls_last=True),
            F("subtheme__order").asc(nulls_last=True),
            F("option_id").asc(nulls_first=True),
        )
    )


def _exemplars(evaluation, filters: ExportFilters | None) -> QuerySet:
    """The evaluation's exemplars whose quotes may be shown (``ExportFilters.quotes``: quote
    consent, verified, not withdrawn, within the filters)."""
    quotes = (filters or ExportFilters(evaluation=evaluation)).quotes()
    answer = Answer.objects.filter(
        session=OuterRef("quote__session"), question=OuterRef("quote__question")
    ).values("option_id")[:1]
    return Exemplar.objects.filter(
        quote__session__evaluation_id=_pk(evaluation), quote__in=quotes.values("pk")
    ).annotate(
        subtheme_id=F("tag__subtheme_id"),
        question_id=F("quote__question_id"),
        answer_option_id=Subquery(answer),
    )


def _key(subtheme_id: int | None, question_id: int, option_id: int | None) -> tuple:
    if subtheme_id is not None:
        return (SUBTHEME, (subtheme_id,))
    return (ANSWER, (question_id, option_id))


def exemplar_counts(evaluation, *, filters: ExportFilters | None = None) -> dict[tuple, int]:
    """How many quotes are chosen for the report in each group: {(kind, target ids): n}, in
    one query (grouped by the database)."""
    rows = (
        _exemplars(evaluation, filters)
        .values("subtheme_id", "question_id", "answer_option_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple, int] = defaultdict(int)
    for row in rows:
        # A sub-theme's exemplars come in one row per question × answer: added up here.
        counts[_key(row["subtheme_id"], row["question_id"], row["answer_option_id"])] += row["n"]
    return dict(counts)


def exemplars_of(evaluation, *, filters: ExportFilters | None = None) -> dict[tuple, list]:
    """The quotes chosen for the report, by group: {(kind, target ids): [Exemplar, ...]}, each
    with its quote (and the quote's question) read, in survey order; one query."""
    exemplars = (
        _exemplars(evaluation, filters)
        .select_related("quote__question", "quote__session", "tag__subtheme")
        .order_by(
            "quote__session__participant_code", "quote__question__position", "quote__position"
        )
    )
    found: dict[tuple, list] = defaultdict(list)
    for exemplar in exemplars:
        found[_key(exemplar.subtheme_id, exemplar.question_id, exemplar.answer_option_id)].append(
            exemplar
        )
    return dict(found)


def quote_exemplar_keys(quote: Quote) -> set[tuple]:
    """Which groups this quote is chosen for (one query): (SUBTHEME, (id,)) per tag chosen, and
    (ANSWER, ()) for its own item × answer group."""
    rows = Exemplar.objects.filter(quote=quote).values_list("tag__subtheme_id", flat=True)
    return {(SUBTHEME, (s,)) if s is not None else (ANSWER, ()) for s in rows}


def target_code(key: tuple) -> str:
    """A target key as it travels in an address or a form: ``subtheme-5``, ``theme-2``,
    ``answer-3-7``, ``answer-3`` (the question as a whole)."""
    kind, ids = key
    return "-".join([kind, *(str(i) for i in ids if i is not None)])


def target_choices(evaluation) -> list[tuple[str, list[tuple[str, str]]]]:
    """What a memo of the evaluation may be about, grouped for a choice: its themes, its
    sub-themes (in codebook order), and each question taking quotes alone and with each of its
    answers (labels, never codes). Two queries (the schedule is read once and kept)."""
    themes = Theme.objects.filter(evaluation_id=_pk(evaluation)).order_by("order", "code")
    subthemes = (
        SubTheme.objects.of(_pk(evaluation))
        .filter(merged_into__isnull=True)
        .select_related("theme")
        .order_by("theme__order", "order", "code")
    )
    answers = []
    for question in schedule_of(evaluation).quote_questions:
        answers.append((target_code((ANSWER, (question.id,))), f"{question.label} (any answer)"))
        for option in question.options if question.one_answer else ():
            code = target_code((ANSWER, (question.id, option.id)))
            answers.append((code, f"{question.label} · {option.label}"))
    return [
        ("Themes", [(target_code((THEME, (t.pk,))), t.label) for t in themes]),
        (
            "Sub-themes",
            [(target_code((SUBTHEME, (s.pk,))), f"{s.theme.label}: {s.label}") for s in subthemes],
        ),
        ("Questions and answers", answers),
    ]


def target_of(evaluation, code: str) -> dict | None:
    """The target named by ``target_code``, as ``memo_save`` takes it ({"subtheme": …}), read
    from the evaluation's own codebook and schedule; None when it names nothing of it."""
    kind, _, rest = (code or "").partition("-")
    ids = rest.split("-") if rest else []
    if not ids or not all(i.isdigit() for i in ids):
        return None
    evaluation_id = _pk(evaluation)
    if kind == SUBTHEME and len(ids) == 1:
        found = SubTheme.objects.filter(evaluation_id=evaluation_id, pk=ids[0]).first()
        return {"subtheme": found} if found else None
    if kind == THEME and len(ids) == 1:
        found = Theme.objects.filter(evaluation_id=evaluation_id, pk=ids[0]).first()
        return {"theme": found} if found else None
    if kind == ANSWER and len(ids) in (1, 2):
        question = Question.objects.filter(evaluation_id=evaluation_id, pk=ids[0]).first()
        if question is None:
            return None
        if len(ids) == 1:
            return {"question": question, "option": None}
        option = AnswerOption.objects.filter(
            choice_list_id=question.choice_list_id, pk=ids[1]
        ).first()
        return {"question": question, "option": option} if option else None
    return None
