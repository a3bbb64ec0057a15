"""seed_demo: the demo accounts and a dozen verified interviews, the same however often it runs."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import call_command

from interviews.models import Answer, Evaluation, InterviewSession, Quote, Tick
from interviews.schedules import schedule_of
from interviews.services.evaluations import evaluation_import
from interviews.workbooks import read_workbook
from tests.workbook_examples import EXAMPLE
from themes.models import Tag

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    "interviews.interviewsession",
    "interviews.answer",
    "interviews.tick",
    "interviews.quote",
    "interviews.consentrecord",
    "interviews.consentresponse",
    "themes.tag",
]


def snapshot() -> str:
    """Everything seed_demo makes, minus the clocks it cannot control."""
    out = io.StringIO()
    call_command("dumpdata", *CONTENT_MODELS, "auth.user", stdout=out, format="json")
    data = serializers.deserialize("json", out.getvalue())
    rows = []
    for item in data:
        fields = {
            k: v
            for k, v in item.object.__dict__.items()
            if k not in {"_state", "created_at", "updated_at", "recorded_at", "last_login"}
        }
        rows.append((type(item.object).__name__, sorted(fields.items(), key=str)))
    return repr(rows)


def test_seed_demo_creates_accounts_and_verified_interviews():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    for username in ("interviewer_a", "interviewer_b", "analyst", "coordinator"):
        assert username in text
        assert get_user_model().objects.get(username=username).check_password("ufm-demo-2026")
    assert "ufm-demo-2026" in text
    sessions = InterviewSession.objects.all()
    assert 10 <= sessions.count() <= 14
    assert set(sessions.values_list("status", flat=True)) == {"verified"}
    assert Tag.objects.exists()
    assert all(s.consent for s in sessions.select_related("consent"))


def test_seed_demo_twice_gives_the_same_data():
    call_command("seed_demo", stdout=io.StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == first


def test_the_demo_accounts_have_display_names_and_one_role_each():
    call_command("seed_demo", stdout=io.StringIO())
    users = get_user_model().objects.filter(username__in=["interviewer_a", "analyst"])
    names = {u.username: u.first_name for u in users}
    assert names["interviewer_a"] and names["interviewer_a"] != "interviewer_a"
    assert names["analyst"]
    analyst = users.get(username="analyst")
    assert analyst.is_staff and not analyst.is_superuser
    assert list(analyst.groups.values_list("name", flat=True)) == ["analyst"]


def crisis_care_collecting():
    """The second example evaluation, as the one collecting (loneliness closed)."""
    crisis = evaluation_import(read_workbook(EXAMPLE.read_bytes()), dry_run=False).evaluation
    Evaluation.objects.exclude(pk=crisis.pk).update(status=Evaluation.Status.CLOSED)
    Evaluation.objects.filter(pk=crisis.pk).update(status=Evaluation.Status.COLLECTING)
    return Evaluation.objects.get(pk=crisis.pk)


@pytest.mark.parametrize("which", ["loneliness", "crisis_care"])
def test_every_interview_answers_the_current_evaluations_questions_from_their_lists(which):
    evaluation = crisis_care_collecting() if which == "crisis_care" else Evaluation.objects.get()
    call_command("seed_demo", stdout=io.StringIO())
    schedule = schedule_of(evaluation)
    sessions = InterviewSession.objects.filter(evaluation=evaluation)
    assert sessions.count() == 12
    one_answer = {q.id: q for q in schedule.select_questions if q.one_answer}
    many = {q.id: q for q in schedule.select_questions if q.many}
    for session in sessions:
        answers = {a.question_id: a for a in Answer.objects.filter(session=session)}
        assert set(answers) == set(one_answer)
        for question_id, answer in answers.items():
            assert answer.option_id in {o.id for o in one_answer[question_id].options}
        ticks = Tick.objects.filter(session=session)
        assert {t.question_id for t in ticks} == set(many)
        for question in many.values():
            ticked = [t.option_id for t in ticks if t.question_id == question.id]
            assert 1 <= len(ticked) <= 4
            assert set(ticked) <= {o.id for o in question.options}
    quoted = set(Quote.objects.filter(session__in=sessions).values_list("question_id", flat=True))
    assert quoted == {q.id for q in schedule.quote_questions}
    assert Tag.objects.filter(quote__session__in=sessions).exists()
