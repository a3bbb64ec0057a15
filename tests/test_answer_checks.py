"""The database itself keeps every coded answer one of its own question's answers, by any path,
and never lets a used code change (migration 0015: composite keys on PostgreSQL, triggers on
SQLite)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from interviews.models import Answer, AnswerOption, Question, Tick
from tests.factories import InterviewSessionFactory, ItemAnswerFactory, TickFactory, coded_keys

pytestmark = pytest.mark.django_db


def _refused():
    # A savepoint, so that the test's transaction goes on after the database refuses.
    return transaction.atomic()


def _other_list_option(question_code: str) -> AnswerOption:
    question = Question.objects.get(evaluation__code="loneliness-2018", code=question_code)
    return AnswerOption.objects.exclude(choice_list=question.choice_list_id).first()


def _assert_refused(write):
    with pytest.raises(IntegrityError), _refused():
        write()
        # PostgreSQL checks deferred keys at commit; ask for the check now.
        connection.check_constraints()


def test_an_option_of_another_list_is_refused_on_create():
    session = InterviewSessionFactory()
    keys = coded_keys(session, "help", "often")
    stranger = _other_list_option("help")
    _assert_refused(
        lambda: Answer.objects.create(session=session, **{**keys, "option_id": stranger.pk})
    )
    _assert_refused(
        lambda: Answer.objects.create(
            session=session,
            **{**keys, "choice_list_id": stranger.choice_list_id, "option_id": stranger.pk},
        )
    )
    assert not Answer.objects.filter(session=session).exists()


def test_an_option_of_another_list_is_refused_by_update_and_raw_sql():
    answer = ItemAnswerFactory(item="help", answer="often")
    stranger = _other_list_option("help")
    _assert_refused(lambda: Answer.objects.filter(pk=answer.pk).update(option_id=stranger.pk))
    _assert_refused(
        lambda: Answer.objects.filter(pk=answer.pk).update(
            option_id=stranger.pk, choice_list_id=stranger.choice_list_id
        )
    )

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE interviews_answer SET option_id = %s WHERE id = %s",
                [stranger.pk, answer.pk],
            )

    _assert_refused(raw)
    answer.refresh_from_db()
    assert answer.option.code == "often"


def test_a_tick_of_another_list_is_refused():
    tick = TickFactory(item="sees", answer="peers")
    stranger = _other_list_option("sees")
    _assert_refused(lambda: Tick.objects.filter(pk=tick.pk).update(option_id=stranger.pk))
    _assert_refused(
        lambda: Tick.objects.create(
            session=tick.session,
            question_id=tick.question_id,
            choice_list_id=stranger.choice_list_id,
            option_id=stranger.pk,
        )
    )


def test_a_used_code_never_changes():
    answer = ItemAnswerFactory(item="help", answer="often")
    option = AnswerOption.objects.get(pk=answer.option_id)
    _assert_refused(lambda: AnswerOption.objects.filter(pk=option.pk).update(code="always"))
    question = Question.objects.get(pk=answer.question_id)
    _assert_refused(lambda: Question.objects.filter(pk=question.pk).update(code="helpers"))
    tick = TickFactory(item="sees", answer="peers")
    _assert_refused(lambda: AnswerOption.objects.filter(pk=tick.option_id).update(code="others"))
    option.refresh_from_db()
    question.refresh_from_db()
    assert (option.code, question.code) == ("often", "help")


def test_a_question_with_quotes_only_keeps_its_code_too():
    from tests.factories import QuoteFactory

    quote = QuoteFactory(item="what_else")
    _assert_refused(lambda: Question.objects.filter(pk=quote.question_id).update(code="else"))


def test_an_unused_code_may_change_and_a_used_one_cannot_go():
    unused = AnswerOption.objects.get(
        choice_list__evaluation__code="loneliness-2018", choice_list__name="borough", code="other"
    )
    AnswerOption.objects.filter(pk=unused.pk).update(code="elsewhere")
    assert AnswerOption.objects.filter(pk=unused.pk, code="elsewhere").exists()
    answer = ItemAnswerFactory(item="borough", answer="westminster")
    with pytest.raises(ProtectedError):
        AnswerOption.objects.get(pk=answer.option_id).delete()
    with pytest.raises(ProtectedError):
        Question.objects.get(pk=answer.question_id).delete()
