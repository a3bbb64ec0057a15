"""The import's write (interviews/services/session_import.py): every row validated by its model
as data entry validates it, nothing written when one fails, and the page's old address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviews import interview_import
from interviews.models import Answer, ConsentRecord, InterviewSession
from interviews.services import session_import
from tests.factories import InterviewerFactory
from tests.test_import_limits import as_csv, rows
from ufm.import_rows import ImportFailed

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:interviews_interviewsession_import")
OLD_PAGE = reverse("admin:themes_import_interviews")


@pytest.fixture
def accounts(db):
    return [InterviewerFactory(username=f"interviewer_{x}") for x in "abc"]


def test_a_row_its_model_refuses_is_that_rows_problem_and_nothing_is_written(accounts, monkeypatch):
    # As if the check let through a consent method that is not one of the model's choices.
    monkeypatch.setattr(interview_import, "METHODS", {"signed", "verbal", "telepathy"})
    text = as_csv(rows(1) + rows(1, start=1, consent_method="telepathy"))
    with pytest.raises(ImportFailed) as failed:
        interview_import.interviews_import(text=text, file_name="x.csv")
    assert [str(p) for p in failed.value.problems] == [
        "line 3, column method: Value 'telepathy' is not a valid choice. (got '')"
    ]
    assert not InterviewSession.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_an_answer_the_database_refuses_stops_the_import_before_anything_is_kept(
    reference_data, monkeypatch
):
    # As if the check had let through an option of another question's list: the database's
    # own keys refuse it, the whole file goes, and the problem does not blame a code. Real
    # commits: PostgreSQL checks those keys when the import's transaction commits.
    for x in "ab":
        InterviewerFactory(username=f"interviewer_{x}")
    real = session_import._write_contents

    def with_another_lists_option(pairs, *, user):
        plan = pairs[-1][0]
        question, _ = plan.answers[0]
        other = next(o for q, o in plan.answers if q.choice_list_id != question.choice_list_id)
        plan.answers[0] = (question, other)
        return real(pairs, user=user)

    monkeypatch.setattr(session_import, "_write_contents", with_another_lists_option)
    with pytest.raises(ImportFailed) as failed:
        interview_import.interviews_import(text=as_csv(rows(2)), file_name="x.csv")
    assert [str(p) for p in failed.value.problems] == [
        "line 1, column -: the database refused a row that the check had let through, so "
        "nothing was imported; please report this file (got '')"
    ]
    assert not Answer.objects.exists()
    assert not InterviewSession.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_the_old_address_of_the_page_sends_people_to_the_new_one(client, analyst, coordinator):
    for user in (analyst, coordinator):
        client.force_login(user)
        for method in ("get", "post"):
            response = getattr(client, method)(OLD_PAGE)
            assert (response.status_code, response.url) == (302, PAGE)


def test_the_old_address_is_not_for_interviewers_or_anonymous_visitors(client, interviewer):
    response = client.get(OLD_PAGE)
    assert response.status_code == 302 and PAGE not in response.url
    client.force_login(interviewer)
    response = client.get(OLD_PAGE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_page_hangs_on_the_interview_records_admin(client, analyst):
    client.force_login(analyst)
    page = client.get(PAGE).content.decode()
    assert "Import interviews" in page
    assert f'href="{reverse("admin:interviews_interviewsession_changelist")}"' in page
