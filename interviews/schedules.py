"""An evaluation's schedule as every page, import, export and count reads it: its questions in
survey order, their answer options, and which of them are items, demographics, quotes and scores.

Read from the evaluation's stored design (``interviews.models.evaluations``) in three queries and
kept in memory under (evaluation id, ``design_revision``), which changes whenever the design's
rows are written: a published evaluation's codes never change, and a design being tested is
read afresh after each import. Nothing here names a question of any one evaluation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

from interviews.models import AnswerOption, CalculationTerm, Evaluation, Question
from interviews.workbooks.design import QuestionKind, SectionPart


@dataclass(frozen=True)
class Option:
    """An answer of a question's list: the code stored, the label read, its score."""

    id: int
    code: str
    label: str
    score: int | None


@dataclass(frozen=True)
class ScheduleQuestion:
    """One survey row: a question, a note or a derived score, with its options in order."""

    id: int
    code: str
    label: str
    hint: str
    kind: QuestionKind
    required: bool
    takes_quotes: bool
    part: SectionPart
    section: str
    position: int
    choice_list_id: int | None
    options: tuple[Option, ...] = ()
    # The select_one questions a derived score sums (calculate rows only).
    terms: tuple[ScheduleQuestion, ...] = ()
    _by_code: dict[str, Option] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_code.update((o.code, o) for o in self.options)

    @property
    def is_select(self) -> bool:
        return self.kind in (QuestionKind.SELECT_ONE, QuestionKind.SELECT_MULTIPLE)

    @property
    def one_answer(self) -> bool:
        return self.kind == QuestionKind.SELECT_ONE

    @property
    def many(self) -> bool:
        """Tick all that apply."""
        return self.kind == QuestionKind.SELECT_MULTIPLE

    @property
    def is_score(self) -> bool:
        return self.kind == QuestionKind.CALCULATE

    def option(self, code: str) -> Option | None:
        """The option of this code, or None when the code is not one of this question's."""
        return self._by_code.get(code)

    def label_of(self, code: str) -> str:
        option = self.option(code)
        return option.label if option else code

    def score_range(self) -> tuple[int, int] | None:
        """The lowest and highest value of a derived score, None when a term scores nothing."""
        lows, highs = [], []
        for term in self.terms:
            scores = [o.score for o in term.options if o.score is not None]
            if not scores:
                return None
            lows.append(min(scores))
            highs.append(max(scores))
        return sum(lows), sum(highs)

    def score_of(self, code_of: dict[str, str]) -> int | None:
        """This derived score of the answers (question code to answer code), or None: blank
        when any term is unanswered or its answer has no score."""
        total = 0
        for term in self.terms:
            option = term.option(code_of.get(term.code, ""))
            if option is None or option.score is None:
                return None
            total += option.score
        return total


@dataclass(frozen=True)
class ScheduleSection:
    code: str
    title: str
    part: SectionPart
    questions: tuple[ScheduleQuestion, ...]


@dataclass(frozen=True)
class Schedule:
    """One evaluation's schedule. Every tuple is in survey order."""

    evaluation_id: int
    evaluation_code: str
    participant_code: str
    sections: tuple[ScheduleSection, ...]

    @cached_property
    def questions(self) -> tuple[ScheduleQuestion, ...]:
        """Every survey row, notes and derived scores included."""
        return tuple(q for section in self.sections for q in section.questions)

    @cached_property
    def by_code(self) -> dict[str, ScheduleQuestion]:
        return {q.code: q for q in self.questions}

    @cached_property
    def by_id(self) -> dict[int, ScheduleQuestion]:
        return {q.id: q for q in self.questions}

    def question(self, code: str) -> ScheduleQuestion | None:
        return self.by_code.get(code)

    @cached_property
    def select_questions(self) -> tuple[ScheduleQuestion, ...]:
        """Every question with an answer list, schedule and demographics alike."""
        return tuple(q for q in self.questions if q.is_select)

    @cached_property
    def items(self) -> tuple[ScheduleQuestion, ...]:
        """The coded questions of the schedule parts (counts.csv section ``schedule``)."""
        return tuple(q for q in self.select_questions if q.part == SectionPart.SCHEDULE)

    @cached_property
    def demographics(self) -> tuple[ScheduleQuestion, ...]:
        """The select questions of the demographics parts (counts.csv ``demographics``)."""
        return tuple(q for q in self.select_questions if q.part == SectionPart.DEMOGRAPHICS)

    @cached_property
    def variables(self) -> tuple[ScheduleQuestion, ...]:
        """The one-answer questions outside schedule parts: the ``--where`` filters and the
        groupings of theme_counts.csv."""
        return tuple(q for q in self.demographics if q.one_answer)

    @cached_property
    def quote_questions(self) -> tuple[ScheduleQuestion, ...]:
        """Where a quote may belong: coded questions with quotes and open questions."""
        return tuple(q for q in self.questions if q.takes_quotes)

    @cached_property
    def open_questions(self) -> tuple[ScheduleQuestion, ...]:
        return tuple(q for q in self.questions if q.kind == QuestionKind.TEXT)

    @cached_property
    def scores(self) -> tuple[ScheduleQuestion, ...]:
        """The derived scores (``calculate`` rows)."""
        return tuple(q for q in self.questions if q.is_score)

    @cached_property
    def required(self) -> tuple[ScheduleQuestion, ...]:
        """What must be answered before a record can be verified."""
        return tuple(q for q in self.questions if q.required and (q.is_select or q.takes_quotes))


_CACHE: OrderedDict[tuple[int, str], Schedule] = OrderedDict()
_CACHE_SIZE = 32
_LOCK = threading.Lock()


def schedule_of(evaluation: Evaluation) -> Schedule:
    """The evaluation's schedule: three queries the first time, none after while its design
    stays as it is."""
    key = (evaluation.pk, str(evaluation.design_revision))
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    schedule = _read(evaluation)
    with _LOCK:
        _CACHE[key] = schedule
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return schedule


def schedule_forget() -> None:
    """Forget every schedule read (tests that pin query counts start from none)."""
    with _LOCK:
        _CACHE.clear()


def _read(evaluation: Evaluation) -> Schedule:
    options: dict[int, list[Option]] = {}
    for o in AnswerOption.objects.filter(choice_list__evaluation=evaluation).order_by(
        "choice_list", "position"
    ):
        options.setdefault(o.choice_list_id, []).append(Option(o.pk, o.code, o.label, o.score))
    terms: dict[int, list[int]] = {}
    for t in CalculationTerm.objects.filter(calculation__evaluation=evaluation).order_by(
        "calculation", "position"
    ):
        terms.setdefault(t.calculation_id, []).append(t.term_id)
    rows = Question.objects.filter(evaluation=evaluation).select_related("section")
    by_id: dict[int, ScheduleQuestion] = {}
    sections: dict[str, tuple] = {}
    # Terms come before the score that sums them (the workbook's rule), so one pass serves.
    for q in rows.order_by("section__position", "position"):
        question = ScheduleQuestion(
            id=q.pk,
            code=q.code,
            label=q.label,
            hint=q.hint,
            kind=QuestionKind(q.kind),
            required=q.required,
            takes_quotes=q.takes_quotes,
            part=SectionPart(q.section.part),
            section=q.section.code,
            position=q.position,
            choice_list_id=q.choice_list_id,
            options=tuple(options.get(q.choice_list_id, ())),
            terms=tuple(by_id[term] for term in terms.get(q.pk, ())),
        )
        by_id[q.pk] = question
        sections.setdefault(
            q.section.code, (q.section.code, q.section.title, SectionPart(q.section.part), [])
        )[3].append(question)
    return Schedule(
        evaluation_id=evaluation.pk,
        evaluation_code=evaluation.code,
        participant_code=evaluation.participant_code,
        sections=tuple(
            ScheduleSection(code, title, part, tuple(questions))
            for code, title, part, questions in sections.values()
        ),
    )
