"""An evaluation designed as one XLSForm workbook (shared/spec/evaluation.md): read, check, write.

``read_workbook(data)`` gives an ``EvaluationDesign`` or raises ``WorkbookInvalid`` listing every
problem by sheet, row and column; ``write_workbook(design)`` gives the workbook back.
"""

from interviews.workbooks.design import (
    Choice,
    ChoiceList,
    ConsentStatement,
    EvaluationDesign,
    Question,
    QuestionKind,
    Section,
    SectionPart,
    Settings,
    SubTheme,
    Theme,
)
from interviews.workbooks.reader import read_workbook
from interviews.workbooks.sheets import WorkbookInvalid, WorkbookProblem, read_sheets, size_check
from interviews.workbooks.writer import write_workbook

__all__ = [
    "Choice",
    "ChoiceList",
    "ConsentStatement",
    "EvaluationDesign",
    "Question",
    "QuestionKind",
    "Section",
    "SectionPart",
    "Settings",
    "SubTheme",
    "Theme",
    "WorkbookInvalid",
    "WorkbookProblem",
    "read_sheets",
    "read_workbook",
    "size_check",
    "write_workbook",
]
