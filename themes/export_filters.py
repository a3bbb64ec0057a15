"""What an export covers: its evaluation, the --where and date filters, parsed and checked, and
the rows they allow."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Exists, OuterRef, QuerySet

from interviews.models import Answer, Evaluation, InterviewSession, Quote, Site, Tick
from interviews.schedules import Schedule, ScheduleQuestion, schedule_of

# The one --where variable that is not a question: where the interview took place.
SITE = "site"


class FilterError(ValueError):
    """A --where filter that names an unknown variable or code, or a date that is not one."""


def evaluation_to_export(evaluations: list[Evaluation], code: str | None = None):
    """Of ``evaluations``, the one named by ``code`` (None when no such one), else the one an
    export page shows first: one collecting interviews, else the one published last, else
    any past its design (being analysed, or closed), else the first."""
    if code:
        return next((e for e in evaluations if e.code == code), None)
    Status = Evaluation.Status
    collecting = [e for e in evaluations if e.status == Status.COLLECTING]
    published = sorted(
        (e for e in evaluations if e.published_at), key=lambda e: e.published_at, reverse=True
    )
    past_design = [e for e in evaluations if e.status != Status.DESIGN]
    return (collecting or published or past_design or evaluations or [None])[0]


def default_evaluation() -> Evaluation:
    """The evaluation exported when none is named (``evaluation_to_export``); one query."""
    found = evaluation_to_export(list(Evaluation.objects.order_by("code")))
    if found is None:
        raise Evaluation.DoesNotExist("There is no evaluation yet.")
    return found


def where_questions(schedule: Schedule) -> tuple[ScheduleQuestion, ...]:
    """The questions ``--where`` may name: the one-answer demographics (``schedule.variables``)
    and, as a tick ("has ticked CODE"), the tick-all demographics, in survey order."""
    return tuple(q for q in schedule.demographics if q.one_answer or q.many)


@dataclass(frozen=True)
class ExportFilters:
    """What an export is limited to: one evaluation's interviews, verified only unless asked,
    matching every --where filter and within the dates. Without an evaluation:
    ``default_evaluation()``, read when first needed."""

    include_unverified: bool = False
    where: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    evaluation: Evaluation | None = None

    @classmethod
    def parse(
        cls,
        *,
        include_unverified: bool,
        where: Iterable[str],
        date_from: str | None = None,
        date_to: str | None = None,
        evaluation: Evaluation | None = None,
    ) -> ExportFilters:
        """From the command's ``--where VARIABLE=CODE``, ``--from`` and ``--to`` strings;
        FilterError when any is wrong. Reads the site codes only when a filter names ``site``."""
        evaluation = evaluation or default_evaluation()
        schedule = schedule_of(evaluation)
        questions = {q.code: q for q in where_questions(schedule)}
        pairs = []
        for text in where:
            variable, sep, code = text.partition("=")
            variable, code = variable.strip(), code.strip()
            if not sep:
                raise FilterError(
                    f"--where needs VARIABLE=CODE, e.g. {_example(schedule)} (got '{text}')"
                )
            if variable == SITE:
                codes = list(Site.objects.order_by("order", "label").values_list("code", flat=True))
            elif variable in questions:
                codes = [o.code for o in questions[variable].options]
            else:
                raise FilterError(
                    f"'{variable}' is not a variable of {schedule.evaluation_code}; use one of: "
                    f"{', '.join([*questions, SITE])} (got '{text}')"
                )
            if code not in codes:
                raise FilterError(
                    f"'{code}' is not a code of {variable}; use one of: "
                    f"{', '.join(codes)} (got '{text}')"
                )
            pairs.append((variable, code))
        first, last = parse_day(date_from, "--from"), parse_day(date_to, "--to")
        dates_in_order(first, last)
        return cls(
            include_unverified=include_unverified,
            where=tuple(pairs),
            date_from=first,
            date_to=last,
            evaluation=evaluation,
        )

    @cached_property
    def schedule(self) -> Schedule:
        """The schedule of the export's evaluation: its columns, rows and codes."""
        # A frozen dataclass: the default evaluation is kept beside the fields, not in one.
        return schedule_of(self.evaluation or default_evaluation())

    def as_json(self) -> dict:
        found = {
            "evaluation": self.schedule.evaluation_code,
            "include_unverified": self.include_unverified,
            "where": [f"{variable}={code}" for variable, code in self.where],
        }
        if self.date_from:
            found["from"] = self.date_from.isoformat()
        if self.date_to:
            found["to"] = self.date_to.isoformat()
        return found

    def sessions(self) -> QuerySet:
        """The interviews an export covers: of its evaluation, never withdrawn, never with a
        refused consent; verified unless asked otherwise; matching every --where filter
        ("and") and within the dates (both ends included)."""
        schedule = self.schedule
        qs = (
            InterviewSession.objects.for_analysis(include_unverified=self.include_unverified)
            .without_refused_consent()
            .filter(evaluation_id=schedule.evaluation_id)
        )
        for variable, code in self.where:
            if variable == SITE:
                qs = qs.filter(site__code=code)
                continue
            question = schedule.question(variable)
            option = question.option(code) if question else None
            if option is None:
                # Filters built without parse(): an unknown code matches nobody, as in SQL.
                return qs.none()
            coded = Tick if question.many else Answer
            qs = qs.filter(
                Exists(
                    coded.objects.filter(
                        session=OuterRef("pk"), question_id=question.id, option_id=option.id
                    )
                )
            )
        return within_dates(qs, self.date_from, self.date_to)

    def quotes(self) -> QuerySet:
        """The quotes an export may show: those of ``sessions()`` with quote consent."""
        return Quote.objects.for_analysis(include_unverified=self.include_unverified).filter(
            session__in=self.sessions().values("pk")
        )


def within_dates(
    queryset: QuerySet,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    path: str = "interview_date",
) -> QuerySet:
    """The rows whose interview date (at ``path``) lies from ``date_from`` to ``date_to``, both
    ends included; either end may be open."""
    if date_from:
        queryset = queryset.filter(**{f"{path}__gte": date_from})
    if date_to:
        queryset = queryset.filter(**{f"{path}__lte": date_to})
    return queryset


def dates_in_order(
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    names: tuple[str, str] = ("--from", "--to"),
) -> None:
    """FilterError when the first day of a range is after its last: no interview could be
    in it, which is a mistake to say, not an empty file to give. ``names`` are the two ends
    as the person asking knows them (the command's options, a form's labels)."""
    if date_from and date_to and date_from > date_to:
        raise FilterError(
            f"{names[0]} {day_in_words(date_from)} is after {names[1]} {day_in_words(date_to)}: "
            "no interview can be in that range. Swap the dates or correct one."
        )


def day_in_words(day: datetime.date) -> str:
    """A day as people write it: 1 May 2018."""
    return f"{day.day} {day:%B %Y}"


def _example(schedule: Schedule) -> str:
    """A --where filter that works for this evaluation, for the error messages."""
    for question in schedule.variables:
        if question.options:
            return f"{question.code}={question.options[0].code}"
    return f"{SITE}=CODE"


def parse_day(text: str | None, name: str) -> datetime.date | None:
    """A day written YYYY-MM-DD (as the command takes it and a date input sends it), None when
    blank; FilterError naming ``name`` otherwise."""
    if not text:
        return None
    try:
        return datetime.datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise FilterError(f"{name} needs a date as YYYY-MM-DD (got '{text}')") from None
