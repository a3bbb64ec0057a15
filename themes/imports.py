"""The two imports of ../shared/spec/exchange.md: interviews.csv and quotes.csv (tags).

Both are all or nothing: every row is checked first and every problem collected ("line N,
column C: what is wrong (got 'X')"); only a file without problems is written, in one
transaction. A dry run does the whole write and rolls it back, so it finds what a real import
would find.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from interviews import schedule
from interviews.models import (
    ConsentFormVersion,
    ConsentRecord,
    ConsentResponse,
    ConsentStatement,
    Demographics,
    InterviewSession,
    ItemAnswer,
    Quote,
    SessionEvent,
    Site,
    WeeklyContact,
)
from interviews.services.consent import ConsentRequired, consent_require
from themes.exports import INTERVIEW_COLUMNS, ITEMS
from themes.models import SubTheme, Tag
from themes.services import tags_replace
from ufm.roles import Role

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str
    got: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message} (got '{self.got}')"


class ImportFailed(Exception):
    """The file has problems; nothing was saved."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportResult:
    rows: int
    dry_run: bool
    codes: list[str] = field(default_factory=list)
    added: int = 0
    removed: int = 0


def decode(data: bytes) -> str:
    """The file's text; a byte-order mark (Excel's "CSV UTF-8") is dropped."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(
            [Problem(1, "-", "the file is not UTF-8 text; save it as CSV UTF-8", repr(data[:20]))]
        ) from error


def _records(text: str, required: tuple[str, ...]) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """The rows as (first line number, {column: cell}), and any missing required columns.
    Line numbers count physical lines, so a cell with line breaks is counted as it looks in an
    editor; unknown columns are ignored."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        return [], [Problem(1, "-", f"the header cannot be read as CSV ({error})", "")]
    if header is None:
        return [], [Problem(1, "-", "the file is empty", "")]
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        return [], [Problem(1, c, "this column is missing from the header", "") for c in missing]
    rows = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                padded = cells + [""] * (len(header) - len(cells))
                rows.append((line, dict(zip(header, padded, strict=False))))
            line = reader.line_num + 1
    except csv.Error as error:
        # E.g. a cell over the csv module's size limit (an unclosed quote swallows the rest).
        return [], [Problem(line, "-", f"this line cannot be read as CSV ({error})", "")]
    return rows, []


def _date(value: str, today: datetime.date) -> tuple[datetime.date | None, str | None]:
    if not value:
        return None, "a date is required, as YYYY-MM-DD"
    if not DATE_PATTERN.match(value):
        return None, "not a date: write it as YYYY-MM-DD"
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None, "not a real date"
    if day > today:
        return None, "the date is in the future"
    return day, None


@dataclass
class _Interview:
    line: int
    values: dict
    answers: dict[str, str]
    quotes: dict[str, list[str]]
    demographics: dict[str, str]
    sees: list[str]


def interviews_import(
    *, text: str, file_name: str, user=None, dry_run: bool = False
) -> ImportResult:
    """Import interviews.csv: each row a verified interview with its consent, answers,
    quotes and demographics. Raises ImportFailed listing every problem; nothing is saved."""
    records, problems = _records(text, INTERVIEW_COLUMNS)
    if problems:
        raise ImportFailed(problems)
    today = timezone.localdate()
    sites = {s.code: s for s in Site.objects.all()}
    User = get_user_model()
    interviewers = {
        u.username: u
        for u in User.objects.filter(is_active=True, groups__name=Role.INTERVIEWER).distinct()
    }
    versions = {v.label: v for v in ConsentFormVersion.objects.prefetch_related("statements").all()}
    # Only well-formed codes are looked up: others are refused below anyway, and PostgreSQL
    # refuses outright a query holding a NUL character (a fuzzed file had one).
    codes_in_file = [
        code
        for code in (r["participant_code"].strip() for _, r in records)
        if re.match(schedule.PARTICIPANT_CODE_PATTERN, code)
    ]
    taken = set(
        InterviewSession.objects.filter(participant_code__in=codes_in_file).values_list(
            "participant_code", flat=True
        )
    )

    plans: list[_Interview] = []
    seen_codes: dict[str, int] = {}
    for line, row in records:
        cell = {k: (v.strip() if not k.endswith("_quotes") else v) for k, v in row.items()}

        def problem(column: str, message: str) -> None:
            problems.append(Problem(line, column, message, row.get(column, "")))  # noqa: B023

        code = cell["participant_code"]
        if not re.match(schedule.PARTICIPANT_CODE_PATTERN, code):
            problem("participant_code", "a participant code is 2 to 20 of A-Z, 0-9 and '-'")
        elif code in taken:
            problem("participant_code", "this participant code is already in the database")
        elif code in seen_codes:
            problem(
                "participant_code",
                f"this participant code is already on line {seen_codes[code]} of the file",
            )
        seen_codes.setdefault(code, line)

        interview_date, error = _date(cell["interview_date"], today)
        if error:
            problem("interview_date", error)
        if cell["site"] not in sites:
            problem("site", f"unknown site; use one of: {', '.join(sites)}")
        for column in ("interviewer_1", "interviewer_2"):
            if cell[column] not in interviewers:
                problem(column, "no active interviewer account has this username")
        if cell["interviewer_1"] and cell["interviewer_1"] == cell["interviewer_2"]:
            problem("interviewer_2", "the two interviewers must be different people")

        # Consent: no interview data without it.
        version = versions.get(cell["consent_form_version"])
        if not cell["consent_form_version"]:
            problem(
                "consent_form_version",
                "consent is required: a row without a consent form version cannot be imported",
            )
        elif version is None:
            problem(
                "consent_form_version",
                f"no consent form version has this label; known: {', '.join(versions)}",
            )
        consent_date, error = _date(cell["consent_date"], today)
        if error:
            problem("consent_date", f"consent is required: {error}")
        if cell["consent_method"] not in ConsentRecord.Method.values:
            problem("consent_method", "consent is required: the method is signed or verbal")
        if cell["consent_quotes"] not in ("yes", "no"):
            problem("consent_quotes", "consent is required: write yes or no")
        quotes_ok = cell["consent_quotes"] == "yes"
        if (
            version is not None
            and quotes_ok
            and not any(s.code == ConsentStatement.QUOTES_CODE for s in version.statements.all())
        ):
            problem("consent_quotes", "this consent form version has no quotes statement")

        answers = {}
        for item in ITEMS:
            if cell[item] not in schedule.Answer.values:
                problem(item, f"unknown answer; use one of: {', '.join(schedule.Answer.values)}")
            answers[item] = cell[item]
        quotes: dict[str, list[str]] = {}
        for item in schedule.QuoteItem.values:
            column = f"{item}_quotes"
            # One quote a line; lines with nothing on them are not quotes.
            quotes[item] = schedule.quote_lines(cell[column])
            if quotes[item] and cell["consent_quotes"] == "no":
                problem(
                    column,
                    "the participant did not agree to be quoted, so their words cannot be stored",
                )
        demographics = {}
        for question in schedule.ONE_ANSWER_DEMOGRAPHICS:
            value = cell[question.code]
            if value not in question.choices.values:
                problem(
                    question.code,
                    f"unknown answer; use one of: {', '.join(question.choices.values)}",
                )
            demographics[question.code] = value
        sees = [c.strip() for c in cell["sees"].split(";") if c.strip()]
        for tick in sees:
            if tick not in schedule.Sees.values:
                problem("sees", f"unknown code '{tick}'; use codes joined by ';'")
        if len(set(sees)) != len(sees):
            problem("sees", "a code is ticked twice")

        plans.append(
            _Interview(
                line=line,
                values={
                    "participant_code": code,
                    "interview_date": interview_date,
                    "site": sites.get(cell["site"]),
                    "interviewer_1": interviewers.get(cell["interviewer_1"]),
                    "interviewer_2": interviewers.get(cell["interviewer_2"]),
                    "version": version,
                    "consent_date": consent_date,
                    "consent_method": cell["consent_method"],
                    "consent_quotes": quotes_ok,
                },
                answers=answers,
                quotes=quotes,
                demographics=demographics,
                sees=sees,
            )
        )
    if problems:
        raise ImportFailed(problems)

    with transaction.atomic():
        for plan in plans:
            _write_interview(plan, file_name=file_name, user=user)
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(
        rows=len(plans), dry_run=dry_run, codes=[p.values["participant_code"] for p in plans]
    )


def _write_interview(plan: _Interview, *, file_name: str, user) -> None:
    v = plan.values
    now = timezone.now()
    session = InterviewSession.objects.create(
        participant_code=v["participant_code"],
        interview_date=v["interview_date"],
        site=v["site"],
        interviewer_1=v["interviewer_1"],
        interviewer_2=v["interviewer_2"],
        # Checked on paper before it came here.
        status=InterviewSession.Status.VERIFIED,
        verified_at=now,
        source=InterviewSession.Source.IMPORT,
        source_file=file_name[:255],
    )
    SessionEvent.objects.create(
        session=session,
        kind=SessionEvent.Kind.IMPORTED,
        by=user,
        note=f"Imported from {file_name}",
    )
    # The paper form: every required statement agreed, the quotes statement as the file says.
    record = ConsentRecord.objects.create(
        session=session,
        form_version=v["version"],
        consent_date=v["consent_date"],
        method=v["consent_method"],
        recorded_by=v["interviewer_1"],
        witness=v["interviewer_2"],
    )
    bulk_create_with_history(
        [
            ConsentResponse(
                record=record,
                statement=statement,
                agreed=statement.required or v["consent_quotes"],
            )
            for statement in v["version"].statements.all()
            if statement.required or statement.code == ConsentStatement.QUOTES_CODE
        ],
        ConsentResponse,
        default_user=user,
    )
    try:
        consent_require(session)
    except ConsentRequired as error:
        raise ImportFailed(
            [Problem(plan.line, "consent_form_version", error.message, v["version"].label)]
        ) from error

    bulk_create_with_history(
        [ItemAnswer(session=session, item=i, answer=a) for i, a in plan.answers.items()],
        ItemAnswer,
        default_user=user,
    )
    bulk_create_with_history(
        [
            Quote(session=session, item=item, position=position, text=text)
            for item, texts in plan.quotes.items()
            for position, text in enumerate(texts)
        ],
        Quote,
        default_user=user,
    )
    Demographics.objects.create(session=session, **plan.demographics)
    bulk_create_with_history(
        [WeeklyContact(session=session, code=code) for code in plan.sees],
        WeeklyContact,
        default_user=user,
    )


def _quote_id(cell: str) -> int | None:
    """The quote id in a cell, or None. ASCII digits only ("²" is a digit to Python, not to
    int()), and few enough of them for a database integer."""
    cell = cell.strip()
    if cell.isascii() and cell.isdigit() and len(cell) <= 18:
        return int(cell)
    return None


def tags_import(*, text: str, user, dry_run: bool = False) -> ImportResult:
    """Import quotes.csv with its tags column edited: each listed quote's tags become the
    listed sub-theme codes, as ``user``. Raises ImportFailed listing every problem."""
    records, problems = _records(text, ("quote_id", "tags"))
    if problems:
        raise ImportFailed(problems)
    subthemes = {s.code: s for s in SubTheme.objects.select_related("merged_into")}
    taggable = set(SubTheme.objects.for_tagging().values_list("pk", flat=True))
    ids = [_quote_id(r["quote_id"]) for _, r in records]
    ids = [i for i in ids if i is not None]
    # Quotes analysts may tag: verified, not withdrawn, with quote consent.
    open_quotes = set(Quote.objects.for_analysis().filter(pk__in=ids).values_list("pk", flat=True))
    current: dict[int, set[int]] = {}
    for quote_id, subtheme_id in Tag.objects.filter(quote_id__in=ids).values_list(
        "quote_id", "subtheme_id"
    ):
        current.setdefault(quote_id, set()).add(subtheme_id)

    wanted: dict[int, set[int]] = {}
    seen: dict[int, int] = {}
    for line, row in records:
        raw_id = row["quote_id"].strip()
        quote_id = _quote_id(raw_id)
        if quote_id is None or quote_id not in open_quotes:
            problems.append(
                Problem(
                    line,
                    "quote_id",
                    "unknown quote_id: no verified quote with quote consent has this number",
                    row["quote_id"],
                )
            )
        elif quote_id in seen:
            problems.append(
                Problem(line, "quote_id", f"this quote is already on line {seen[quote_id]}", raw_id)
            )
        else:
            seen[quote_id] = line
        chosen = set()
        for code in (c.strip() for c in row["tags"].split(";")):
            if not code:
                continue
            subtheme = subthemes.get(code)
            if subtheme is None:
                problems.append(Problem(line, "tags", f"unknown sub-theme '{code}'", row["tags"]))
            elif subtheme.merged_into is not None:
                problems.append(
                    Problem(
                        line,
                        "tags",
                        f"sub-theme '{code}' was merged into '{subtheme.merged_into.code}'; "
                        "use that instead",
                        row["tags"],
                    )
                )
            elif subtheme.pk not in taggable and subtheme.pk not in current.get(quote_id, set()):
                # A retired sub-theme may stay on a quote that has it, never be added.
                problems.append(
                    Problem(line, "tags", f"sub-theme '{code}' is retired", row["tags"])
                )
            else:
                chosen.add(subtheme.pk)
        if quote_id is not None:
            wanted[quote_id] = chosen
    if problems:
        raise ImportFailed(problems)

    with transaction.atomic():
        added, removed = tags_replace(wanted=wanted, user=user)
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(rows=len(wanted), dry_run=dry_run, added=added, removed=removed)
