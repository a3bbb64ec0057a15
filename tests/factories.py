"""factory-boy factories for every model the tests build."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from interviews import schedule
from interviews.models import (
    ConsentFormVersion,
    ConsentRecord,
    ConsentResponse,
    Demographics,
    Evaluation,
    InterviewSession,
    ItemAnswer,
    Quote,
    Site,
    WeeklyContact,
)
from themes.models import SubTheme, Tag
from ufm.roles import Role

TEST_PASSWORD = "correct-horse-battery"
_HASHED = {}


def _hashed_password() -> str:
    # Hashing once keeps the suite fast; every test user shares the same known password.
    if "value" not in _HASHED:
        _HASHED["value"] = make_password(TEST_PASSWORD)
    return _HASHED["value"]


def _add_role(default: str | None):
    def add(obj, create, extracted, **kwargs):
        role = extracted or default
        if create and role:
            obj.groups.add(Group.objects.get(name=role))

    return factory.PostGeneration(add)


class UserFactory(factory.django.DjangoModelFactory):
    """An account; ``UserFactory(role="analyst")`` gives it a role."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyFunction(_hashed_password)
    is_active = True
    is_staff = False
    role = _add_role(None)


class InterviewerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"interviewer{n}")
    role = _add_role(Role.INTERVIEWER)


class AnalystFactory(UserFactory):
    username = factory.Sequence(lambda n: f"analyst{n}")
    is_staff = True
    role = _add_role(Role.ANALYST)


class CoordinatorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"coordinator{n}")
    is_staff = True
    role = _add_role(Role.COORDINATOR)


def site(code: str = "pall_mall") -> Site:
    return Site.objects.get(code=code)


class InterviewSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewSession

    evaluation = factory.LazyFunction(Evaluation.objects.current)
    participant_code = factory.Sequence(lambda n: f"LSI-{n:03d}")
    interview_date = datetime.date(2018, 4, 12)
    site = factory.LazyFunction(site)
    interviewer_1 = factory.SubFactory(InterviewerFactory)
    interviewer_2 = factory.SubFactory(InterviewerFactory)


def current_consent_version() -> ConsentFormVersion:
    return ConsentFormVersion.objects.get(is_current=True)


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    """A consent record with a response to every statement: all yes unless told otherwise."""

    class Meta:
        model = ConsentRecord
        skip_postgeneration_save = True

    session = factory.SubFactory(InterviewSessionFactory)
    form_version = factory.LazyFunction(current_consent_version)
    consent_date = factory.LazyAttribute(lambda o: o.session.interview_date)
    method = ConsentRecord.Method.SIGNED
    recorded_by = factory.LazyAttribute(lambda o: o.session.interviewer_1)
    witness = factory.LazyAttribute(lambda o: o.session.interviewer_2)

    @factory.post_generation
    def answers(obj, create, extracted, **kwargs):
        """``answers={"quotes": False}`` says no to those statements; the rest say yes."""
        if not create:
            return
        refusals = extracted or {}
        ConsentResponse.objects.bulk_create(
            ConsentResponse(record=obj, statement=s, agreed=refusals.get(s.code, True))
            for s in obj.form_version.statements.all()
        )


class ItemAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemAnswer

    session = factory.SubFactory(InterviewSessionFactory)
    item = schedule.Item.COMPANIONSHIP
    answer = schedule.Answer.OFTEN


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    session = factory.SubFactory(InterviewSessionFactory)
    item = schedule.QuoteItem.COMPANIONSHIP
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Words said in interview, number {n}.")


class DemographicsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demographics

    session = factory.SubFactory(InterviewSessionFactory)
    living_arrangement = schedule.LivingArrangement.ALONE
    people_per_week = schedule.PeoplePerWeek.ONE_TO_TWO
    carer = schedule.YesNo.NO
    disability = schedule.YesNo.YES
    medication = schedule.YesNo.YES
    service = schedule.Service.SECONDARY
    age_band = schedule.AgeBand.AGE_45_54
    gender = schedule.Gender.WOMAN
    ethnicity = schedule.Ethnicity.A
    borough = schedule.Borough.WESTMINSTER


class WeeklyContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklyContact

    session = factory.SubFactory(InterviewSessionFactory)
    code = schedule.Sees.FRIENDS


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    quote = factory.SubFactory(QuoteFactory)
    subtheme = factory.LazyFunction(lambda: SubTheme.objects.get(code="safe_spaces"))
    tagged_by = factory.SubFactory(AnalystFactory)


def complete_session(**kwargs) -> InterviewSession:
    """A consented session with every item, demographic and a quote per item answered."""
    session = InterviewSessionFactory(**kwargs)
    ConsentRecordFactory(session=session)
    for item in schedule.Item.values:
        ItemAnswerFactory(session=session, item=item, answer=schedule.Answer.SOME_OF_THE_TIME)
    DemographicsFactory(session=session)
    WeeklyContactFactory(session=session)
    return session
