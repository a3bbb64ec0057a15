"""The filters on the pages: the Exports page's form (site, interview dates, demographics) for
every download, its list of recent exports in words, ``filters_from_query`` for the other pages,
and the quotes list's interview-date filter."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interviews.models import Evaluation
from interviews.schedules import schedule_of
from tests.filter_data import filter_people
from themes.export_filters import ExportFilters
from themes.filter_forms import filters_from_query
from themes.filter_words import NO_FILTERS, filters_in_words
from themes.models import ExportRecord

pytestmark = pytest.mark.django_db

EXPORTS = reverse("admin:themes_exports")
QUOTES = reverse("admin:interviews_quote_changelist")
MAY_AND_JUNE = {"where_site": "pall_mall", "date_from": "2018-05-01", "date_to": "2018-06-30"}


@pytest.fixture
def people(analyst):
    return filter_people(analyst)


def participants(data: bytes) -> set[str]:
    rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return {r["participant_code"] for r in rows}


def workbook_participants(data: bytes) -> set[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return {row[header.index("participant_code")] for row in rows}


# --- the Exports page ---------------------------------------------------------------------


@pytest.mark.parametrize("chosen", ["csv", "excel", "xlsx"])
def test_every_download_keeps_to_the_filters_and_says_them_in_its_name(
    client, analyst, people, chosen
):
    client.force_login(analyst)
    response = client.post(EXPORTS, {"kind": "quotes", "format": chosen, **MAY_AND_JUNE})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    found = workbook_participants(data) if chosen == "xlsx" else participants(data)
    assert found == {"FLT-A", "FLT-B"}
    extension = "xlsx" if chosen == "xlsx" else "csv"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        'attachment; filename="quotes_loneliness-2018_site-pall_mall_from-2018-05-01'
        f'_to-2018-06-30_made-{today}.{extension}"'
    )
    record = ExportRecord.objects.get()
    assert record.filters == {
        "evaluation": "loneliness-2018",
        "include_unverified": False,
        "where": ["site=pall_mall"],
        "from": "2018-05-01",
        "to": "2018-06-30",
    }


def test_the_page_lists_recent_exports_with_their_filters_in_words(client, analyst, people):
    client.force_login(analyst)
    post = {"kind": "counts", "format": "csv", "where_borough": "westminster", **MAY_AND_JUNE}
    b"".join(client.post(EXPORTS, post).streaming_content)
    b"".join(client.post(EXPORTS, {"kind": "quotes", "format": "csv"}).streaming_content)
    page = client.get(EXPORTS).content.decode()
    assert (
        "Site: Pall Mall CMHT; Borough of residence: Westminster; from 1 May 2018 to 30 June 2018"
    ) in page
    assert NO_FILTERS in page
    today = timezone.localdate().isoformat()
    assert (
        f"counts_loneliness-2018_site-pall_mall_borough-westminster_from-2018-05-01_to-2018-06-30"
        f"_made-{today}.csv"
    ) in page


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (
            {"date_from": "2018-07-01", "date_to": "2018-06-30"},
            "The interview date from 1 July 2018 is after the interview date to 30 June 2018: "
            "no interview can be in that range. Swap the dates or correct one.",
        ),
        (
            {"date_to": "30/06/2018"},
            "Interview date to needs a date as YYYY-MM-DD (got &#x27;30/06/2018&#x27;)",
        ),
        ({"date_from": "2018-02-30"}, "Interview date from needs a date as YYYY-MM-DD"),
        ({"where_site": "atlantis"}, "Site: &#x27;atlantis&#x27; is not one of the list"),
    ],
)
@pytest.mark.parametrize("chosen", ["csv", "xlsx"])
def test_wrong_filters_are_said_on_the_page_and_nothing_is_made(
    client, analyst, people, dates, message, chosen
):
    client.force_login(analyst)
    response = client.post(EXPORTS, {"kind": "interviews", "format": chosen, **dates})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(message) == 2  # in the summary at the top, and beside the field
    assert 'aria-invalid="true"' in page
    assert not ExportRecord.objects.exists()


def test_a_link_may_choose_the_filters_which_the_page_then_shows(client, analyst):
    client.force_login(analyst)
    page = client.get(EXPORTS, {"where_site": "oremi_centre", "date_from": "2018-05-01"})
    text = page.content.decode()
    assert '<option value="oremi_centre" selected>Oremi Centre</option>' in text
    assert 'name="date_from" value="2018-05-01"' in text
    assert not ExportRecord.objects.exists()


def test_the_page_offers_site_and_dates_first_then_the_demographics(client, analyst):
    client.force_login(analyst)
    text = client.get(EXPORTS).content.decode()
    places = [text.index(f'name="{n}"') for n in ("where_site", "date_from", "date_to")]
    assert places == sorted(places) and places[-1] < text.index('name="where_borough"')
    assert 'type="date"' in text and "Pall Mall CMHT" in text


def test_a_second_evaluations_page_filters_its_own_interviews(client, analyst, crisis_care):
    client.force_login(analyst)
    text = client.get(EXPORTS, {"evaluation": crisis_care.code}).content.decode()
    assert 'name="where_first_contact"' in text and 'name="where_borough"' not in text
    post = {"evaluation": crisis_care.code, "kind": "counts", "format": "csv",
            "where_first_contact": "yes", "date_to": "2018-06-30"}  # fmt: skip
    response = client.post(EXPORTS, post)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"section,variable")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="counts_crisis-care-2026_first_contact-yes_to-2018-06-30_made-'
    )


def recorded(n: int, crisis_care) -> None:
    """n exports of each evaluation, with filters of every sort."""
    for i in range(n):
        ExportRecord.objects.create(
            file="quotes.csv",
            channel=ExportRecord.Channel.DOWNLOAD,
            filters={"evaluation": "loneliness-2018", "include_unverified": i % 2 == 0,
                     "where": ["site=pall_mall", "borough=westminster"], "from": "2018-05-01"},
        )  # fmt: skip
        ExportRecord.objects.create(
            file="counts.xlsx",
            channel=ExportRecord.Channel.COMMAND,
            filters={"evaluation": crisis_care.code, "where": ["first_contact=yes"]},
        )


def page_queries(client) -> int:
    # As a running server has it: each evaluation's schedule already read.
    for evaluation in Evaluation.objects.all():
        schedule_of(evaluation)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(EXPORTS).status_code == 200
    return len(ctx.captured_queries)


def test_the_pages_query_count_is_pinned_and_independent_of_the_exports_made(
    client, analyst, crisis_care
):
    client.force_login(analyst)
    recorded(1, crisis_care)
    one = page_queries(client)
    recorded(10, crisis_care)
    assert "Borough of residence: Westminster" in client.get(EXPORTS).content.decode()
    # log-in session, user, their roles and permissions (3); every evaluation (1); the
    # sites, for the form and the filters in words (1); the recent exports with who made
    # them (1).
    assert page_queries(client) == one == 6


# --- filters_from_query, for the analysis home and the report ----------------------------------


def test_filters_from_a_query_are_the_exports_filters(people):
    evaluation = Evaluation.objects.get(code="loneliness-2018")
    query = QueryDict(mutable=True)
    query.update({**MAY_AND_JUNE, "where_borough": "westminster", "other": "ignored"})
    filters, problems = filters_from_query(query, evaluation)
    assert problems == []
    assert filters == ExportFilters(
        where=(("site", "pall_mall"), ("borough", "westminster")),
        date_from=datetime.date(2018, 5, 1),
        date_to=datetime.date(2018, 6, 30),
        evaluation=evaluation,
    )
    assert set(filters.sessions().values_list("participant_code", flat=True)) == {"FLT-A"}
    assert filters_from_query(QueryDict(), evaluation) == (ExportFilters(evaluation=evaluation), [])


def test_filters_from_a_wrong_query_are_problems_to_show(crisis_care):
    query = QueryDict("where_first_contact=maybe&date_from=2018-07-01&date_to=2018-06-30")
    filters, problems = filters_from_query(query, crisis_care)
    assert filters is None
    assert len(problems) == 2
    assert "'maybe' is not one of the list" in problems[0]
    assert problems[1].startswith("The interview date from 1 July 2018 is after")


def test_filters_in_words_use_labels_and_say_open_ended_ranges():
    schedule = schedule_of(Evaluation.objects.get(code="loneliness-2018"))
    sites = {"pall_mall": "Pall Mall CMHT"}
    words = filters_in_words(
        {"where": ["sees=friends", "site=gone"], "to": "2018-06-30", "include_unverified": True},
        schedule=schedule,
        site_labels=sites,
    )
    question = schedule.question("sees")
    assert words == (
        f"{question.label}: {question.label_of('friends')}; Site: gone; "
        "on or before 30 June 2018; interviews not yet verified included"
    )
    assert filters_in_words({"from": "2018-05-01"}, schedule=None, site_labels=sites) == (
        "On or after 1 May 2018"
    )
    assert filters_in_words({}, schedule=None, site_labels=sites) == NO_FILTERS


# --- the quotes list's interview dates ----------------------------------------------------------


def listed(response) -> set[str]:
    return {q.session.participant_code for q in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"date_from": "2018-05-01", "date_to": "2018-06-30"}, {"FLT-A", "FLT-B", "FLT-C"}),
        ({"date_from": "2018-06-30"}, {"FLT-B", "FLT-D"}),
        ({"date_to": "2018-05-01"}, {"FLT-A"}),
        (
            {"date_from": "2018-05-01", "date_to": "2018-06-30", "site": "pall_mall"},
            {"FLT-A", "FLT-B"},
        ),
        ({"date_to": "2018-06-30", "borough": "westminster"}, {"FLT-A", "FLT-C"}),
    ],
)
def test_the_quotes_list_filters_by_interview_date(client, analyst, people, query, expected):
    client.force_login(analyst)
    response = client.get(QUOTES, query)
    assert response.status_code == 200
    assert listed(response) == expected


def test_the_date_filter_and_the_other_filters_keep_each_other(client, analyst, people):
    client.force_login(analyst)
    page = client.get(QUOTES, {"site": "pall_mall", "date_from": "2018-05-01", "q": "Words"})
    text = page.content.decode()
    # The dates' own form sends the list's other choices along...
    assert '<input type="hidden" name="site" value="pall_mall">' in text
    assert '<input type="hidden" name="q" value="Words">' in text
    assert 'name="date_from" value="2018-05-01"' in text
    # ...and the other filters' links keep the dates.
    assert "?date_from=2018-05-01&amp;q=Words&amp;site=oremi_centre" in text
    assert listed(page) == {"FLT-A", "FLT-B", "FLT-D"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "1 May"}, "Interview date from needs a date as YYYY-MM-DD"),
        ({"date_from": "2018-07-01", "date_to": "2018-06-30"}, "is after the interview date to"),
    ],
)
def test_a_wrong_date_on_the_quotes_list_is_said_and_lists_nothing(
    client, analyst, people, query, message
):
    client.force_login(analyst)
    response = client.get(QUOTES, query)
    assert response.status_code == 200
    assert listed(response) == set()
    text = response.content.decode()
    assert text.count(message) == 2  # the page's message, and beside the date
    assert "No quotes are listed until the dates are put right." in text


def test_the_quotes_list_of_a_second_evaluation_takes_dates(client, analyst, crisis_care):
    client.force_login(analyst)
    response = client.get(QUOTES, {"evaluation": crisis_care.code, "date_to": "2018-06-30"})
    assert response.status_code == 200 and listed(response) == set()


def quotes_list_queries(client) -> int:
    schedule_of(Evaluation.objects.get(code="loneliness-2018"))
    query = {"date_from": "2018-01-01", "date_to": "2018-12-31", "site": "pall_mall"}
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(QUOTES, query).status_code == 200
    return len(ctx.captured_queries)


def test_the_dated_quotes_lists_query_count_is_pinned_and_independent_of_rows(client, analyst):
    client.force_login(analyst)
    filter_people(analyst, [("ONE", "pall_mall", datetime.date(2018, 5, 1), "westminster")])
    one = quotes_list_queries(client)
    filter_people(
        analyst,
        [
            (f"MANY-{i}", "pall_mall", datetime.date(2018, 5, 1 + i), "westminster")
            for i in range(25)
        ],
    )
    # As without dates (tests/test_tagging.py): log-in session, user, roles and permissions
    # (3); the current evaluation (1); the choices of the theme, sub-theme and site filters
    # (3); count, the page of quotes, their tags (3); the counts stamp (1), and on PostgreSQL the
    # lock taken while counting (2). The dates add none: they are read from the address.
    assert quotes_list_queries(client) == one == (13 if connection.vendor == "postgresql" else 11)


# --- the list of every export made ------------------------------------------------------------

RECORDS = reverse("admin:themes_exportrecord_changelist")


def records_queries(client) -> int:
    for evaluation in Evaluation.objects.all():
        schedule_of(evaluation)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(RECORDS)
    assert response.status_code == 200
    assert "Site: Pall Mall CMHT; Borough of residence: Westminster; on or after 1 May 2018" in (
        response.content.decode()
    )
    return len(ctx.captured_queries)


def test_every_export_made_is_listed_with_its_filters_in_words(client, analyst, crisis_care):
    client.force_login(analyst)
    recorded(1, crisis_care)
    one = records_queries(client)
    recorded(30, crisis_care)
    # log-in session, user, their roles and permissions (3); the records counted twice (the
    # page's and the whole list's), the page of them with who made them (3); every
    # evaluation and the sites' labels, for the words (2); the date hierarchy's first and
    # last day, and its days (2); the choices of the "file" filter (1).
    assert records_queries(client) == one == 11
    assert "first_contact=yes" not in client.get(RECORDS).content.decode()
