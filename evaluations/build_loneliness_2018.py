"""Writes loneliness-2018.xlsx, the loneliness study's workbook, from the code that runs it today.

The workbook is made from interviews/schedule.py, the consent v1 seed (interviews/reference_data.py)
and the codebook seed (themes/reference_data.py), so that it says exactly what the app does;
tests/test_loneliness_workbook.py checks that the file in the repository is what this makes.
Run it from the repository's root: ``.venv/bin/python evaluations/build_loneliness_2018.py``.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from interviews import schedule  # noqa: E402
from interviews.reference_data import STATEMENTS_V1  # noqa: E402
from interviews.workbooks import (  # noqa: E402
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
    write_workbook,
)
from themes.reference_data import SUBTHEMES, THEMES  # noqa: E402

WORKBOOK = ROOT / "evaluations" / "loneliness-2018.xlsx"
# schedule.md names the ethnic categories' source; the page shows the shorter label.
ETHNICITY_HINT = 'NHS Data Dictionary "Ethnic Category", 2001 census basis'
# The answer list each choices class of schedule.py becomes; YesNo serves three questions.
LIST_NAMES = {
    schedule.Answer: "frequency",
    schedule.LivingArrangement: "living_arrangement",
    schedule.PeoplePerWeek: "people_per_week",
    schedule.Sees: "sees",
    schedule.YesNo: "yes_no",
    schedule.Service: "service",
    schedule.AgeBand: "age_band",
    schedule.Gender: "gender",
    schedule.Ethnicity: "ethnicity",
    schedule.Borough: "borough",
}


def loneliness_design() -> EvaluationDesign:
    items = tuple(
        Question(
            QuestionKind.SELECT_ONE,
            q.code,
            q.text,
            required=True,
            choice_list=LIST_NAMES[q.choices],
            quotes=True,
        )
        for q in schedule.ITEM_QUESTIONS
    )
    prompt = Question(QuestionKind.NOTE, "items_prompt", schedule.ITEMS_PROMPT)
    open_questions = tuple(
        Question(QuestionKind.TEXT, q.code, q.text, quotes=True) for q in schedule.OPEN_QUESTIONS
    )
    about = tuple(
        Question(
            QuestionKind.SELECT_MULTIPLE if q.many else QuestionKind.SELECT_ONE,
            q.code,
            q.text,
            hint=ETHNICITY_HINT if q.code == "ethnicity" else "",
            # Ticking none of a tick-all question is an answer (interviews/selectors.py).
            required=not q.many,
            choice_list=LIST_NAMES[q.choices],
        )
        for q in schedule.DEMOGRAPHIC_QUESTIONS
    )
    ucla3 = Question(
        QuestionKind.CALCULATE,
        "ucla3",
        "UCLA-3 loneliness score (3 to 9, higher is lonelier)",
        terms=tuple(schedule.UCLA_ITEMS),
    )
    sections = (
        Section("feel", "How you feel", SectionPart.SCHEDULE, (prompt, *items)),
        Section("helps", "What helps", SectionPart.SCHEDULE, open_questions),
        # The score comes last, as ucla3_score ends interviews.csv and `score` ends counts.csv.
        Section("about", "About you", SectionPart.DEMOGRAPHICS, (*about, ucla3)),
    )
    choice_lists = tuple(
        ChoiceList(
            name,
            tuple(
                Choice(
                    c.value,
                    c.label,
                    schedule.UCLA_SCORES.get(c.value) if name == "frequency" else None,
                )
                for c in choices
            ),
        )
        for choices, name in LIST_NAMES.items()
    )
    consent = tuple(
        ConsentStatement(code, text, required) for code, text, required in STATEMENTS_V1
    )
    codebook = tuple(
        Theme(
            code,
            label,
            tuple(
                SubTheme(sub, sub_label, about)
                for theme, sub, sub_label, about in SUBTHEMES
                if theme == code
            ),
        )
        for code, label in THEMES
    )
    settings = Settings(
        form_id="loneliness-2018",
        title="Loneliness and Social Isolation: mental health service users' experiences and views",
        version="2018",
        participant_code=schedule.PARTICIPANT_CODE_PATTERN,
        consent_version="v1",
        information_sheet_date=datetime.date(2018, 3, 1),
        withdrawal_days=14,
    )
    return EvaluationDesign(settings, sections, choice_lists, consent, codebook)


if __name__ == "__main__":
    WORKBOOK.write_bytes(write_workbook(loneliness_design()))
    print(f"Wrote {WORKBOOK.relative_to(ROOT)}")
