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


def with_evaluation_and_pair(user_pk: int, pk: int):
    return (
        InterviewSession.objects.for_interviewer(user_pk)
        .select_related("evaluation", "interviewer_1", "submitted_by")
        .filter(pk=pk)
    )


def fields_of(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_objects_are_the_orms_instances_with_their_related_ones():
    a, b = InterviewSessionFactory.create_batch(2)
    query = CompiledQuery(with_evaluation_and_pair)
    for user, session in [(a.interviewer_1, a), (a.interviewer_2, a), (b.interviewer_1, b)]:
        ours, theirs = (
            query.objects(user.pk, session.pk),
            list(with_evaluation_and_pair(user.pk, session.pk)),
        )
        assert len(ours) == len(theirs) == 1
        mine, orms = ours[0], theirs[0]
        assert type(mine) is InterviewSession and not mine._state.adding
        # Every field as the ORM converts it (dates and times too, on SQLite from text).
        assert fields_of(mine) == fields_of(orms)
        assert fields_of(mine.evaluation) == fields_of(orms.evaluation)
        assert fields_of(mine.interviewer_1) == fields_of(orms.interviewer_1)
        assert mine.submitted_by is None and orms.submitted_by is None
        # The related ones came in the same statement: reading them asks nothing more.
        with CaptureQueriesContext(connection) as ctx:
            assert mine.evaluation.code and mine.interviewer_1.username
        assert len(ctx.captured_queries) == 0
    assert query.objects(a.interviewer_1.pk, b.pk) == []  # not of this pair: nothing


def test_objects_lock_inside_a_transaction_as_the_orm_would():
    session = InterviewSessionFactory()
    query = CompiledQuery(
        lambda pk: (
            InterviewSession.objects.select_for_update(of=("self",))
            .select_related("evaluation")
            .filter(pk=pk)
        )
    )
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert query.objects(session.pk)[0].pk == session.pk
    statement = queries.captured_queries[-1]["sql"]
    assert ("FOR UPDATE" in statement) == connection.features.has_select_for_update


def test_objects_with_annotations_are_refused():
    from django.db.models import Value

    query = CompiledQuery(lambda pk: InterviewSession.objects.annotate(one=Value(1)).filter(pk=pk))
    with pytest.raises(ValueError):
        query.objects(1)
