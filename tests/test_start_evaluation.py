"""Starting an interview names its evaluation: nothing to choose while one is open; a choice,
practice ones said so, when several are; none open says whom to ask."""

import pytest
from django.urls import reverse

from interviews.models import Evaluation, InterviewSession
from tests.entry_pages import start_data

pytestmark = pytest.mark.django_db
URL = reverse("interviews:start")


def test_one_open_evaluation_is_not_asked_about(client, interviewer, partner):
    client.force_login(interviewer)
    page = client.get(URL).content.decode()
    assert "Which evaluation" not in page
    client.post(URL, start_data(partner))
    assert InterviewSession.objects.get().evaluation.code == "loneliness-2018"


def test_several_open_evaluations_are_a_choice(client, interviewer, partner, crisis_care):
    client.force_login(interviewer)
    page = client.get(URL).content.decode()
    assert "Which evaluation is this interview for?" in page
    assert "Crisis care: what helped when things were hardest (a practice interview" in page
    response = client.post(URL, start_data(partner))
    assert response.status_code == 400
    assert "Choose the evaluation this interview is for." in response.content.decode()
    assert not InterviewSession.objects.exists()
    response = client.post(
        URL, start_data(partner, evaluation=crisis_care.pk, participant_code="CC-001")
    )
    session = InterviewSession.objects.get()
    assert (session.evaluation, session.practice) == (crisis_care, True)


def test_the_evaluations_own_code_pattern_is_asked_for(client, interviewer, partner, crisis_care):
    client.force_login(interviewer)
    response = client.post(URL, start_data(partner, evaluation=crisis_care.pk))
    assert response.status_code == 400
    assert "follow the pattern ^CC-[0-9]{3}$" in response.content.decode()
    assert not InterviewSession.objects.exists()


def test_an_evaluation_no_longer_collecting_is_not_offered(
    client, interviewer, partner, crisis_care
):
    closed = Evaluation.objects.filter(pk=crisis_care.pk)
    closed.update(status=Evaluation.Status.CLOSED)
    client.force_login(interviewer)
    response = client.post(
        URL, start_data(partner, evaluation=crisis_care.pk, participant_code="CC-001")
    )
    # One open again: the hidden choice is the loneliness study's, and a forged one refused.
    assert response.status_code == 400
    assert "That evaluation is not open for interviews now." in response.content.decode()
    assert not InterviewSession.objects.exists()


def test_no_open_evaluation_says_whom_to_ask(client, interviewer):
    Evaluation.objects.update(status=Evaluation.Status.ANALYSING)
    client.force_login(interviewer)
    page = client.get(URL).content.decode()
    assert "No evaluation is open for interviews at the moment. Ask your coordinator." in page
    assert "Continue to consent" not in page
