"""What the interview list in the admin shows to whom."""

import pytest
from django.urls import reverse

from tests.factories import InterviewSessionFactory

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
