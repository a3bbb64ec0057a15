"""The loneliness workbook in the repository says exactly what the spec (schedule.md, consent.md,
codebook.md) says the 2018 study asked."""

import datetime
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from interviews.reference_data import STATEMENTS_V1
from interviews.workbooks import (
    QuestionKind,
    SectionPart,
    read_workbook,
)
from tests.spec import code_label_pairs, table_with
from themes.reference_data import SUBTHEMES, THEMES

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "evaluations" / "loneliness-2018.xlsx"


@pytest.fixture(scope="module")
def design():
    return read_workbook(WORKBOOK.read_bytes())


# Spec text the workbook must hold as it is (../shared/spec/schedule.md).
ITEMS_PROMPT = (
    "The next questions are about how you feel about different aspects of your life. For each "
    "one, tell me how often you feel that way."
)
SECTIONS = [("feel", "How you feel"), ("helps", "What helps"), ("about", "About you")]


def spec_scores() -> list[tuple[str, str, int | None]]:
    rows = table_with("schedule.md", "code", "label", "UCLA score")
    return [
        (r["code"], r["label"], None if r["UCLA score"] == "—" else int(r["UCLA score"]))
        for r in rows
    ]


def test_settings(design):
    s = design.settings
    assert (s.form_id, s.version, s.consent_version) == ("loneliness-2018", "2018", "v1")
    assert s.title.startswith("Loneliness and Social Isolation")
    assert s.participant_code == r"^[A-Z0-9-]{2,20}$"
    assert s.information_sheet_date == datetime.date(2018, 3, 1)
    assert s.withdrawal_days == 14


def test_sections_are_the_entry_pages(design):
    assert [(s.code, s.label) for s in design.sections] == SECTIONS
    assert [s.part for s in design.sections] == [
        SectionPart.SCHEDULE,
        SectionPart.SCHEDULE,
        SectionPart.DEMOGRAPHICS,
    ]


def test_the_items_with_the_prompt_before_them(design):
    feel = design.sections[0].questions
    assert (feel[0].kind, feel[0].label) == (QuestionKind.NOTE, ITEMS_PROMPT)
    rows = table_with("schedule.md", "code", "question (as asked)", "source")
    assert [(q.code, q.label) for q in feel[1:]] == [
        (r["code"], r["question (as asked)"]) for r in rows
    ]
    for q in feel[1:]:
        assert (q.kind, q.required, q.quotes) == (QuestionKind.SELECT_ONE, True, True)
        answers = design.choice_list(q.choice_list).choices
        assert [(c.code, c.label, c.score) for c in answers] == spec_scores()


def test_the_open_questions_take_quotes_only(design):
    helps = design.sections[1].questions
    rows = table_with("schedule.md", "code", "question")
    assert [(q.kind, q.code, q.label, q.quotes, q.required) for q in helps] == [
        (QuestionKind.TEXT, r["code"], r["question"], True, False) for r in rows
    ]


def test_the_demographics_with_their_answers_in_order(design):
    about = [q for q in design.sections[2].questions if q.kind != QuestionKind.CALCULATE]
    rows = table_with("schedule.md", "code", "question", "answers (code = label)", "kind")
    assert [q.code for q in about] == [r["code"] for r in rows]
    for q, row in zip(about, rows, strict=True):
        many = row["kind"] == "many"
        assert q.kind == (QuestionKind.SELECT_MULTIPLE if many else QuestionKind.SELECT_ONE)
        # Completeness (interviews.selectors.missing_fields): every one-answer question.
        assert q.required == (not many)
        assert not q.quotes
        answers = design.choice_list(q.choice_list).choices
        pairs = code_label_pairs(row["answers (code = label)"])
        assert [c.code for c in answers] == [code for code, _ in pairs], q.code
        # Where the spec gives a label, the workbook has the same.
        labels = {c.code: c.label for c in answers}
        assert [(code, labels[code]) for code, label in pairs if label != code] == [
            (code, label) for code, label in pairs if label != code
        ], q.code
        assert all(c.score is None for c in answers)
    # The spec's question holds the ethnicity's source; the workbook has it as the hint.
    assert [(q.label, q.hint) for q in about if q.hint] == [
        ("Ethnic group", 'NHS Data Dictionary "Ethnic Category", 2001 census basis')
    ]


def test_the_ucla3_score_is_the_last_row(design):
    ucla3 = design.questions()[-1]
    assert (ucla3.kind, ucla3.code) == (QuestionKind.CALCULATE, "ucla3")
    # "UCLA-3 score = companionship + isolation + left_out scores" (schedule.md).
    assert ucla3.terms == ("companionship", "isolation", "left_out")
    scores = {c.code: c.score for c in design.choice_list("frequency").choices}
    answers = {"companionship": "often", "isolation": "hardly_ever", "left_out": "often"}
    assert sum(scores[answers[t]] for t in ucla3.terms) == 7


def test_the_consent_statements_of_v1(design):
    assert [(s.code, s.statement, s.required) for s in design.consent] == STATEMENTS_V1


def test_the_codebook(design):
    assert [(t.code, t.label) for t in design.codebook] == THEMES
    assert [
        (t.code, sub.code, sub.label, sub.description)
        for t in design.codebook
        for sub in t.subthemes
    ] == SUBTHEMES


def test_pyxform_converts_it_as_odk_would():
    warnings: list[str] = []
    result = convert(xlsform=str(WORKBOOK), warnings=warnings)
    assert 'id="loneliness-2018"' in result.xform
    assert warnings == []
