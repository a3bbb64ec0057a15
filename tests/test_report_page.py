"""The report page in the admin and its downloads: who may open them, the filters, bad input,
the audit record, and queries that do not grow with the interviews."""

from __future__ import annotations

import io
import itertools
import zipfile

import pytest
from django.urls import reverse
from docx import Document

from interviews.schedules import schedule_of
from tests.factories import InterviewerFactory, QuoteFactory, TagFactory, complete_session
from themes.models import ExportRecord

pytestmark = pytest.mark.django_db
_NUMBERS = itertools.count(1)
PAGE = reverse("admin:themes_report")


def interviews(count: int, analyst, **kwargs) -> None:
    pair = {"interviewer_1": InterviewerFactory(), "interviewer_2": InterviewerFactory()}
    for _ in range(count):
        session = complete_session(
            status="verified", participant_code=f"PAGE-{next(_NUMBERS)}", **pair, **kwargs
        )
        TagFactory(quote=QuoteFactory(session=session), tagged_by=analyst)


def test_it_works_for_analysts(client, analyst):
    interviews(6, analyst)
    client.force_login(analyst)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "How often do you feel that you lack companionship?" in html
    assert "data:image/svg+xml;base64," in html
    assert '<th scope="row">Some of the time</th><td>6</td><td>100.0%</td>' in html
    assert "Download as Word (.docx)" in html
    assert "companionship" not in html.split("ufm-report")[1].split("<img")[0]  # labels only


def test_it_works_for_coordinators_with_a_link_to_the_settings(client, coordinator, analyst):
    interviews(5, analyst)
    client.force_login(coordinator)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert reverse("admin:themes_reportsettings_changelist") in response.content.decode()


def test_interviewers_are_sent_to_the_admin_log_in(client, interviewer):
    client.force_login(interviewer)
    for url in (PAGE, reverse("admin:themes_report_docx")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_takes_no_post(client, analyst):
    client.force_login(analyst)
    for url in (PAGE, reverse("admin:themes_report_docx"), reverse("admin:themes_report_charts")):
        assert client.post(url).status_code == 405


def test_a_filter_narrows_the_report(client, analyst):
    interviews(5, analyst)
    client.force_login(analyst)
    response = client.get(PAGE, {"evaluation": "loneliness-2018", "where_borough": "westminster"})
    html = response.content.decode()
    assert "Borough of residence: Westminster" in html
    response = client.get(PAGE, {"where_borough": "kensington_and_chelsea"})
    assert "These filters leave 0 interviews: fewer than 5" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        # The exports' own filter form and messages (themes.filter_forms).
        ({"date_from": "yesterday"}, "Interview date from needs a date as YYYY-MM-DD"),
        ({"date_from": "2018-05-01", "date_to": "2018-04-01"}, "no interview can be in that range"),
        ({"where_borough": "mars"}, "is not one of the list; choose one."),
        ({"evaluation": "nope"}, "There is no evaluation &#x27;nope&#x27; with a report"),
    ],
)
def test_bad_input_says_what_is_wrong(client, analyst, query, message):
    client.force_login(analyst)
    response = client.get(PAGE, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert client.get(reverse("admin:themes_report_docx"), query).status_code == 400
    assert not ExportRecord.objects.exists()


def test_the_word_download_is_recorded(client, analyst):
    interviews(5, analyst)
    client.force_login(analyst)
    response = client.get(reverse("admin:themes_report_docx"), {"where_borough": "westminster"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="report.docx"'
    assert Document(io.BytesIO(response.content)).paragraphs[0].style.name == "Title"
    record = ExportRecord.objects.get()
    assert (record.file, record.format, record.made_by) == ("report.docx", "docx", analyst)
    assert record.filters["where"] == ["borough=westminster"]


def test_the_charts_download_is_recorded(client, coordinator, analyst):
    interviews(5, analyst)
    client.force_login(coordinator)
    response = client.get(reverse("admin:themes_report_charts"))
    assert response["Content-Type"] == "application/zip"
    assert "01-companionship.svg" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert ExportRecord.objects.get().file == "report-charts.zip"


def page_queries(client, django_assert_num_queries) -> None:
    from interviews.models import Evaluation

    schedule_of(Evaluation.objects.get(code="loneliness-2018"))  # as a running server has it
    # 1 the session, 2 the user, 3 their roles and permissions, 4 the evaluations, 5 the
    # sites (the filter's choices), 6-11 the report settings with their recommendations, the
    # recommendations' themes, the cut-offs and their questions, the answer shares, 12-15
    # counts.csv (the base, the answers, the ticks, the score), 16 the methodology's figures,
    # 17 the sites' names, 18-19 the quotes with their ranks and totals (coded questions, open
    # ones: a window query each), 20-22 theme_counts.csv's codebook (themes, sub-themes, those
    # for tagging), then its tables (SQLite: two per grouping, 8; PostgreSQL: 6, from the kept
    # summary), the themes with their sub-themes (2), the memos, the chosen quotes and the
    # closed coding rounds (1 each, themes.report.sources).
    from django.db import connection

    expected = 35 if connection.vendor == "sqlite" else 33
    with django_assert_num_queries(expected):
        response = client.get(PAGE)
    assert response.status_code == 200


def test_the_page_queries_do_not_grow_with_the_interviews(
    client, analyst, django_assert_num_queries
):
    interviews(5, analyst)
    client.force_login(analyst)
    page_queries(client, django_assert_num_queries)
    interviews(20, analyst)
    page_queries(client, django_assert_num_queries)


def test_the_exports_page_says_its_files_are_exact(client, analyst):
    client.force_login(analyst)
    html = client.get(reverse("admin:themes_exports")).content.decode()
    assert "every count is exact, small numbers included" in html
    assert reverse("admin:themes_report") in html


def test_the_settings_offer_only_the_evaluations_themes_and_scores(client, analyst, crisis_care):
    from themes.models import ReportSettings

    settings = ReportSettings.objects.get(evaluation__code="loneliness-2018")
    client.force_login(analyst)
    url = reverse("admin:themes_reportsettings_change", args=[settings.pk])
    html = client.get(url).content.decode()
    assert "Therapy/treatment" in html and "UCLA-3 loneliness score" in html
    crisis_themes = crisis_care.themes.values_list("label", flat=True)
    assert crisis_themes and not any(f">{label}<" in html for label in crisis_themes)


def test_changing_the_settings_keeps_history(client, analyst):
    from themes.models import ReportSettings

    settings = ReportSettings.objects.get(evaluation__code="loneliness-2018")
    client.force_login(analyst)
    url = reverse("admin:themes_reportsettings_change", args=[settings.pk])
    recommendations = list(settings.recommendations.order_by("order"))
    data = {
        "title": "Loneliness: what helps",
        "document_details": "The Advocacy Project, 2018",
        "introduction": "Why we asked.",
        "small_number_threshold": "10",
        "quotes_limit": "3",
        "recommendations-TOTAL_FORMS": str(len(recommendations)),
        "recommendations-INITIAL_FORMS": str(len(recommendations)),
        "cutoffs-TOTAL_FORMS": "1",
        "cutoffs-INITIAL_FORMS": "1",
        "cutoffs-0-id": str(settings.cutoffs.get().pk),
        "cutoffs-0-settings": str(settings.pk),
        "cutoffs-0-question": str(settings.cutoffs.get().question_id),
        "cutoffs-0-at_least": "6",
        "cutoffs-0-meaning": "lonely",
        "cutoffs-0-note": "",
        "shares-TOTAL_FORMS": "0",
        "shares-INITIAL_FORMS": "0",
    }
    for i, r in enumerate(recommendations):
        data |= {
            f"recommendations-{i}-id": str(r.pk),
            f"recommendations-{i}-settings": str(settings.pk),
            f"recommendations-{i}-order": str(r.order),
            f"recommendations-{i}-text": r.text,
        }
        data[f"recommendations-{i}-themes"] = [str(t.pk) for t in r.themes.all()]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    settings.refresh_from_db()
    assert (settings.title, settings.small_number_threshold) == ("Loneliness: what helps", 10)
    assert settings.history.count() >= 1
    assert settings.history.first().history_user == analyst


def test_a_threshold_below_two_is_refused(client, analyst):
    from themes.models import ReportSettings

    settings = ReportSettings.objects.get(evaluation__code="loneliness-2018")
    client.force_login(analyst)
    url = reverse("admin:themes_reportsettings_change", args=[settings.pk])
    response = client.post(
        url,
        {
            "small_number_threshold": "1",
            "quotes_limit": "3",
            "recommendations-TOTAL_FORMS": "0",
            "recommendations-INITIAL_FORMS": "0",
            "cutoffs-TOTAL_FORMS": "0",
            "cutoffs-INITIAL_FORMS": "0",
            "shares-TOTAL_FORMS": "0",
            "shares-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 2." in response.content.decode()
    settings.refresh_from_db()
    assert settings.small_number_threshold == 5
