"""What the interview records in the admin show, to whom, and in how many queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    InterviewSessionFactory,
    ItemAnswerFactory,
    QuoteFactory,
    complete_session,
)

pytestmark = pytest.mark.django_db


def listed(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(reverse("admin:interviews_interviewsession_changelist"))
    assert response.status_code == 200
    return {s.participant_code for s in response.context["cl"].result_list}


def test_analysts_see_only_verified_records(client, analyst):
    InterviewSessionFactory(participant_code="DRAFT-1", status="draft")
    InterviewSessionFactory(participant_code="SUB-1", status="submitted")
    InterviewSessionFactory(participant_code="VER-1", status="verified")
    assert listed(client, analyst) == {"VER-1"}
    draft = InterviewSessionFactory(participant_code="DRAFT-2", status="draft")
    response = client.get(reverse("admin:interviews_interviewsession_change", args=[draft.pk]))
    assert response.status_code == 302  # "does not exist" for them: back to the admin index


def test_coordinators_see_every_record(client, coordinator):
    InterviewSessionFactory(participant_code="DRAFT-1", status="draft")
    InterviewSessionFactory(participant_code="VER-1", status="verified")
    assert listed(client, coordinator) == {"DRAFT-1", "VER-1"}


def change_page(client, session) -> str:
    response = client.get(reverse("admin:interviews_interviewsession_change", args=[session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_record_shows_questions_and_answers_in_words_in_survey_order(client, coordinator):
    session = complete_session(participant_code="LSI-070")
    QuoteFactory(session=session, item="what_else", text="More drop-in times.")
    QuoteFactory(session=session, item="companionship", text="The cat is my company.")
    client.force_login(coordinator)
    page = change_page(client, session)
    asked = [
        "How often do you feel that you lack companionship?",  # the first item
        "How often do you feel left out?",  # the last item
        "Who do you live with?",  # the first "About you" question
        "Borough of residence",  # the last
    ]
    places = [page.index(f"<p>{label}</p>") for label in asked]
    assert places == sorted(places)
    assert page.index("The cat is my company.") < page.index("More drop-in times.")
    assert "Some of the time" in page and "Westminster" in page  # labels of the codes
    assert ">some_of_the_time<" not in page and ">borough<" not in page


def test_the_record_takes_the_same_queries_for_few_or_many_answers(client, coordinator):
    few = InterviewSessionFactory(participant_code="LSI-071")
    ItemAnswerFactory(session=few, item="help", answer="often")
    many = complete_session(participant_code="LSI-072")
    for item in ("help", "what_else", "what_helped"):
        QuoteFactory(session=many, item=item)
    client.force_login(coordinator)
    counts = []
    for session in (few, many):
        # Once unmeasured: a process's first admin page reads the content types into
        # Django's cache, and the test must not depend on whether another test did it first.
        change_page(client, session)
        with CaptureQueriesContext(connection) as queries:
            change_page(client, session)
        counts.append(len(queries))
    assert counts[0] == counts[1]
