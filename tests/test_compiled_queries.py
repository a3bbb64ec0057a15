"""ufm.compiled_queries: a query written once and run with other values answers what the ORM
answers for them, locks inside a transaction as the ORM's would, and refuses what it cannot
run the same way."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from interviews.models import InterviewSession
from tests.factories import InterviewSessionFactory
from ufm.compiled_queries import CompiledQuery

pytestmark = pytest.mark.django_db


def codes_of(first_pk: int, second_pk: int):
    return (
        InterviewSession.objects.filter(pk__in=[first_pk, second_pk])
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "participant_code")
        if connection.in_atomic_block
        else InterviewSession.objects.filter(pk__in=[first_pk, second_pk])
        .order_by("pk")
        .values_list("pk", "participant_code")
    )


def test_other_values_give_what_the_orm_gives_for_them():
    a, b, c = InterviewSessionFactory.create_batch(3)
    query = CompiledQuery(codes_of)
    for first, second in [(a.pk, b.pk), (b.pk, c.pk), (c.pk, c.pk), (a.pk, 0)]:
        assert query.rows(first, second) == [tuple(row) for row in codes_of(first, second)]


def test_a_value_used_twice_is_put_in_both_places():
    a, b = InterviewSessionFactory.create_batch(2)
    query = CompiledQuery(
        lambda pk: InterviewSession.objects.filter(pk=pk, id__gte=pk).values_list("pk")
    )
    assert query.rows(a.pk) == [(a.pk,)]
    assert query.rows(b.pk) == [(b.pk,)]


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_it_locks_as_the_orm_would(reference_data):
    a, b = InterviewSessionFactory.create_batch(2)
    query = CompiledQuery(codes_of)
    assert query.rows(a.pk, b.pk) == [(a.pk, a.participant_code), (b.pk, b.participant_code)]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert query.rows(a.pk, b.pk)[0][0] == a.pk
    statement = queries.captured_queries[-1]["sql"]
    assert ("FOR UPDATE" in statement) == connection.features.has_select_for_update


def test_what_it_cannot_run_the_same_way_is_refused():
    query = CompiledQuery(lambda pk: InterviewSession.objects.filter(pk=pk).values_list("pk"))
    with pytest.raises(TypeError):
        query.rows(None)  # the ORM writes IS NULL for None: another statement
    with pytest.raises(TypeError):
        query.rows("1")
    ignoring = CompiledQuery(lambda pk: InterviewSession.objects.values_list("pk"))
    with pytest.raises(ValueError):
        ignoring.rows(1)
