"""The UCLA-3 score is derived from the raw answers, in the database and on the model."""

import pytest

from interviews.models import InterviewSession
from tests.factories import InterviewSessionFactory, ItemAnswerFactory

pytestmark = pytest.mark.django_db


def session_with(**answers) -> InterviewSession:
    session = InterviewSessionFactory()
    for item, answer in answers.items():
        ItemAnswerFactory(session=session, item=item, answer=answer)
    return session


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
        ({"companionship": "often", "isolation": "no_answer", "left_out": "often"}, None),
        ({"companionship": "often", "isolation": "often"}, None),
        ({}, None),
    ],
)
def test_ucla3_score(answers, expected):
    session = session_with(**answers)
    annotated = InterviewSession.objects.with_ucla3().get(pk=session.pk)
    assert annotated.ucla3 == expected
    assert annotated.ucla3_score == expected
    assert InterviewSession.objects.get(pk=session.pk).ucla3_score == expected


def test_ucla3_annotation_is_one_query_for_many_sessions(django_assert_num_queries):
    for _ in range(5):
        session_with(companionship="often", isolation="often", left_out="hardly_ever")
    with django_assert_num_queries(1):
        scores = [s.ucla3_score for s in InterviewSession.objects.with_ucla3()]
    assert scores == [7] * 5


def test_ucla3_can_filter_and_order():
    session_with(companionship="often", isolation="often", left_out="often")
    session_with(companionship="hardly_ever", isolation="often", left_out="often")
    lonely = InterviewSession.objects.with_ucla3().filter(ucla3__gte=7)
    assert [s.ucla3 for s in lonely.order_by("ucla3")] == [7, 9]
