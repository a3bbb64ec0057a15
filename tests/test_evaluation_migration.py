"""Migrations 0009-0011 make every interview already stored one of loneliness-2018."""

import datetime

import pytest

BEFORE = [("interviews", "0009_evaluations")]
AFTER = [("interviews", "0011_session_evaluation_required")]


@pytest.mark.django_db(transaction=True)
def test_existing_interviews_become_loneliness_2018(reference_data, migrate_to):
    old = migrate_to(BEFORE)
    User = old.get_model("auth", "User")
    Site = old.get_model("interviews", "Site")
    OldSession = old.get_model("interviews", "InterviewSession")
    first = User.objects.create(username="first")
    second = User.objects.create(username="second")
    for number in range(3):
        OldSession.objects.create(
            participant_code=f"LSI-{number:03d}",
            interview_date=datetime.date(2018, 4, 12),
            site=Site.objects.first(),
            interviewer_1=first,
            interviewer_2=second,
        )
    assert not old.get_model("interviews", "Evaluation").objects.exists()

    new = migrate_to(AFTER)
    Evaluation = new.get_model("interviews", "Evaluation")
    Session = new.get_model("interviews", "InterviewSession")
    seeded = Evaluation.objects.get()
    assert (seeded.code, seeded.status) == ("loneliness-2018", "collecting")
    assert list(Session.objects.values_list("evaluation_id", flat=True)) == [seeded.pk] * 3
    assert seeded.questions.count() == 20  # survey rows: the note and ucla3 among them
    # Coordinators and analysts may view evaluations; interviewers have no reason to.
    Group = new.get_model("auth", "Group")
    viewers = Group.objects.filter(permissions__codename="view_evaluation")
    assert sorted(viewers.values_list("name", flat=True)) == ["analyst", "coordinator"]
