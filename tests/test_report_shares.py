"""The report's answer shares ("N of the M people we interviewed (x%) saw fewer than three people
a week", issue 16): seeded for loneliness-2018, from counts.csv's counts, suppressed as the
report's other figures, in the page and the Word file, and set on the report settings page."""

from __future__ import annotations

import io
import itertools

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from docx import Document

from interviews.models import Answer, Evaluation
from tests.factories import InterviewerFactory, coded_keys, complete_session
from themes.export_counts import counts_rows, percent
from themes.export_filters import ExportFilters
from themes.models import AnswerShare, ReportSettings
from themes.report.build import report_build
from themes.report.charts import chart_csv
from themes.report.word import report_docx

pytestmark = pytest.mark.django_db
_NUMBERS = itertools.count(1)
SEEN = "people_per_week"
MEANING = "saw fewer than three people a week"


def loneliness():
    return Evaluation.objects.get(code="loneliness-2018")


def settings_of() -> ReportSettings:
    return ReportSettings.objects.get(evaluation=loneliness())


def interviews(**answers: int) -> None:
    """Verified interviews answering "people seen per week" with each code ``answers`` names
    (``zero`` for "0", ``one_two`` for "1-2", …) that many times."""
    codes = {"zero": "0", "one_two": "1-2", "three_five": "3-5", "eleven": "11+"}
    pair = {"interviewer_1": InterviewerFactory(), "interviewer_2": InterviewerFactory()}
    for name, count in answers.items():
        for _ in range(count):
            session = complete_session(
                status="verified", participant_code=f"SHR-{next(_NUMBERS)}", **pair
            )
            keys = coded_keys(session, SEEN, codes[name])
            Answer.objects.filter(session=session, question_id=keys["question_id"]).update(
                option_id=keys["option_id"]
            )


def threshold(value: int) -> None:
    ReportSettings.objects.filter(evaluation=loneliness()).update(small_number_threshold=value)


def shares_of(report) -> tuple[str, ...]:
    found = [f for f in (*report.demographics, *report.findings) if f.code == SEEN]
    assert found, "the question's chart is in the report"
    return tuple(share.sentence for share in found[0].chart.shares)


def test_loneliness_2018_states_the_share_seeing_fewer_than_three():
    share = AnswerShare.objects.get(settings=settings_of())
    assert (share.question.code, share.up_to.code, share.meaning) == (SEEN, "1-2", MEANING)
    assert share.history.count() == 0 or share.history.first().history_type == "+"


def test_analysts_and_coordinators_may_change_the_shares():
    for role in ("analyst", "coordinator"):
        codes = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert {"add_answershare", "change_answershare", "view_answershare"} <= codes


def test_the_figures_are_those_of_counts_csv():
    interviews(zero=2, one_two=3, eleven=3)
    threshold(2)
    filters = ExportFilters(evaluation=loneliness())
    rows = {(r[1], r[2]): r for r in list(counts_rows(filters))[1:]}
    n = rows[(SEEN, "0")][4] + rows[(SEEN, "1-2")][4]
    base = rows[(SEEN, "0")][5]
    assert (n, base) == (5, 8)
    assert shares_of(report_build(filters=filters)) == (
        f"5 of the 8 people we interviewed ({percent(n, base)}%) {MEANING}.",
    )
    assert percent(n, base) == "62.5"


def test_a_filter_counts_only_its_interviews():
    interviews(zero=2, one_two=3, eleven=3)
    threshold(2)
    filters = ExportFilters(evaluation=loneliness(), where=((SEEN, "11+"),))
    (sentence,) = shares_of(report_build(filters=filters))
    assert sentence == f"0 of the 3 people we interviewed (0.0%) {MEANING}."


def test_a_small_share_is_fewer_than_the_threshold_without_a_percent():
    interviews(zero=1, one_two=1, eleven=8)  # 2 of 10: small
    (sentence,) = shares_of(report_build(filters=ExportFilters(evaluation=loneliness())))
    assert sentence == f"Fewer than 5 of the 10 people we interviewed {MEANING}."
    assert "%" not in sentence and "2 of" not in sentence


def test_a_small_remainder_is_not_told_either():
    interviews(zero=4, one_two=4, eleven=2)  # 8 of 10: the other 2 would be told
    (sentence,) = shares_of(report_build(filters=ExportFilters(evaluation=loneliness())))
    assert sentence == f"All but fewer than 5 of the 10 people we interviewed {MEANING}."
    assert "8" not in sentence and "%" not in sentence


def test_too_few_interviews_state_no_share():
    interviews(one_two=3)
    report = report_build(filters=ExportFilters(evaluation=loneliness()))
    assert report.refusal and not report.charts


def test_the_page_the_word_file_and_the_chart_data_say_it(client, analyst):
    interviews(zero=3, one_two=3, eleven=6)
    report = report_build(filters=ExportFilters(evaluation=loneliness()))
    expected = f"6 of the 12 people we interviewed (50.0%) {MEANING}."
    document = Document(io.BytesIO(report_docx(report)))
    assert expected in [p.text for p in document.paragraphs]
    client.force_login(analyst)
    html = client.get(reverse("admin:themes_report")).content.decode()
    assert expected in html
    (chart,) = [c for c in report.charts if c.key == SEEN]
    assert chart_csv(chart).splitlines()[-1] == f"up_to:1-2,{MEANING},6,50.0,12"


def settings_post(settings: ReportSettings, shares: list[dict]) -> dict:
    """The settings page's form as sent, its recommendations and cut-off unchanged."""
    cutoff = settings.cutoffs.get()
    data = {
        "title": settings.title,
        "document_details": settings.document_details,
        "introduction": settings.introduction,
        "small_number_threshold": str(settings.small_number_threshold),
        "quotes_limit": str(settings.quotes_limit),
        "recommendations-TOTAL_FORMS": "0",
        "recommendations-INITIAL_FORMS": "0",
        "cutoffs-TOTAL_FORMS": "1",
        "cutoffs-INITIAL_FORMS": "1",
        "cutoffs-0-id": str(cutoff.pk),
        "cutoffs-0-settings": str(settings.pk),
        "cutoffs-0-question": str(cutoff.question_id),
        "cutoffs-0-at_least": str(cutoff.at_least),
        "cutoffs-0-meaning": cutoff.meaning,
        "cutoffs-0-note": cutoff.note,
        "shares-TOTAL_FORMS": str(len(shares)),
        "shares-INITIAL_FORMS": str(sum(1 for s in shares if s.get("id"))),
    }
    for i, share in enumerate(shares):
        data |= {f"shares-{i}-{k}": str(v) for k, v in share.items()}
        data[f"shares-{i}-settings"] = str(settings.pk)
    return data


def test_the_settings_offer_only_the_evaluations_one_answer_questions(client, analyst, crisis_care):
    settings = settings_of()
    client.force_login(analyst)
    url = reverse("admin:themes_reportsettings_change", args=[settings.pk])
    html = client.get(url).content.decode()
    assert 'name="shares-0-question"' in html
    assert '<optgroup label="About how many people do you see in a usual week?">' in html
    assert ">11 or more<" in html
    ours = set(settings.evaluation.questions.values_list("label", flat=True))
    crisis = set(crisis_care.questions.values_list("label", flat=True)) - ours
    assert crisis and not any(f'label="{label}"' in html for label in crisis)
    # Tick-all-that-apply questions are not offered.
    assert '<optgroup label="Who do you see in a usual week? (tick all that apply)">' not in html


def test_the_settings_save_a_share_with_history(client, analyst):
    settings = settings_of()
    share = settings.shares.get()
    three = share.question.choice_list.options.get(code="3-5")
    client.force_login(analyst)
    url = reverse("admin:themes_reportsettings_change", args=[settings.pk])
    meaning = "saw five people a week or fewer"
    data = settings_post(
        settings,
        [{"id": share.pk, "question": share.question_id, "up_to": three.pk, "meaning": meaning}],
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    share.refresh_from_db()
    assert (share.up_to, share.meaning) == (three, meaning)
    assert share.history.first().history_user == analyst
    assert share.history.first().meaning == meaning


def test_an_answer_of_another_question_is_refused_and_nothing_saved(client, analyst):
    settings = settings_of()
    share = settings.shares.get()
    other = (
        settings.evaluation.questions.filter(kind="select_one")
        .exclude(choice_list=share.question.choice_list)
        .first()
        .choice_list.options.first()
    )
    client.force_login(analyst)
    url = reverse("admin:themes_reportsettings_change", args=[settings.pk])
    data = settings_post(
        settings,
        [{"id": share.pk, "question": share.question_id, "up_to": other.pk, "meaning": "x"}],
    )
    data["title"] = "Changed"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Choose one of this question&#x27;s answers." in response.content.decode()
    share.refresh_from_db()
    settings.refresh_from_db()
    assert (share.meaning, settings.title) == (MEANING, "")
