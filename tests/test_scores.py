"""Derived scores (``calculate`` rows) are summed from the raw answers' option scores, in the
database (``with_scores``) and in Python (``ScheduleQuestion.score_of``), the same way."""

import itertools

import pytest

from interviews.models import Evaluation, InterviewSession
from interviews.schedules import schedule_of
from tests.factories import InterviewSessionFactory, ItemAnswerFactory

pytestmark = pytest.mark.django_db


def loneliness():
    return schedule_of(Evaluation.objects.get(code="loneliness-2018"))


def session_with(**answers) -> InterviewSession:
    session = InterviewSessionFactory()
    for item, answer in answers.items():
        ItemAnswerFactory(session=session, item=item, answer=answer)
    return session


def test_the_ucla3_score_sums_three_items_from_3_to_9():
    ucla3 = loneliness().question("ucla3")
    assert ucla3.is_score
    assert [t.code for t in ucla3.terms] == ["companionship", "isolation", "left_out"]
    assert ucla3.score_range() == (3, 9)
    assert loneliness().scores == (ucla3,)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"companionship": "often", "isolation": "often", "left_out": "often"}, 9),
        (
            {"companionship": "hardly_ever", "isolation": "hardly_ever", "left_out": "hardly_ever"},
            3,
        ),
        ({"companionship": "often", "isolation": "some_of_the_time", "left_out": "hardly_ever"}, 6),
        # contentment and help run the other way and are never part of UCLA-3
        (
            {
                "companionship": "some_of_the_time",
                "isolation": "some_of_the_time",
                "left_out": "some_of_the_time",
                "contentment": "often",
                "help": "hardly_ever",
            },
            6,
        ),
        # An answer without a score, or one missing, blanks the score.
        ({"companionship": "often", "isolation": "no_answer", "left_out": "often"}, None),
        ({"companionship": "often", "isolation": "often"}, None),
        ({}, None),
    ],
)
def test_ucla3_score(answers, expected):
    session = session_with(**answers)
    schedule = loneliness()
    annotated = InterviewSession.objects.with_scores(schedule.scores).get(pk=session.pk)
    assert annotated.score_ucla3 == expected
    assert schedule.question("ucla3").score_of(answers) == expected


def test_the_score_annotation_is_one_query_for_many_sessions(django_assert_num_queries):
    for _ in range(5):
        session_with(companionship="often", isolation="often", left_out="hardly_ever")
    scores = loneliness().scores
    with django_assert_num_queries(1):
        found = [s.score_ucla3 for s in InterviewSession.objects.with_scores(scores)]
    assert found == [7] * 5


def test_scores_can_filter_and_order():
    session_with(companionship="often", isolation="often", left_out="often")
    session_with(companionship="hardly_ever", isolation="often", left_out="often")
    scored = InterviewSession.objects.with_scores(loneliness().scores)
    lonely = scored.filter(score_ucla3__gte=7).order_by("score_ucla3")
    assert [s.score_ucla3 for s in lonely] == [7, 9]


def test_the_database_scores_as_the_python_rule_on_every_combination():
    """Every answer, or none, to each term: the annotation the counts use and the rule the
    interviews.csv column uses agree, and reach every value of the range."""
    schedule = loneliness()
    ucla3 = schedule.question("ucla3")
    choices = [None, *(o.code for o in ucla3.terms[0].options)]
    combinations = list(itertools.product(choices, repeat=len(ucla3.terms)))
    expected = {}
    for answers in combinations:
        given = {t.code: a for t, a in zip(ucla3.terms, answers, strict=True) if a is not None}
        expected[session_with(**given).pk] = ucla3.score_of(given)
    from_sql = dict(
        InterviewSession.objects.with_scores(schedule.scores).values_list("pk", "score_ucla3")
    )
    assert from_sql == expected
    assert {s for s in expected.values() if s is not None} == set(range(3, 10))
