"""Reading and writing an evaluation workbook: the second example evaluation, and round trips."""

import datetime
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pyxform.xls2xform import convert

from interviews.workbooks import (
    Choice,
    QuestionKind,
    SectionPart,
    read_sheets,
    read_workbook,
    write_workbook,
)
from tests.workbook_examples import CRISIS_CARE, EXAMPLE, text_rows, workbook_bytes


def example():
    return read_workbook(EXAMPLE.read_bytes())


def test_the_example_file_is_the_example_rows():
    sheets = read_sheets(EXAMPLE.read_bytes())
    assert {name: sheet.values() for name, sheet in sheets.items()} == text_rows(CRISIS_CARE)


def test_it_reads_the_settings():
    settings = example().settings
    assert settings.form_id == "crisis-care-2026"
    assert settings.title == "Crisis care: what helped when things were hardest"
    assert settings.version == "1"
    assert settings.participant_code == "^CC-[0-9]{3}$"
    assert settings.consent_version == "v1.0"
    assert settings.information_sheet_date == datetime.date(2026, 9, 1)
    assert settings.withdrawal_days == 28


def test_it_reads_sections_and_questions_in_order():
    design = example()
    assert [(s.code, s.label, s.part) for s in design.sections] == [
        ("care", "Your care", SectionPart.SCHEDULE),
        ("you", "About you", SectionPart.DEMOGRAPHICS),
    ]
    assert [(q.code, q.kind, q.choice_list, q.required, q.quotes) for q in design.questions()] == [
        ("intro", QuestionKind.NOTE, "", False, False),
        ("seen_quickly", QuestionKind.SELECT_ONE, "agreement", True, True),
        ("listened_to", QuestionKind.SELECT_ONE, "agreement", True, True),
        ("felt_safe", QuestionKind.SELECT_ONE, "agreement", True, False),
        ("contacted", QuestionKind.SELECT_MULTIPLE, "services", False, False),
        ("helped_most", QuestionKind.TEXT, "", False, True),
        ("age_band", QuestionKind.SELECT_ONE, "age", True, False),
        ("first_contact", QuestionKind.SELECT_ONE, "yes_no_unsure", True, False),
        ("care_score", QuestionKind.CALCULATE, "", False, False),
    ]
    felt_safe = design.questions()[3]
    assert felt_safe.label == "I felt safe."
    assert felt_safe.hint == "Safe from harm, and safe to speak."
    assert design.questions()[-1].terms == ("seen_quickly", "listened_to", "felt_safe")


def test_it_reads_answer_lists_with_scores_in_order():
    design = example()
    assert [cl.name for cl in design.choice_lists] == [
        "agreement",
        "services",
        "age",
        "yes_no_unsure",
    ]
    assert design.choice_list("agreement").choices == (
        Choice("agree", "Agree", 2),
        Choice("partly", "Partly", 1),
        Choice("disagree", "Disagree", 0),
        Choice("not_sure", "Not sure", None),
    )
    assert [c.code for c in design.choice_list("age").choices] == ["18-34", "35-54", "55+"]


def test_it_reads_consent_and_codebook():
    design = example()
    assert [(s.code, s.required) for s in design.consent] == [
        ("information", True),
        ("voluntary", True),
        ("quotes", False),
    ]
    assert [(t.code, t.label, [s.code for s in t.subthemes]) for t in design.codebook] == [
        ("access", "Getting help", ["speed", "right_place"]),
        ("people", "People", ["being_heard", "continuity"]),
    ]
    assert design.codebook[0].subthemes[0].description == "waiting, call-backs, being turned away"


def test_pyxform_converts_the_file_as_it_is():
    warnings: list[str] = []
    result = convert(xlsform=str(EXAMPLE), warnings=warnings)
    assert 'id="crisis-care-2026"' in result.xform
    assert warnings == []


def test_reading_what_was_written_gives_the_design():
    design = example()
    assert read_workbook(write_workbook(design)) == design


def test_writing_what_was_read_gives_the_same_sheets_and_rows():
    written = read_sheets(write_workbook(example()))
    assert list(written) == list(CRISIS_CARE)
    assert {name: sheet.values() for name, sheet in written.items()} == text_rows(CRISIS_CARE)


def test_blank_rows_and_spaces_do_not_change_the_design():
    rows = {name: [list(r) for r in sheet] for name, sheet in CRISIS_CARE.items()}
    rows["survey"].insert(5, [""] * 8)
    rows["choices"][2][2] = "  Partly\u00a0 "
    assert read_workbook(workbook_bytes(rows)) == example()


def test_a_label_that_starts_with_equals_is_written_as_words():
    design = example()
    statement = replace(design.consent[0], statement="=1+1 is words here")
    changed = replace(design, consent=(statement, *design.consent[1:]))
    assert read_workbook(write_workbook(changed)) == changed


def test_defaults_fill_blank_settings():
    rows = {name: [list(r) for r in sheet] for name, sheet in CRISIS_CARE.items()}
    rows["settings"][1][3] = ""
    rows["settings"][1][6] = ""
    settings = read_workbook(workbook_bytes(rows)).settings
    assert settings.participant_code == "^[A-Z0-9-]{2,20}$"
    assert settings.withdrawal_days == 14


def test_a_date_cell_reads_as_the_date():
    rows = {name: [list(r) for r in sheet] for name, sheet in CRISIS_CARE.items()}
    rows["settings"][1][5] = datetime.datetime(2026, 9, 1)
    assert read_workbook(workbook_bytes(rows)).settings.information_sheet_date == datetime.date(
        2026, 9, 1
    )


WORDS = (
    st.text(max_size=200)
    .map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s).replace("\xa0", " ").replace("\r", "\n"))
    .map(str.strip)
    .filter(lambda s: s and "${" not in s)  # pyxform reads ${name} in a label as a reference
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=WORDS, label=WORDS, hint=WORDS, answer=WORDS, statement=WORDS, theme=WORDS)
def test_any_words_round_trip(title, label, hint, answer, statement, theme):
    design = example()
    first = design.sections[0]
    question = replace(first.questions[1], label=label, hint=hint)
    agreement = design.choice_lists[0]
    changed = replace(
        design,
        settings=replace(design.settings, title=title),
        sections=(
            replace(first, questions=(first.questions[0], question, *first.questions[2:])),
            *design.sections[1:],
        ),
        choice_lists=(
            replace(
                agreement,
                choices=(replace(agreement.choices[0], label=answer), *agreement.choices[1:]),
            ),
            *design.choice_lists[1:],
        ),
        consent=(replace(design.consent[0], statement=statement), *design.consent[1:]),
        codebook=(replace(design.codebook[0], label=theme), *design.codebook[1:]),
    )
    assert read_workbook(write_workbook(changed)) == changed
