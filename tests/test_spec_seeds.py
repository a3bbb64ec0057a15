"""The seeded sites, the schedule's choices, consent v1 and the codebook equal the spec files."""

import pytest

from interviews import schedule
from interviews.models import ConsentFormVersion, Site
from tests.spec import code_label_pairs, table_with
from themes.models import SubTheme, Theme

pytestmark = pytest.mark.django_db


def test_items_and_questions_match_the_schedule():
    rows = table_with("schedule.md", "code", "question (as asked)", "source")
    assert [r["code"] for r in rows] == schedule.Item.values
    for row in rows:
        assert schedule.QUESTION_TEXT[row["code"]] == row["question (as asked)"]


def test_answers_match_the_schedule():
    rows = table_with("schedule.md", "code", "label", "UCLA score")
    assert [(r["code"], r["label"]) for r in rows] == list(schedule.Answer.choices)
    for row in rows:
        expected = None if row["UCLA score"] == "—" else int(row["UCLA score"])
        assert schedule.UCLA_SCORES.get(row["code"]) == expected


def test_open_questions_match_the_schedule():
    rows = table_with("schedule.md", "code", "question")
    open_rows = [r for r in rows if r["code"] in ("what_helped", "what_else")]
    assert [r["code"] for r in rows] == schedule.OpenQuestion.values
    for row in open_rows:
        assert schedule.QUESTION_TEXT[row["code"]] == row["question"]
    assert schedule.QuoteItem.values == schedule.Item.values + schedule.OpenQuestion.values
    assert schedule.QuoteItem.choices == schedule.Item.choices + schedule.OpenQuestion.choices
    assert schedule.QuoteItem.WHAT_ELSE == "what_else"


def test_demographics_match_the_schedule():
    rows = table_with("schedule.md", "code", "question", "answers (code = label)", "kind")
    assert [r["code"] for r in rows] == [q.code for q in schedule.DEMOGRAPHIC_QUESTIONS]
    by_code = {q.code: q for q in schedule.DEMOGRAPHIC_QUESTIONS}
    for row in rows:
        question = by_code[row["code"]]
        assert question.many == (row["kind"] == "many")
        pairs = code_label_pairs(row["answers (code = label)"])
        assert [code for code, _ in pairs] == question.choices.values, row["code"]
        labels = dict(question.choices.choices)
        for code, label in pairs:
            if label != code:  # the spec gives a label: ours is the same
                assert labels[code] == label, (row["code"], code)
        if row["code"] != "ethnicity":
            assert question.text == row["question"]


def test_seeded_sites_match_the_schedule():
    rows = table_with("schedule.md", "field", "rule")
    rule = next(r["rule"] for r in rows if r["field"] == "site")
    seeded = code_label_pairs(rule.split("seeded with:")[1])
    assert list(Site.objects.values_list("code", "label")) == seeded


def test_participant_code_rule_is_the_schedules():
    rows = table_with("schedule.md", "field", "rule")
    rule = next(r["rule"] for r in rows if r["field"] == "participant_code")
    assert "2-20 of A-Z 0-9 and '-'" in rule
    assert schedule.PARTICIPANT_CODE_PATTERN == r"^[A-Z0-9-]{2,20}$"


def test_seeded_consent_v1_matches_consent_md():
    rows = table_with("consent.md", "code", "statement", "required to take part")
    version = ConsentFormVersion.objects.get(label="v1")
    assert version.is_current
    assert str(version.information_sheet_date) == "2018-03-01"
    assert version.withdrawal_window_days == 14
    assert [(s.code, s.text, s.required) for s in version.statements.all()] == [
        (r["code"], r["statement"], r["required to take part"] == "yes") for r in rows
    ]


def test_seeded_codebook_matches_codebook_md():
    rows = table_with("codebook.md", "theme code", "sub-theme code")
    themes = list(dict.fromkeys((r["theme code"], r["theme"]) for r in rows))
    assert list(Theme.objects.values_list("code", "label")) == themes
    seeded = list(
        SubTheme.objects.values_list("theme__code", "code", "label", "description", "is_active")
    )
    assert seeded == [
        (r["theme code"], r["sub-theme code"], r["sub-theme"], r["what belongs here"], True)
        for r in rows
    ]
