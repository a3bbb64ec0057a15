"""Storing an evaluation's workbook stores its consent form version and its codebook with it:
each evaluation has its own, and a form consents were recorded on never changes."""

import pytest

from interviews.models import ConsentFormVersion, Evaluation
from interviews.services.consent_versions import consent_version_current
from interviews.services.evaluations import evaluation_import
from interviews.workbooks import WorkbookInvalid, read_workbook
from tests.factories import ConsentRecordFactory, InterviewSessionFactory, TagFactory
from tests.workbook_examples import EXAMPLE, example_rows, workbook_bytes
from themes.models import SubTheme, Theme

pytestmark = pytest.mark.django_db


def crisis_care(rows=None):
    return read_workbook(workbook_bytes(rows) if rows else EXAMPLE.read_bytes())


def loneliness() -> Evaluation:
    return Evaluation.objects.get(code="loneliness-2018")


def test_the_consent_sheet_becomes_the_evaluations_current_form():
    evaluation = evaluation_import(crisis_care(), dry_run=False).evaluation
    version = consent_version_current(evaluation)
    assert (version.label, version.withdrawal_window_days) == ("v1.0", 28)
    assert str(version.information_sheet_date) == "2026-09-01"
    assert list(version.statements.values_list("code", "required")) == [
        ("information", True),
        ("voluntary", True),
        ("quotes", False),
    ]
    # The loneliness study keeps its own form.
    assert consent_version_current(loneliness()).label == "v1"


def test_a_dry_run_stores_no_consent_form_nor_codebook():
    evaluation_import(crisis_care(), dry_run=True)
    assert not ConsentFormVersion.objects.filter(label="v1.0").exists()
    assert not Theme.objects.filter(code="access").exists()


def test_a_form_not_yet_used_follows_a_new_workbook():
    evaluation_import(crisis_care(), dry_run=False)
    rows = example_rows()
    rows["consent"][2][1] = "I can stop whenever I like."
    evaluation = evaluation_import(crisis_care(rows), dry_run=False).evaluation
    version = consent_version_current(evaluation)
    assert version.statements.get(code="voluntary").text == "I can stop whenever I like."
    assert ConsentFormVersion.objects.filter(evaluation=evaluation).count() == 1


def test_a_form_consents_were_recorded_on_cannot_change():
    evaluation = evaluation_import(crisis_care(), dry_run=False).evaluation
    session = InterviewSessionFactory(evaluation=evaluation, participant_code="CC-001")
    ConsentRecordFactory(session=session, form_version=consent_version_current(evaluation))
    rows = example_rows()
    rows["consent"][2][1] = "I can stop whenever I like."
    with pytest.raises(WorkbookInvalid) as refused:
        evaluation_import(crisis_care(rows), dry_run=False)
    assert refused.value.lines() == [
        "settings row 2, column ufm_consent_version: consents were recorded on form v1.0, so "
        "its statements cannot change: give the changed form a new version"
    ]
    # A new version label makes a new form, offered from now on; the old one stays.
    rows["settings"][1][4] = "v2.0"
    evaluation_import(crisis_care(rows), dry_run=False)
    assert consent_version_current(evaluation).label == "v2.0"
    old = ConsentFormVersion.objects.get(evaluation=evaluation, label="v1.0")
    assert old.statements.get(code="voluntary").text.startswith("I know I can stop")


def test_the_codebook_sheet_becomes_the_evaluations_themes():
    evaluation = evaluation_import(crisis_care(), dry_run=False).evaluation
    themes = Theme.objects.filter(evaluation=evaluation).order_by("order")
    assert list(themes.values_list("code", "label")) == [
        ("access", "Getting help"),
        ("people", "People"),
    ]
    subthemes = SubTheme.objects.of(evaluation).order_by("order")
    assert list(subthemes.values_list("theme__code", "code", "description")) == [
        ("access", "speed", "waiting, call-backs, being turned away"),
        ("access", "right_place", "being sent between services"),
        ("people", "being_heard", "staff who listened, or did not"),
        ("people", "continuity", ""),
    ]
    # "people" is a theme of both evaluations, each its own.
    assert Theme.objects.filter(code="people").count() == 2
    assert SubTheme.objects.of(loneliness()).count() == 12


def test_a_new_codebook_moves_renames_retires_and_deletes_by_code():
    evaluation = evaluation_import(crisis_care(), dry_run=False).evaluation
    speed = SubTheme.objects.of(evaluation).get(code="speed")
    continuity = SubTheme.objects.of(evaluation).get(code="continuity")
    TagFactory(
        quote__session__evaluation=evaluation, quote__item="helped_most", subtheme=continuity
    )
    rows = example_rows()
    rows["codebook"][1][1] = "Getting help quickly"  # the theme renamed
    rows["codebook"][1][3] = "How fast"  # speed renamed
    del rows["codebook"][4]  # continuity dropped: it has a tag, so it is retired
    del rows["codebook"][2]  # right_place dropped: unused, so deleted
    evaluation_import(crisis_care(rows), dry_run=False)
    speed.refresh_from_db()
    continuity.refresh_from_db()
    assert (speed.pk, speed.label, speed.theme.label) == (
        speed.pk,
        "How fast",
        "Getting help quickly",
    )
    assert continuity.is_active is False
    assert not SubTheme.objects.of(evaluation).filter(code="right_place").exists()
