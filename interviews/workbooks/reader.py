"""Reading a workbook into an EvaluationDesign: every sheet checked, every problem reported."""

from __future__ import annotations

from interviews.workbooks.design import (
    DEFAULT_PARTICIPANT_CODE,
    DEFAULT_WITHDRAWAL_DAYS,
    QUOTES_STATEMENT,
    ConsentStatement,
    EvaluationDesign,
    Settings,
    SubTheme,
    Theme,
)
from interviews.workbooks.rules import (
    CONSENT_VERSION_LONGEST,
    FORM_ID,
    TITLE_LONGEST,
    VERSION_LONGEST,
    Cells,
)
from interviews.workbooks.sheets import (
    COLUMNS,
    Sheet,
    WorkbookInvalid,
    WorkbookProblem,
    read_sheets,
)
from interviews.workbooks.survey import read_choices, read_survey
from interviews.workbooks.xlsform import xlsform_problems


def read_workbook(data: bytes) -> EvaluationDesign:
    """The design in an .xlsx file's bytes; raises WorkbookInvalid listing every problem."""
    sheets = read_sheets(data)
    problems: list[WorkbookProblem] = []
    settings = read_settings(sheets["settings"], problems)
    choice_lists = read_choices(sheets["choices"], problems)
    sections = read_survey(sheets["survey"], choice_lists, problems)
    consent = read_consent(sheets["consent"], problems)
    codebook = read_codebook(sheets["codebook"], problems)
    takes_quotes = any(q.quotes for s in sections for q in s.questions)
    if takes_quotes and not any(s.code == QUOTES_STATEMENT for s in consent):
        problems.append(
            WorkbookProblem(
                "consent",
                0,
                "",
                "the survey takes quotes, so the consent sheet needs the statement with the "
                f"code {QUOTES_STATEMENT} (required no)",
            )
        )
    # pyxform stops at its first problem, which is nearly always one found above already, in
    # other words and often at another place: it has its say once the profile's rules pass.
    if not problems:
        problems = xlsform_problems(sheets)
    if problems:
        order = list(COLUMNS)
        problems.sort(key=lambda p: (order.index(p.sheet) if p.sheet in order else -1, p.row))
        raise WorkbookInvalid(problems)
    return EvaluationDesign(settings, sections, choice_lists, consent, codebook)


def read_settings(sheet: Sheet, problems: list[WorkbookProblem]) -> Settings | None:
    cells = Cells("settings", problems)
    if len(sheet.rows) != 1:
        cells.problem(0, "", "the settings sheet has one row under its header")
        return None
    row = sheet.rows[0]
    form_id = cells.needed(row, "form_id", "the evaluation's code")
    if form_id is not None and not FORM_ID.match(form_id):
        cells.problem(
            row,
            "form_id",
            f"'{form_id}' is not an evaluation code: use 2 to 40 of "
            "a-z, 0-9 and '-', like loneliness-2018",
        )
    title = cells.needed(row, "form_title", "the title", longest=TITLE_LONGEST)
    version = cells.needed(row, "version", "the version", longest=VERSION_LONGEST)
    pattern = DEFAULT_PARTICIPANT_CODE
    if row["ufm_participant_code"]:
        pattern = cells.pattern(row, "ufm_participant_code")
    consent_version = cells.needed(
        row, "ufm_consent_version", "the consent form's version", longest=CONSENT_VERSION_LONGEST
    )
    sheet_date = None
    if cells.needed(row, "ufm_information_sheet_date", "the information sheet's date"):
        sheet_date = cells.date(row, "ufm_information_sheet_date")
    days = DEFAULT_WITHDRAWAL_DAYS
    if row["ufm_withdrawal_days"]:
        days = cells.integer(row, "ufm_withdrawal_days", minimum=0)
    values = (form_id, title, version, pattern, consent_version, sheet_date, days)
    return None if None in values else Settings(*values)


def read_consent(sheet: Sheet, problems: list[WorkbookProblem]) -> tuple[ConsentStatement, ...]:
    cells = Cells("consent", problems)
    codes: dict[str, int] = {}
    statements = []
    for row in sheet.rows:
        code = cells.code(row, "code")
        cells.unique(codes, code, row, "code")
        statement = cells.needed(row, "statement", "the statement")
        required = cells.yes_no(row, "required", blank_means_no=False)
        if code == QUOTES_STATEMENT and required:
            cells.problem(
                row,
                "required",
                "the quotes statement is required no: without it the "
                "participant still takes part, and their words are never quoted",
            )
        if None not in (code, statement, required):
            statements.append(ConsentStatement(code, statement, required))
    if not sheet.rows:
        cells.problem(0, "", "the consent sheet has no statements")
    return tuple(statements)


def read_codebook(sheet: Sheet, problems: list[WorkbookProblem]) -> tuple[Theme, ...]:
    """The themes in order, each with its sub-themes; a theme's rows must be consecutive, so
    that the workbook written back has its rows in the same order."""
    cells = Cells("codebook", problems)
    themes: dict[str, tuple[str, list[SubTheme]]] = {}
    theme_rows: dict[str, int] = {}
    subtheme_codes: dict[str, int] = {}
    last = ""
    for row in sheet.rows:
        theme = cells.code(row, "theme", "the theme code")
        label = cells.needed(row, "theme_label", "the theme's label")
        code = cells.code(row, "subtheme", "the sub-theme code")
        cells.unique(subtheme_codes, code, row, "subtheme")
        sub_label = cells.needed(row, "subtheme_label", "the sub-theme's label")
        if theme is None:
            continue
        if theme in themes and theme != last:
            cells.problem(
                row, "theme", f"the theme '{theme}' has rows apart: keep its rows together"
            )
        last = theme
        if theme not in themes and label is not None:
            themes[theme] = (label, [])
            theme_rows[theme] = row.number
        elif theme in themes and label is not None and label != themes[theme][0]:
            cells.problem(
                row, "theme_label", f"row {theme_rows[theme]} calls this theme '{themes[theme][0]}'"
            )
        if theme in themes and None not in (code, sub_label):
            themes[theme][1].append(SubTheme(code, sub_label, row["description"]))
    if not sheet.rows:
        cells.problem(0, "", "the codebook sheet has no themes")
    return tuple(Theme(code, label, tuple(subs)) for code, (label, subs) in themes.items())
