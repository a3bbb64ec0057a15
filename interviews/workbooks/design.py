"""The design of an evaluation as plain frozen data: what its workbook says, nothing stored yet."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

DEFAULT_PARTICIPANT_CODE = r"^[A-Z0-9-]{2,20}$"
DEFAULT_WITHDRAWAL_DAYS = 14
# The consent statement that, answered "no", keeps a participant's words out of every page.
QUOTES_STATEMENT = "quotes"


class QuestionKind(enum.StrEnum):
    """A survey row's type, without its choice list."""

    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    TEXT = "text"
    NOTE = "note"
    CALCULATE = "calculate"


class SectionPart(enum.StrEnum):
    """What a section's questions count as (the ufm_part of its begin_group row)."""

    SCHEDULE = "schedule"
    DEMOGRAPHICS = "demographics"


@dataclass(frozen=True)
class Settings:
    form_id: str
    title: str
    version: str
    participant_code: str = DEFAULT_PARTICIPANT_CODE
    consent_version: str = ""
    information_sheet_date: datetime.date | None = None
    withdrawal_days: int = DEFAULT_WITHDRAWAL_DAYS


@dataclass(frozen=True)
class Question:
    """One survey row inside a section. ``choice_list`` names the list of a select question;
    ``quotes`` is whether it takes verbatim quotes (always for text); ``terms`` are the
    select_one questions a calculate row sums the scores of."""

    kind: QuestionKind
    code: str
    label: str
    hint: str = ""
    required: bool = False
    choice_list: str = ""
    quotes: bool = False
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    code: str
    label: str
    part: SectionPart
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Choice:
    """An answer: ``score`` is its points in calculate rows, None for answers such as
    no_answer. Its order is its place in its list."""

    code: str
    label: str
    score: int | None = None


@dataclass(frozen=True)
class ChoiceList:
    name: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class ConsentStatement:
    code: str
    statement: str
    required: bool


@dataclass(frozen=True)
class SubTheme:
    code: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    subthemes: tuple[SubTheme, ...]


@dataclass(frozen=True)
class EvaluationDesign:
    settings: Settings
    sections: tuple[Section, ...]
    choice_lists: tuple[ChoiceList, ...]
    consent: tuple[ConsentStatement, ...]
    codebook: tuple[Theme, ...]

    def questions(self) -> tuple[Question, ...]:
        """Every question in survey order."""
        return tuple(q for section in self.sections for q in section.questions)

    def choice_list(self, name: str) -> ChoiceList:
        return next(cl for cl in self.choice_lists if cl.name == name)
