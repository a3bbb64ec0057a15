"""The survey and choices sheets: sections, questions and answer lists, checked together."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from interviews.exchange import SESSION_COLUMNS, STATUS_COLUMN
from interviews.workbooks.design import (
    Choice,
    ChoiceList,
    Question,
    QuestionKind,
    Section,
    SectionPart,
)
from interviews.workbooks.rules import CHOICE_CODE, CHOICE_CODE_RULE, CODE, TITLE_LONGEST, Cells
from interviews.workbooks.sheets import Row, Sheet, WorkbookProblem

SELECTS = (QuestionKind.SELECT_ONE, QuestionKind.SELECT_MULTIPLE)
PLAIN_TYPES = {k.value: k for k in QuestionKind if k not in SELECTS}
# The interview's own pages (interviews/urls.py: review, check) and the step after the last
# section: a section may not take their names.
RESERVED_SECTION_CODES = frozenset({"review", "check", "consent", "discard", "autosave"})
TYPES_SAID = "begin_group, end_group, note, text, calculate, select_one LIST, select_multiple LIST"
TERM = re.compile(r"^\$\{([^}]*)\}$")
# The columns every interviews.csv has before the questions', and the one the export adds.
FILE_COLUMNS = frozenset({*SESSION_COLUMNS, STATUS_COLUMN})


def read_choices(sheet: Sheet, problems: list[WorkbookProblem]) -> tuple[ChoiceList, ...]:
    """The answer lists in order; a list's choices must be on consecutive rows, so that the
    workbook written back has its rows in the same order."""
    cells = Cells("choices", problems)
    lists: dict[str, list[Choice]] = {}
    codes: dict[str, dict[str, int]] = {}
    last = ""
    for row in sheet.rows:
        name = cells.code(row, "list_name", "the list name")
        code = cells.needed(row, "name", "the answer code")
        if code is not None and not CHOICE_CODE.match(code):
            cells.problem(row, "name", f"'{code}' is not an answer code: use {CHOICE_CODE_RULE}")
            code = None
        label = cells.needed(row, "label", "the label")
        score = cells.integer(row, "score") if row["score"] else None
        if name is None:
            continue
        if name in lists and name != last:
            cells.problem(
                row, "list_name", f"the list '{name}' has rows apart: keep its rows together"
            )
        last = name
        cells.unique(codes.setdefault(name, {}), code, row, "name")
        if code is not None and label is not None:
            lists.setdefault(name, []).append(Choice(code, label, score))
    return tuple(ChoiceList(name, tuple(choices)) for name, choices in lists.items())


@dataclass
class _Open:
    row: Row
    code: str | None
    label: str
    part: SectionPart | None
    questions: list[Question] = field(default_factory=list)
    rows: int = 0


def read_survey(
    sheet: Sheet, choice_lists: tuple[ChoiceList, ...], problems: list[WorkbookProblem]
) -> tuple[Section, ...]:
    cells = Cells("survey", problems)
    lists = {cl.name: cl for cl in choice_lists}
    names: dict[str, int] = {}
    sections: list[Section] = []
    group: _Open | None = None
    calculations: list[tuple[Row, Question]] = []
    for row in sheet.rows:
        kind, list_name = _type(cells, row, lists)
        code = None
        if kind != "end_group":
            code = cells.code(row, "name", "the name")
            cells.unique(names, code, row, "name")
        if kind is None:
            continue
        if kind == "end_group":
            for column in sheet.header:
                if column != "type":
                    cells.blank(row, column, "an end_group row has only its type")
            if group is None:
                cells.problem(row, "type", "this end_group has no begin_group before it")
            else:
                _close(cells, group, sections)
                group = None
            continue
        if kind == "begin_group":
            if group is not None:
                cells.problem(row, "type", "groups cannot be inside groups: end the one before")
                _close(cells, group, sections)
            label = cells.needed(row, "label", "the label", longest=TITLE_LONGEST)
            if code in RESERVED_SECTION_CODES:
                # A section's code is its page's address, beside the interview's own pages.
                cells.problem(
                    row,
                    "name",
                    f"'{code}' is the name of a page of every interview: choose another",
                )
            group = _Open(row, code, label or "", _part(cells, row))
            for column in ("hint", "required", "calculation", "ufm_quotes"):
                cells.blank(row, column, "a begin_group row has a name, label and ufm_part")
            continue
        cells.blank(row, "ufm_part", "ufm_part belongs on the begin_group row")
        question = _question(cells, row, kind, code, list_name)
        if group is None:
            cells.problem(row, "type", "this question is outside any group: put it in one")
            continue
        group.rows += 1
        if question is not None:
            if kind == QuestionKind.CALCULATE:
                calculations.append((row, question))
            group.questions.append(question)
    if group is not None:
        cells.problem(group.row, "type", "this begin_group has no end_group after it")
        _close(cells, group, sections)
    questions = {q.code: q for s in sections for q in s.questions}
    for row, calculation in calculations:
        _check_terms(cells, row, calculation, questions, names, lists)
    _check_file_columns(cells, sheet, questions)
    return tuple(sections)


def _type(cells: Cells, row: Row, lists: dict[str, ChoiceList]):
    """(kind, list name) of a row, or (None, "") after noting why it cannot be read."""
    value = " ".join(row["type"].split())
    if not value:
        cells.problem(row, "type", "the type is missing")
        return None, ""
    if value in ("begin_group", "end_group"):
        return value, ""
    if value in PLAIN_TYPES:
        return PLAIN_TYPES[value], ""
    head, _, list_name = value.partition(" ")
    if head in SELECTS and list_name:
        if list_name not in lists:
            cells.problem(row, "type", f"the list '{list_name}' is not on the choices sheet")
            return None, ""
        return QuestionKind(head), list_name
    cells.problem(row, "type", f"'{value}' is not a type of the UFM profile: use {TYPES_SAID}")
    return None, ""


def _part(cells: Cells, row: Row) -> SectionPart | None:
    value = row["ufm_part"]
    if value in {p.value for p in SectionPart}:
        return SectionPart(value)
    got = f"got '{value}'" if value else "it is blank"
    cells.problem(row, "ufm_part", f"write schedule or demographics ({got})")
    return None


def _question(cells: Cells, row: Row, kind: QuestionKind, code, list_name: str):
    label = row["label"]
    if kind != QuestionKind.CALCULATE and not label:
        cells.problem(row, "label", "the label is missing")
    required = False
    if kind in (*SELECTS, QuestionKind.TEXT):
        required = cells.yes_no(row, "required")
    else:
        cells.blank(row, "required", f"a {kind} row is never answered")
    quotes = kind == QuestionKind.TEXT
    if kind == QuestionKind.SELECT_ONE:
        quotes = cells.yes_no(row, "ufm_quotes")
    else:
        cells.blank(row, "ufm_quotes", "only a select_one question may take quotes as well")
    terms: tuple[str, ...] = ()
    if kind == QuestionKind.CALCULATE:
        terms = _terms(cells, row)
    else:
        cells.blank(row, "calculation", "only a calculate row has a calculation")
    if None in (code, required, quotes, terms) or (kind != QuestionKind.CALCULATE and not label):
        return None
    return Question(kind, code, label, row["hint"], required, list_name, quotes, terms)


def _terms(cells: Cells, row: Row) -> tuple[str, ...] | None:
    value = row["calculation"]
    if not value:
        cells.problem(row, "calculation", "the calculation is missing")
        return None
    terms = []
    for part in value.split("+"):
        match = TERM.match(part.strip())
        if not match or not CODE.match(match[1]):
            cells.problem(
                row,
                "calculation",
                "a calculation is a sum of questions, like ${companionship} + ${isolation} "
                f"(got '{value}')",
            )
            return None
        if match[1] in terms:
            cells.problem(row, "calculation", f"${{{match[1]}}} is counted twice")
            return None
        terms.append(match[1])
    return tuple(terms)


def _check_terms(cells, row: Row, calculation: Question, questions, names, lists) -> None:
    for term in calculation.terms:
        question = questions.get(term)
        if term not in names:
            cells.problem(row, "calculation", f"${{{term}}} is not a question of the survey")
        elif question is None:
            continue  # its row has a problem of its own, reported already
        elif question.kind != QuestionKind.SELECT_ONE:
            cells.problem(row, "calculation", f"${{{term}}} is not a select_one question")
        elif all(c.score is None for c in lists[question.choice_list].choices):
            cells.problem(
                row,
                "calculation",
                f"the answers of ${{{term}}} have no scores on the choices sheet",
            )


def _check_file_columns(cells: Cells, sheet: Sheet, questions: dict[str, Question]) -> None:
    """Each question makes columns of interviews.csv (NAME, NAME_quotes, NAME_score): no two
    may have the same name, nor take one of the fixed columns."""
    taken = {column: "the files' fixed columns" for column in FILE_COLUMNS}
    rows = {row["name"]: row for row in sheet.rows if row["name"]}
    for code, question in questions.items():
        columns = {
            QuestionKind.SELECT_ONE: [code] + ([f"{code}_quotes"] if question.quotes else []),
            QuestionKind.SELECT_MULTIPLE: [code],
            QuestionKind.TEXT: [f"{code}_quotes"],
            QuestionKind.CALCULATE: [f"{code}_score"],
            QuestionKind.NOTE: [],
        }[question.kind]
        for column in columns:
            if column in taken:
                cells.problem(
                    rows[code], "name", f"its file column {column} is already {taken[column]}"
                )
            taken[column] = f"the column of '{code}'"


def _close(cells: Cells, group: _Open, sections: list[Section]) -> None:
    if not group.rows:
        cells.problem(group.row, "type", "this group has no questions")
    if group.code is not None and group.part is not None and group.label:
        sections.append(Section(group.code, group.label, group.part, tuple(group.questions)))
