"""Bad data is refused by the database itself: these writes bypass forms and model validation."""

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from interviews.models import Answer, ConsentRecord, InterviewSession, Quote, Tick
from tests.factories import (
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    ItemAnswerFactory,
    QuoteFactory,
    TagFactory,
    TickFactory,
)

pytestmark = pytest.mark.django_db


def refused(write) -> bool:
    try:
        with transaction.atomic():
            write()
            # PostgreSQL checks foreign keys at commit; ask for every check now.
            connection.check_constraints()
    except (IntegrityError, DataError):  # DataError: PostgreSQL's varchar length check
        return True
    return False


# An answer's code is a row of its question's list, checked by the database whatever the path
# (tests/test_answer_checks.py); the fixed vocabularies are checked values of one column.
@pytest.mark.parametrize(
    ("model", "factory", "field", "bad"),
    [
        (InterviewSession, InterviewSessionFactory, "status", "finished"),
        (ConsentRecord, ConsentRecordFactory, "method", "email"),
    ],
)
def test_a_bad_code_is_refused_by_an_orm_update(model, factory, field, bad):
    obj = factory()
    assert refused(lambda: model.objects.filter(pk=obj.pk).update(**{field: bad}))
    obj.refresh_from_db()
    assert getattr(obj, field) != bad


@pytest.mark.parametrize(
    ("model", "factory", "field"),
    [
        (Answer, ItemAnswerFactory, "option_id"),
        (Answer, ItemAnswerFactory, "question_id"),
        (Tick, TickFactory, "option_id"),
        (Quote, QuoteFactory, "question_id"),
    ],
)
def test_an_answer_of_no_option_or_question_is_refused(model, factory, field):
    obj = factory()
    assert refused(lambda: model.objects.filter(pk=obj.pk).update(**{field: 999_999}))
    obj.refresh_from_db()
    assert getattr(obj, field) != 999_999


@pytest.mark.parametrize(
    "bad_code",
    ["lsi-023", "A", "LSI 023", "LSI_023", "ABCDEFGHIJKLMNOPQRSTU", "JOHN.SMITH", "", "LSİ-1"],
)
def test_a_bad_participant_code_is_refused(bad_code):
    session = InterviewSessionFactory()
    assert refused(
        lambda: InterviewSession.objects.filter(pk=session.pk).update(participant_code=bad_code)
    )


@pytest.mark.parametrize("good_code", ["LSI-023", "AB", "12345678901234567890", "EX-001"])
def test_a_good_participant_code_is_stored(good_code):
    session = InterviewSessionFactory(participant_code=good_code)
    session.refresh_from_db()
    assert session.participant_code == good_code


def test_participant_codes_are_unique():
    InterviewSessionFactory(participant_code="LSI-001")
    assert refused(lambda: InterviewSessionFactory(participant_code="LSI-001"))


def test_the_same_interviewer_twice_is_refused():
    person = InterviewerFactory()
    assert refused(lambda: InterviewSessionFactory(interviewer_1=person, interviewer_2=person))
    session = InterviewSessionFactory()
    assert refused(
        lambda: InterviewSession.objects.filter(pk=session.pk).update(
            interviewer_2=session.interviewer_1
        )
    )


def test_one_answer_per_question_one_tick_per_option_and_one_tag_per_quote_and_subtheme():
    answer = ItemAnswerFactory(item="help", answer="often")
    assert refused(lambda: ItemAnswerFactory(session=answer.session, item="help", answer="often"))
    assert refused(
        lambda: ItemAnswerFactory(session=answer.session, item="help", answer="hardly_ever")
    )
    tick = TickFactory(item="sees", answer="peers")
    assert refused(lambda: TickFactory(session=tick.session, item="sees", answer="peers"))
    TickFactory(session=tick.session, item="sees", answer="family")  # another tick is fine
    tag = TagFactory()
    assert refused(lambda: TagFactory(quote=tag.quote, subtheme=tag.subtheme))


def test_a_quote_cannot_be_empty():
    quote = QuoteFactory()
    assert refused(lambda: Quote.objects.filter(pk=quote.pk).update(text=""))


def test_the_witness_is_not_the_recorder():
    record = ConsentRecordFactory()
    assert refused(
        lambda: ConsentRecord.objects.filter(pk=record.pk).update(witness=record.recorded_by)
    )
