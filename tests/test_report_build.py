"""The report's content (themes.report.build): its figures are counts.csv's and
theme_counts.csv's for the same filter, its quotes only those that may be shown, its queries a
fixed number."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import analysis_data
from tests.factories import (
    InterviewerFactory,
    QuoteFactory,
    TagFactory,
    complete_session,
)
from themes.export_counts import counts_rows, theme_counts_rows
from themes.export_filters import ExportFilters
from themes.models import ReportSettings
from themes.report.build import report_build
from themes.report.figures import NOT_ANSWERED, OTHER_GROUPS

pytestmark = pytest.mark.django_db


def loneliness():
    from interviews.models import Evaluation

    return Evaluation.objects.get(code="loneliness-2018")


_NUMBERS = itertools.count(1)


def sessions(count: int, **kwargs) -> list:
    """``count`` complete, verified interviews of loneliness-2018 (codes RPT-1, RPT-2, …)."""
    pair = {"interviewer_1": InterviewerFactory(), "interviewer_2": InterviewerFactory()}
    return [
        complete_session(
            status="verified", participant_code=f"RPT-{next(_NUMBERS)}", **pair, **kwargs
        )
        for _ in range(count)
    ]


def threshold(value: int) -> None:
    ReportSettings.objects.update_or_create(
        evaluation=loneliness(), defaults={"small_number_threshold": value}
    )


def every_chart_bar(report):
    for chart in report.charts:
        for bar in chart.bars:
            yield chart, bar


def test_the_figures_are_those_of_counts_csv(analyst):
    analysis_data.build(analyst)
    sessions(6)
    threshold(2)  # nothing hidden among these few: every figure compared
    filters = ExportFilters(evaluation=loneliness())
    report = report_build(filters=filters)
    expected = {(row[1], row[2]): row for row in list(counts_rows(filters))[1:]}
    compared = 0
    for chart, bar in every_chart_bar(report):
        if bar.code in (NOT_ANSWERED, OTHER_GROUPS) or bar.hidden:
            continue
        row = expected[(chart.key, bar.code)]
        assert (bar.value, bar.percent, chart.base) == (row[4], row[6], row[5])
        compared += 1
    assert compared > 30
    # An "other groups" bar is the sum of the answers it groups.
    for chart, bar in every_chart_bar(report):
        if bar.code == OTHER_GROUPS and not bar.hidden:
            shown = {b.code for b in chart.bars}
            rest = [r[4] for (v, c), r in expected.items() if v == chart.key and c not in shown]
            assert bar.value == sum(rest)


def test_the_themes_are_those_of_theme_counts_csv(analyst):
    analysis_data.build(analyst)
    threshold(2)
    filters = ExportFilters(evaluation=loneliness())
    report = report_build(filters=filters)
    rows = [r for r in list(theme_counts_rows(filters))[1:] if r[0] == "all"]
    by_theme = {r[2]: r for r in rows if not r[3]}
    from themes.models import Theme

    labels = dict(Theme.objects.filter(evaluation=loneliness()).values_list("label", "code"))
    for theme in report.themes:
        row = by_theme[labels[theme.label]]
        expected = [str(row[5]) if not 0 < row[5] < 2 else "fewer than 2"]
        assert [theme.participants] == expected
        assert theme.quotes == (str(row[4]) if not 0 < row[4] < 2 else "fewer than 2")


def test_small_counts_are_hidden_everywhere(analyst):
    sessions(6)
    session = sessions(1)[0]
    from interviews.models import Answer
    from tests.factories import coded_keys

    Answer.objects.filter(session=session, question__code="carer").update(
        **{k: v for k, v in coded_keys(session, "carer", "yes").items() if k == "option_id"}
    )
    report = report_build(filters=ExportFilters(evaluation=loneliness()))
    carer = next(f for f in report.demographics if f.code == "carer").chart
    yes, no = carer.bars[0], carer.bars[1]
    assert (yes.text, yes.percent, yes.value) == ("fewer than 5", "", 0)
    # 6 would be 7 - 1: hidden too (secondary suppression).
    assert no.hidden
    assert "1" not in carer.description.replace("fewer than 5", "")


def test_too_few_interviews_give_no_figures(analyst):
    sessions(3)
    report = report_build(filters=ExportFilters(evaluation=loneliness()))
    assert report.refusal.startswith("These filters leave 3 interviews: fewer than 5")
    assert report.charts == ()
    assert all(theme.participants == "" for theme in report.themes)


def test_quotes_without_consent_and_withdrawn_participants_never_appear(analyst):
    analysis_data.build(analyst)
    report = report_build(filters=ExportFilters(evaluation=loneliness()))
    said = [t for f in report.findings for g in f.groups for t in (*g.others, *g.chosen)]
    assert "Nobody calls, not even on Sundays." in said
    assert not any("SECRET" in t or "WITHDRAWN" in t or "Not verified" in t for t in said)
    assert "4 verified" not in " ".join(report.methodology)


def test_other_quotes_stop_at_the_limit_and_say_how_many_more(analyst):
    made = sessions(5)
    for session in made:
        for position in range(3):
            QuoteFactory(session=session, item="companionship", position=position)
    ReportSettings.objects.update_or_create(evaluation=loneliness(), defaults={"quotes_limit": 2})
    report = report_build(filters=ExportFilters(evaluation=loneliness()))
    companionship = next(f for f in report.findings if f.code == "companionship")
    (group,) = companionship.groups
    assert group.label == "People who answered “Some of the time”"
    assert (len(group.others), group.more, group.more_text) == (2, 13, "and 13 more")


def test_the_cut_off_is_stated_from_the_settings(analyst):
    sessions(6)
    report = report_build(filters=ExportFilters(evaluation=loneliness()))
    (score,) = report.scores
    # Seeded with the loneliness study's report settings (migration 0012).
    assert "counts a score of 6 or more as lonely" in score.cutoff
    # None below it: a zero hides nothing, so the share is said.
    assert "6 of 6 (100.0%) had such a score." in score.cutoff
    assert "There is no standard cut-off" in score.cutoff


def test_without_a_cut_off_the_report_says_it_uses_none(analyst):
    sessions(6)
    ReportSettings.objects.filter(evaluation=loneliness()).first().cutoffs.all().delete()
    report = report_build(filters=ExportFilters(evaluation=loneliness()))
    assert report.scores[0].cutoff.startswith("This report uses no cut-off")


def test_recommendations_name_their_themes(analyst):
    sessions(5)
    report = report_build(filters=ExportFilters(evaluation=loneliness()))
    assert len(report.recommendations) == 6
    assert report.recommendations[1].themes == ("Therapy/treatment", "People")


def test_a_filter_is_said_in_labels(analyst):
    sessions(5)
    filters = ExportFilters.parse(
        include_unverified=False,
        where=["borough=westminster", "site=pall_mall"],
        evaluation=loneliness(),
    )
    report = report_build(filters=filters)
    assert report.filters == ("Borough of residence: Westminster", "Site: Pall Mall CMHT")
    assert not report.refusal


def report_queries(count: int) -> int:
    from interviews.schedules import schedule_of

    schedule_of(loneliness())  # as a running server has it
    filters = ExportFilters(evaluation=loneliness())
    with CaptureQueriesContext(connection) as captured:
        report_build(filters=filters)
    return len(captured)


def test_the_queries_do_not_grow_with_the_interviews(analyst):
    made = sessions(5)
    for session in made:
        TagFactory(quote=QuoteFactory(session=session), tagged_by=analyst)
    few = report_queries(5)
    more = sessions(12)
    for session in more:
        TagFactory(quote=QuoteFactory(session=session), tagged_by=analyst)
    assert report_queries(17) == few


def test_a_second_evaluation_has_its_own_report(crisis_care, analyst):
    from interviews.schedules import schedule_of
    from tests.test_export_evaluations import crisis_interview

    pair = (InterviewerFactory(), InterviewerFactory())
    answers = {"seen_quickly": "agree", "listened_to": "partly", "felt_safe": "agree",
               "age_band": "18-34", "first_contact": "yes"}  # fmt: skip
    for number in range(6):
        crisis_interview(
            crisis_care,
            f"CC-{number:03d}",
            pair=pair,
            answers=answers,
            ticks=["police"],
            quotes=[("helped_most", f"A nurse who stayed, {number}.")],
        )
    filters = ExportFilters(evaluation=crisis_care)
    report = report_build(filters=filters)
    schedule = schedule_of(crisis_care)
    assert report.title == crisis_care.title
    assert not report.refusal
    assert report.recommendations == ()  # no settings written: the defaults
    assert [f.code for f in report.findings] == [
        q.code for q in schedule.questions
        if q.part == "schedule" and (q.is_select or q.takes_quotes)
    ]  # fmt: skip
    expected = {(row[1], row[2]): row[4] for row in list(counts_rows(filters))[1:]}
    for chart, bar in every_chart_bar(report):
        if not bar.hidden and bar.code not in (NOT_ANSWERED, OTHER_GROUPS):
            assert bar.value == expected[(chart.key, bar.code)]
    said = [t for f in report.findings for g in f.groups for t in g.others]
    assert "A nurse who stayed, 0." in said


def test_memos_chosen_quotes_and_closed_rounds_reach_the_report(analyst):
    """The analysts' memos (sub-theme, theme, question × answer), the quotes they chose and a
    closed round's agreement appear where the report reads them (themes.report.sources)."""
    from interviews.models import Question
    from tests import round_data
    from tests.analysis_data import build, subtheme
    from themes.memo_services import exemplar_choose, memo_save
    from themes.rounds import services as round_services

    threshold(2)
    data = build(analyst)
    evaluation = loneliness()
    nobody_calls = data["quotes"][0]  # companionship, answered "often"; tagged safe_spaces
    companionship = Question.objects.get(evaluation=evaluation, code="companionship")
    often = companionship.choice_list.options.get(code="often")
    safe = subtheme("safe_spaces")
    memo_save(evaluation=evaluation, text="Safe places matter.", user=analyst,
              target={"subtheme": safe})  # fmt: skip
    memo_save(evaluation=evaluation, text="Settings in general.", user=analyst,
              target={"theme": safe.theme})  # fmt: skip
    memo_save(evaluation=evaluation, text="Three groups of 'often'.", user=analyst,
              target={"question": companionship, "option": often})  # fmt: skip
    exemplar_choose(quote=nobody_calls, subtheme=safe, user=analyst)
    exemplar_choose(quote=nobody_calls, user=analyst)
    pilot = round_data.hand_case_round(code="LSI-R09")
    round_services.round_close(coding_round=pilot["round"], user=pilot["a"])

    report = report_build(filters=ExportFilters(evaluation=evaluation))

    finding = next(f for f in report.findings if f.code == "companionship")
    group = next(g for g in finding.groups if "Often" in g.label)
    assert group.memo == "Three groups of 'often'."
    assert group.chosen == (nobody_calls.text,)
    assert nobody_calls.text not in group.others  # a chosen quote is not repeated
    settings_theme = next(t for t in report.themes if t.label == safe.theme.label)
    assert settings_theme.memo == "Settings in general."
    safe_spaces = next(s for s in settings_theme.subthemes if s.label == safe.label)
    assert (safe_spaces.memo, safe_spaces.chosen) == ("Safe places matter.", (nobody_calls.text,))
    assert any(
        line.startswith("Coding round Pilot: 2 coders agreed on ") and "Cohen's kappa 0." in line
        for line in report.methodology
    )
