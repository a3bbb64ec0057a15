"""The consent gate for many sessions at once (the imports): the same answers as the gate for one
session, in a fixed number of queries."""

import pytest

from interviews.services.consent_gate import NO_CONSENT, consent_problem, consent_problems
from tests.consent_gate import sessions_without_consent
from tests.factories import ConsentRecordFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("for_quotes", [False, True])
def test_it_answers_as_the_gate_does_for_each_session(for_quotes):
    sessions = [*sessions_without_consent(for_quotes=True).values(), ConsentRecordFactory().session]
    ids = [s.pk for s in sessions]
    expected = {
        s.pk: consent_problem(s, for_quotes=for_quotes)
        for s in sessions
        if consent_problem(s, for_quotes=for_quotes)
    }
    assert len(expected) == len(sessions) - 1 - (not for_quotes)
    assert consent_problems(ids, for_quotes=set(ids) if for_quotes else ()) == expected


def test_a_session_that_does_not_exist_has_no_consent():
    assert consent_problems([999_999]) == {999_999: NO_CONSENT}


@pytest.mark.parametrize("count", [1, 30])
def test_it_takes_the_same_queries_for_one_session_or_many(django_assert_num_queries, count):
    ids = [ConsentRecordFactory().session.pk for _ in range(count)]
    # The sessions with their withdrawal and consent record, the forms' statements, the
    # statements agreed.
    with django_assert_num_queries(3):
        assert consent_problems(ids, for_quotes=set(ids)) == {}
