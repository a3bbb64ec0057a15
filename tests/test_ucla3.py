"""The UCLA-3 score is derived from the raw answers, in the database and on the model."""

import itertools

import pytest
from django.db import connection

from interviews import schedule
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


def test_ucla3_sql_text_scores_as_the_python_rule():
    """The COPY export's SQL and the Python rule agree on every answer or none to each item."""
    choices = [None, *schedule.Answer.values]
    combinations = list(itertools.product(choices, repeat=len(schedule.UCLA_ITEMS)))

    def literal(answer: str | None) -> str:
        return "CAST(NULL AS TEXT)" if answer is None else f"CAST('{answer}' AS TEXT)"

    selects = []
    for answers in combinations:
        column = dict(zip(schedule.UCLA_ITEMS, answers, strict=True))
        selects.append(schedule.ucla3_sql(lambda item, column=column: literal(column[item])))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects))
        from_sql = list(cursor.fetchone())
    expected = [
        schedule.ucla3_score(
            {i: a for i, a in zip(schedule.UCLA_ITEMS, answers, strict=True) if a is not None}
        )
        for answers in combinations
    ]
    assert from_sql == expected
    assert {s for s in expected if s is not None} == set(range(3, 10))
