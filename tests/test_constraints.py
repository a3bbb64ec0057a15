"""Bad data is refused by the database itself: these writes bypass forms and model validation."""

import pytest
from django.db import DataError, IntegrityError, transaction

from interviews.models import (
    ConsentRecord,
    Demographics,
    InterviewSession,
    ItemAnswer,
    Quote,
    WeeklyContact,
)
from tests.factories import (
    ConsentRecordFactory,
    DemographicsFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    ItemAnswerFactory,
    QuoteFactory,
    TagFactory,
    WeeklyContactFactory,
)

pytestmark = pytest.mark.django_db


def refused(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except (IntegrityError, DataError):  # DataError: PostgreSQL's varchar length check
        return True
    return False


@pytest.mark.parametrize(
    ("model", "factory", "field", "bad"),
    [
        (InterviewSession, InterviewSessionFactory, "status", "finished"),
        (ItemAnswer, ItemAnswerFactory, "answer", "sometimes"),
        (ItemAnswer, ItemAnswerFactory, "item", "happiness"),
        (Quote, QuoteFactory, "item", "nonsense"),
        (WeeklyContact, WeeklyContactFactory, "code", "cousins"),
        (Demographics, DemographicsFactory, "living_arrangement", "castle"),
        (Demographics, DemographicsFactory, "people_per_week", "12"),
        (Demographics, DemographicsFactory, "carer", "maybe"),
        (Demographics, DemographicsFactory, "disability", "Y"),
        (Demographics, DemographicsFactory, "medication", "n"),
        (Demographics, DemographicsFactory, "service", "tertiary"),
        (Demographics, DemographicsFactory, "age_band", "16-17"),
        (Demographics, DemographicsFactory, "gender", "female"),
        (Demographics, DemographicsFactory, "ethnicity", "Q"),
        (Demographics, DemographicsFactory, "borough", "camden"),
        (ConsentRecord, ConsentRecordFactory, "method", "email"),
    ],
)
def test_a_bad_code_is_refused_by_an_orm_update(model, factory, field, bad):
    obj = factory()
    assert refused(lambda: model.objects.filter(pk=obj.pk).update(**{field: bad}))
    obj.refresh_from_db()
    assert getattr(obj, field) != bad


def test_blank_demographics_are_allowed_on_a_draft():
    demographics = DemographicsFactory()
    Demographics.objects.filter(pk=demographics.pk).update(carer="", ethnicity="")
    demographics.refresh_from_db()
    assert demographics.carer == ""


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


def test_one_answer_per_item_and_one_tag_per_quote_and_subtheme():
    answer = ItemAnswerFactory()
    assert refused(lambda: ItemAnswerFactory(session=answer.session, item=answer.item))
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
