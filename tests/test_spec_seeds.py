"""The seeded sites, the schedule's choices, consent v1 and the codebook equal the spec files."""

import pytest

from interviews.models import ConsentFormVersion, Evaluation, Site
from interviews.participant_codes import participant_code_problem
from interviews.schedules import schedule_of
from tests.spec import code_label_pairs, table_with
from themes.models import SubTheme, Theme

pytestmark = pytest.mark.django_db


def seeded():
    """The schedule of the seeded loneliness-2018 evaluation (migration 0010)."""
    return schedule_of(Evaluation.objects.get(code="loneliness-2018"))


def test_items_and_questions_match_the_schedule():
    rows = table_with("schedule.md", "code", "question (as asked)", "source")
    assert [(q.code, q.label) for q in seeded().items] == [
        (r["code"], r["question (as asked)"]) for r in rows
    ]
    for item in seeded().items:
        assert (item.section, item.required, item.takes_quotes) == ("feel", True, True)


def test_answers_match_the_schedule():
    rows = table_with("schedule.md", "code", "label", "UCLA score")
    for item in seeded().items:
        assert [(o.code, o.label, o.score) for o in item.options] == [
            (r["code"], r["label"], None if r["UCLA score"] == "—" else int(r["UCLA score"]))
            for r in rows
        ]


def test_open_questions_match_the_schedule():
    rows = table_with("schedule.md", "code", "question")
    assert [(q.code, q.label) for q in seeded().open_questions] == [
        (r["code"], r["question"]) for r in rows
    ]
    assert [q.code for q in seeded().quote_questions] == [
        *(q.code for q in seeded().items),
        "what_helped",
        "what_else",
    ]


def test_demographics_match_the_schedule():
    rows = table_with("schedule.md", "code", "question", "answers (code = label)", "kind")
    schedule = seeded()
    assert [q.code for q in schedule.demographics] == [r["code"] for r in rows]
    for row in rows:
        question = schedule.question(row["code"])
        assert question.many == (row["kind"] == "many")
        # "Every 'one' question ... cannot be verified until each is answered."
        assert question.required == (row["kind"] == "one")
        pairs = code_label_pairs(row["answers (code = label)"])
        assert [o.code for o in question.options] == [code for code, _ in pairs], row["code"]
        for code, label in pairs:
            if label != code:  # the spec gives a label: ours is the same
                assert question.label_of(code) == label, (row["code"], code)
        if row["code"] != "ethnicity":
            assert question.label == row["question"]


def test_seeded_sites_match_the_schedule():
    rows = table_with("schedule.md", "field", "rule")
    rule = next(r["rule"] for r in rows if r["field"] == "site")
    seeded = code_label_pairs(rule.split("seeded with:")[1])
    assert list(Site.objects.values_list("code", "label")) == seeded


def test_participant_code_rule_is_the_schedules():
    rows = table_with("schedule.md", "field", "rule")
    rule = next(r["rule"] for r in rows if r["field"] == "participant_code")
    assert "2-20 of A-Z 0-9 and '-'" in rule
    assert Evaluation.objects.get(code="loneliness-2018").participant_code == r"^[A-Z0-9-]{2,20}$"
    for code in ("LSI-023", "AB", "A" * 20):
        assert participant_code_problem(code) is None, code
    for code in ("A", "A" * 21, "lsi-023", "LSI 023", "LSI_023"):
        assert participant_code_problem(code) is not None, code


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
