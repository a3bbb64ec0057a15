"""The import of interviews.csv (../shared/spec/exchange.md): each row checked, then written.

All or nothing: every row is checked first and every problem counted ("line N, column C: what
is wrong (got 'X')", the first LISTED_PROBLEMS of them listed); only a file without problems is
written, in one transaction, by the import service (interviews/services/session_import.py).

A dry run (the preview, ``--dry-run``) is that check: it checks everything the write relies on,
the consent gate's rule included, and writes nothing: writing 10,000 interviews only to roll
them back took most of two minutes, and the real import, which asks the gate itself, then did
it all again.

A file is read row by row and only what a good file needs is kept, so a large file of bad rows
costs time, not memory; look-ups (accounts, sites, consent forms, codes in use) are a fixed
number of queries, and the write goes in batches.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils import timezone

from interviews.exchange import SESSION_COLUMNS, interview_columns, quotes_column
from interviews.models import (
    ConsentFormVersion,
    ConsentRecord,
    ConsentStatement,
    Evaluation,
    InterviewSession,
    Site,
)
from interviews.participant_codes import participant_code_problem
from interviews.quote_text import quote_lines
from interviews.schedules import ScheduleQuestion, schedule_of
from interviews.selectors import (
    coded_key,
    interviewer_accounts,
    missing_fields,
    quotes_key,
)
from interviews.services.consent_gate import consent_verdict
from interviews.services.session_import import (
    Chosen,
    InterviewPlan,
    paper_form,
    sessions_import,
)
from interviews.services.sessions import MAX_QUOTE_LENGTH, evaluation_closed_problem
from ufm.import_rows import ImportFailed, ImportResult, Problem, Problems, date_cell, records

METHODS = frozenset(ConsentRecord.Method.values)


@dataclass(frozen=True)
class _SelectColumn:
    """A select question's column, with the codes it takes and the message naming them (built
    once per file, not per row)."""

    question: ScheduleQuestion
    codes: frozenset[str]
    problem: str


def _select_column(question: ScheduleQuestion) -> _SelectColumn:
    codes = [o.code for o in question.options]
    if question.many:
        problem = f"use one or more of {', '.join(codes)}, joined by ';'"
    else:
        problem = f"unknown answer; use one of: {', '.join(codes)}"
    return _SelectColumn(question, frozenset(codes), problem)


def codes_in_use() -> set[str]:
    """Every participant code in the database, in one query: a study has thousands at most,
    and the file's own codes as parameters could be more than SQLite takes in one query."""
    return set(InterviewSession.objects.order_by().values_list("participant_code", flat=True))


class _Lookups:
    """Everything a row is checked against, read in a fixed number of queries."""

    def __init__(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        self.schedule = schedule_of(evaluation)
        self.columns = interview_columns(self.schedule)
        self.selects = [_select_column(q) for q in self.schedule.select_questions]
        self.quotes = [(q, quotes_column(q)) for q in self.schedule.quote_questions]
        self.quote_column_names = frozenset(column for _, column in self.quotes)
        # Each question with columns, in survey order: its select column, its quotes column.
        select_of = {c.question.id: c for c in self.selects}
        self.columns_of = [
            (q, select_of.get(q.id), quotes_column(q) if q.takes_quotes else None)
            for q in self.schedule.questions
            if q.is_select or q.takes_quotes
        ]
        self.today = timezone.localdate()
        self.sites = {s.code: s for s in Site.objects.all()}
        self.interviewers = {u.username: u for u in interviewer_accounts()}
        # Each evaluation has its own consent forms: a label names one of this evaluation's.
        self.versions = {
            v.label: v
            for v in ConsentFormVersion.objects.filter(evaluation=evaluation).prefetch_related(
                "statements"
            )
        }
        # What a paper form answers: every required statement, and the quotes one.
        self.statements = {
            v.pk: [
                s
                for s in v.statements.all()
                if s.required or s.code == ConsentStatement.QUOTES_CODE
            ]
            for v in self.versions.values()
        }
        self.quotable = {
            v.pk
            for v in self.versions.values()
            if any(s.code == ConsentStatement.QUOTES_CODE for s in v.statements.all())
        }
        self.taken = codes_in_use()
        self.site_problem = f"unknown site; use one of: {', '.join(self.sites)}"
        self.version_problem = (
            f"no consent form version of {evaluation.code} has this label; known: "
            f"{', '.join(self.versions)}"
        )


def interviews_import(
    *,
    text: str,
    file_name: str,
    evaluation: Evaluation | None = None,
    user=None,
    dry_run: bool = False,
) -> ImportResult:
    """Import an evaluation's interviews.csv: each row a verified interview of ``evaluation``
    (when not given, the one collecting interviews: the upload page's) with its consent,
    answers, ticks and quotes. Raises ImportFailed listing the problems; nothing is saved."""
    evaluation = evaluation or _collecting_evaluation()
    # Data entry's rule: interviews of an evaluation being designed are practice ones, and
    # one that no longer collects takes none.
    closed = evaluation_closed_problem(evaluation)
    if closed:
        raise ImportFailed([Problem(1, "-", closed, "")])
    problems = Problems()
    known = _Lookups(evaluation)
    plans: list[InterviewPlan] = []
    seen_codes: dict[str, int] = {}
    rows = 0
    for line, row in records(text, known.columns, problems):
        rows += 1
        plan = _check_interview(line, row, known, seen_codes, problems)
        # Once the file has a problem it will not be written: keep counting, keep nothing.
        if not problems:
            plans.append(plan)
        elif plans:
            plans.clear()
    if problems and not rows:
        _another_evaluation_check(text, known, problems)
    if problems:
        raise problems.failed()
    # The consent gate's own rule, asked of the consent each row would record: the write then
    # asks the gate itself, so a file that passes here passes there.
    for plan in plans:
        answered = {s.pk: agreed for s, agreed in paper_form(plan, known.statements)}
        refused = consent_verdict(
            withdrawn=False,
            recorded=True,
            statements=[
                (s.code, s.required, answered.get(s.pk, False))
                for s in plan.version.statements.all()
            ],
            for_quotes=any(plan.quotes.values()),
        )
        if refused:
            problems.add(plan.line, "consent_form_version", refused, plan.version.label)
    if problems:
        raise problems.failed()
    if dry_run:
        return _result(plans, dry_run=True)

    sessions_import(
        plans=plans,
        statements=known.statements,
        evaluation=evaluation,
        file_name=file_name,
        user=user,
    )
    return _result(plans, dry_run=False)


def _collecting_evaluation() -> Evaluation:
    """The evaluation of a file uploaded on the page: the one collecting interviews."""
    collecting = list(Evaluation.objects.collecting()[:2])
    if len(collecting) == 1:
        return collecting[0]
    if collecting:
        message = (
            "more than one evaluation is collecting interviews: import the file with "
            "manage.py import_interviews --evaluation CODE"
        )
    else:
        message = "no evaluation is collecting interviews; publish one first"
    raise ImportFailed([Problem(1, "-", message, "")])


def _another_evaluation_check(text: str, known: _Lookups, problems: Problems) -> None:
    """Say so when the header has the session columns but lacks most of the evaluation's
    question columns: most likely the interviews.csv of another evaluation (each missing column
    is listed too). Two evaluations may share a question code, so not "none of them"."""
    try:
        header = {h.strip() for h in next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))}
    except (csv.Error, StopIteration):
        return
    questions = [c for c in known.columns if c not in SESSION_COLUMNS]
    missing = [c for c in questions if c not in header]
    if header.issuperset(SESSION_COLUMNS) and len(missing) * 2 > len(questions):
        problems.add(
            1,
            "-",
            f"{len(missing)} of the {len(questions)} columns of evaluation "
            f"{known.evaluation.code}'s questions are missing from the header: is this the "
            "interviews.csv of another evaluation?",
        )


def _result(plans: list[InterviewPlan], *, dry_run: bool) -> ImportResult:
    return ImportResult(rows=len(plans), dry_run=dry_run, codes=[p.participant_code for p in plans])


def _check_interview(
    line: int, row: dict[str, str], known: _Lookups, seen_codes: dict[str, int], problems: Problems
) -> InterviewPlan:
    """Check one row, adding its problems; the plan of what to write (only used when the whole
    file has no problems)."""
    # Quotes keep their spaces until split into lines; unknown columns are left as they are.
    cell = {k: (v if k in known.quote_column_names else v.strip()) for k, v in row.items()}

    def problem(column: str, message: str) -> None:
        problems.add(line, column, message, row.get(column, ""))

    code = cell["participant_code"]
    code_problem = participant_code_problem(code, evaluation=known.evaluation, taken=known.taken)
    if code_problem:
        problem("participant_code", code_problem)
    elif code in seen_codes:
        problem(
            "participant_code",
            f"this participant code is already on line {seen_codes[code]} of the file",
        )
    else:
        seen_codes[code] = line

    interview_date, error = date_cell(cell["interview_date"], known.today)
    if error:
        problem("interview_date", error)
    if cell["site"] not in known.sites:
        problem("site", known.site_problem)
    for column in ("interviewer_1", "interviewer_2"):
        if cell[column] not in known.interviewers:
            problem(column, "no active interviewer account has this username")
    if cell["interviewer_1"] and cell["interviewer_1"] == cell["interviewer_2"]:
        problem("interviewer_2", "the two interviewers must be different people")

    # Consent: no interview data without it.
    version = known.versions.get(cell["consent_form_version"])
    if not cell["consent_form_version"]:
        problem(
            "consent_form_version",
            "consent is required: a row without a consent form version cannot be imported",
        )
    elif version is None:
        problem("consent_form_version", known.version_problem)
    consent_date, error = date_cell(cell["consent_date"], known.today)
    if error:
        problem("consent_date", f"consent is required: {error}")
    if cell["consent_method"] not in METHODS:
        problem("consent_method", "consent is required: the method is signed or verbal")
    if cell["consent_quotes"] not in ("yes", "no"):
        problem("consent_quotes", "consent is required: write yes or no")
    quotes_ok = cell["consent_quotes"] == "yes"
    if version is not None and quotes_ok and version.pk not in known.quotable:
        problem("consent_quotes", "this consent form version has no quotes statement")

    answers, ticks, quotes = _check_contents(cell, known, problem)

    return InterviewPlan(
        line=line,
        participant_code=code,
        interview_date=interview_date,
        site=known.sites.get(cell["site"]),
        interviewer_1=known.interviewers.get(cell["interviewer_1"]),
        interviewer_2=known.interviewers.get(cell["interviewer_2"]),
        version=version,
        consent_date=consent_date,
        consent_method=cell["consent_method"],
        consent_quotes=quotes_ok,
        answers=answers,
        ticks=ticks,
        quotes=quotes,
    )


def _check_contents(
    cell: dict[str, str], known: _Lookups, problem
) -> tuple[list[Chosen], list[Chosen], dict[int, list[str]]]:
    """Check a row's answers, ticks and quotes, column by column in survey order; what to
    write: the (question, option) of each answer and tick, and each question's quotes."""
    ticked = {
        c.question.code: [t.strip() for t in cell[c.question.code].split(";") if t.strip()]
        for c in known.selects
        if c.question.many
    }
    texts = {question.code: quote_lines(cell[column]) for question, column in known.quotes}
    # A blank is wrong only where the record's one completeness rule requires an answer, as
    # verification does; anything written must be a known code.
    lacking = set(
        missing_fields(
            known.schedule,
            {
                coded_key(c.question): ticked.get(c.question.code, cell[c.question.code])
                for c in known.selects
            }
            | {quotes_key(code): lines for code, lines in texts.items()},
        )
    )
    answers: list[Chosen] = []
    ticks: list[Chosen] = []
    quotes: dict[int, list[str]] = {}
    for question, select, column in known.columns_of:
        if select is not None and question.many:
            codes = ticked[question.code]
            if coded_key(question) in lacking:
                problem(question.code, f"tick at least one; {select.problem}")
            for code in codes:
                if code not in select.codes:
                    problem(question.code, f"unknown code '{code}'; {select.problem}")
            if len(set(codes)) != len(codes):
                problem(question.code, "a code is ticked twice")
            ticks += [(question, question.option(c)) for c in dict.fromkeys(codes)]
        elif select is not None:
            code = cell[question.code]
            if coded_key(question) in lacking or (code and code not in select.codes):
                problem(question.code, select.problem)
            elif code:
                answers.append((question, question.option(code)))
        if column is not None:
            lines = texts[question.code]
            if quotes_key(question.code) in lacking:
                problem(column, "a quote is required: write the participant's words")
            _quotes_check(column, lines, cell, problem)
            if lines:
                quotes[question.id] = lines
    return answers, ticks, quotes


def _quotes_check(column: str, lines: list[str], cell: dict[str, str], problem) -> None:
    if lines and cell["consent_quotes"] == "no":
        problem(
            column, "the participant did not agree to be quoted, so their words cannot be stored"
        )
    for number, quote in enumerate(lines, start=1):
        if len(quote) > MAX_QUOTE_LENGTH:
            problem(
                column,
                f"quote {number} is {len(quote):,} characters long; a quote is at most "
                f"{MAX_QUOTE_LENGTH:,}, so split it into two",
            )
