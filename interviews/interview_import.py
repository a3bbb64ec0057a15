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

from django.utils import timezone

from interviews import schedule
from interviews.exchange import INTERVIEW_COLUMNS
from interviews.models import (
    ConsentFormVersion,
    ConsentRecord,
    ConsentStatement,
    InterviewSession,
    Site,
)
from interviews.participant_codes import participant_code_problem
from interviews.selectors import (
    interviewer_accounts,
    missing_fields,
)
from interviews.services.consent_gate import consent_verdict
from interviews.services.session_import import (
    InterviewPlan,
    paper_form,
    sessions_import,
)
from interviews.services.sessions import MAX_QUOTE_LENGTH
from ufm.import_rows import ImportResult, Problems, date_cell, records

ITEMS: tuple[str, ...] = tuple(schedule.Item.values)

# The codes each column takes, as sets, and the messages naming them (built once, not per row).
ANSWERS = frozenset(schedule.Answer.values)
ANSWER_PROBLEM = f"unknown answer; use one of: {', '.join(schedule.Answer.values)}"
DEMOGRAPHICS = {
    q.code: (
        frozenset(q.choices.values),
        f"unknown answer; use one of: {', '.join(q.choices.values)}",
    )
    for q in schedule.ONE_ANSWER_DEMOGRAPHICS
}
SEES = frozenset(schedule.Sees.values)
METHODS = frozenset(ConsentRecord.Method.values)
QUOTE_COLUMNS = tuple((item, f"{item}_quotes") for item in schedule.QuoteItem.values)


def codes_in_use() -> set[str]:
    """Every participant code in the database, in one query: a study has thousands at most,
    and the file's own codes as parameters could be more than SQLite takes in one query."""
    return set(InterviewSession.objects.order_by().values_list("participant_code", flat=True))


class _Lookups:
    """Everything a row is checked against, read in a fixed number of queries."""

    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.sites = {s.code: s for s in Site.objects.all()}
        self.interviewers = {u.username: u for u in interviewer_accounts()}
        self.versions = {
            v.label: v for v in ConsentFormVersion.objects.prefetch_related("statements")
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
            f"no consent form version has this label; known: {', '.join(self.versions)}"
        )


def interviews_import(
    *, text: str, file_name: str, user=None, dry_run: bool = False
) -> ImportResult:
    """Import interviews.csv: each row a verified interview with its consent, answers,
    quotes and demographics. Raises ImportFailed listing the problems; nothing is saved."""
    problems = Problems()
    known = _Lookups()
    plans: list[InterviewPlan] = []
    seen_codes: dict[str, int] = {}
    for line, row in records(text, INTERVIEW_COLUMNS, problems):
        plan = _check_interview(line, row, known, seen_codes, problems)
        # Once the file has a problem it will not be written: keep counting, keep nothing.
        if not problems:
            plans.append(plan)
        elif plans:
            plans.clear()
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

    sessions_import(plans=plans, statements=known.statements, file_name=file_name, user=user)
    return _result(plans, dry_run=False)


def _result(plans: list[InterviewPlan], *, dry_run: bool) -> ImportResult:
    return ImportResult(rows=len(plans), dry_run=dry_run, codes=[p.participant_code for p in plans])


def _check_interview(
    line: int, row: dict[str, str], known: _Lookups, seen_codes: dict[str, int], problems: Problems
) -> InterviewPlan:
    """Check one row, adding its problems; the plan of what to write (only used when the whole
    file has no problems)."""
    cell = {k: (v.strip() if not k.endswith("_quotes") else v) for k, v in row.items()}

    def problem(column: str, message: str) -> None:
        problems.add(line, column, message, row.get(column, ""))

    code = cell["participant_code"]
    code_problem = participant_code_problem(code, taken=known.taken)
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

    # A blank is wrong only where the record's one completeness rule requires an answer (all of
    # them, as verification does); anything written must be a known code.
    lacking = set(
        missing_fields(
            {answer_key(item): cell[item] for item in ITEMS}
            | {demo_key(code_): cell[code_] for code_ in DEMOGRAPHICS}
        )
    )
    for item in ITEMS:
        if answer_key(item) in lacking or (cell[item] and cell[item] not in ANSWERS):
            problem(item, ANSWER_PROBLEM)
    quotes: dict[str, list[str]] = {}
    for item, column in QUOTE_COLUMNS:
        # One quote a line; lines with nothing on them are not quotes.
        quotes[item] = schedule.quote_lines(cell[column])
        if quotes[item] and cell["consent_quotes"] == "no":
            problem(
                column,
                "the participant did not agree to be quoted, so their words cannot be stored",
            )
        for number, quote in enumerate(quotes[item], start=1):
            if len(quote) > MAX_QUOTE_LENGTH:
                problem(
                    column,
                    f"quote {number} is {len(quote):,} characters long; a quote is at most "
                    f"{MAX_QUOTE_LENGTH:,}, so split it into two",
                )
    for code_, (choices, message) in DEMOGRAPHICS.items():
        if demo_key(code_) in lacking or (cell[code_] and cell[code_] not in choices):
            problem(code_, message)
    sees = [c.strip() for c in cell["sees"].split(";") if c.strip()]
    for tick in sees:
        if tick not in SEES:
            problem("sees", f"unknown code '{tick}'; use codes joined by ';'")
    if len(set(sees)) != len(sees):
        problem("sees", "a code is ticked twice")

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
        answers={item: cell[item] for item in ITEMS},
        quotes=quotes,
        demographics={code_: cell[code_] for code_ in DEMOGRAPHICS},
        sees=sees,
    )
