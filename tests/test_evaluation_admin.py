"""The evaluations' admin pages: read-only, for coordinators and analysts, in pinned queries.

Who may open which page, by every method, is the permission matrix's (its evaluation row)."""

import pytest
from django.urls import reverse

from interviews.models import Evaluation
from interviews.services.evaluations import evaluation_import
from interviews.workbooks import read_workbook
from tests.factories import InterviewSessionFactory
from tests.workbook_examples import EXAMPLE

pytestmark = pytest.mark.django_db

LIST = reverse("admin:interviews_evaluation_changelist")


def loneliness() -> Evaluation:
    return Evaluation.objects.get(code="loneliness-2018")


@pytest.mark.parametrize("role", ["coordinator", "analyst"])
def test_the_list_shows_each_evaluation_with_its_totals(client, role, request):
    InterviewSessionFactory.create_batch(2)
    client.force_login(request.getfixturevalue(role))
    response = client.get(LIST)
    assert response.status_code == 200
    row = response.context["cl"].result_list.get()
    assert (row.code, row.question_count, row.interview_count) == ("loneliness-2018", 19, 2)
    assert b"Collecting interviews" in response.content


def test_the_page_shows_the_schedule_read_only(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("admin:interviews_evaluation_change", args=[loneliness().pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "How often do you feel that you lack companionship?" in page
    assert "often: Often (3); some_of_the_time: Some of the time (2)" in page
    assert "companionship + isolation + left_out" in page
    assert 'name="_save"' not in page


def test_the_list_takes_the_same_queries_however_many_evaluations(
    client, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)

    def count_queries() -> None:
        # 1 the session, 2 the user, 3 the user's roles and permissions (one query: the
        # RoleBackend), 4 the count of the list, 5 the page of rows, each with its question and
        # interview totals (subqueries of the same statement). The status filter's choices are
        # fixed.
        with django_assert_num_queries(5):
            assert client.get(LIST).status_code == 200

    count_queries()
    evaluation_import(read_workbook(EXAMPLE.read_bytes()), dry_run=False)
    InterviewSessionFactory.create_batch(3)
    count_queries()


def test_the_page_takes_the_same_queries_however_big_the_schedule(
    client, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    crisis = evaluation_import(read_workbook(EXAMPLE.read_bytes()), dry_run=False).evaluation
    counts = []
    for evaluation in (crisis, loneliness()):
        url = reverse("admin:interviews_evaluation_change", args=[evaluation.pk])
        # Once unmeasured: a process's first admin page reads the content types into
        # Django's cache, and the test must not depend on whether another test did it first.
        assert client.get(url).status_code == 200
        with django_assert_max_num_queries(100) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    # 8 questions or 20 rows: the inline's rows come with their lists, answers and terms.
    assert counts[0] == counts[1]
