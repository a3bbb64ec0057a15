"""factory-boy factories for every model the tests build."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from interviews.models import (
    Answer,
    ConsentFormVersion,
    ConsentRecord,
    ConsentResponse,
    Evaluation,
    InterviewSession,
    Quote,
    Site,
    Tick,
)
from interviews.schedules import schedule_of
from themes.models import SubTheme, Tag
from ufm.roles import Role

TEST_PASSWORD = "correct-horse-battery"
# The five coded items of loneliness-2018, in survey order.
ITEMS = ("companionship", "contentment", "help", "isolation", "left_out")
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

    evaluation = factory.LazyFunction(lambda: Evaluation.objects.get(code="loneliness-2018"))
    participant_code = factory.Sequence(lambda n: f"LSI-{n:03d}")
    interview_date = datetime.date(2018, 4, 12)
    site = factory.LazyFunction(site)
    interviewer_1 = factory.SubFactory(InterviewerFactory)
    interviewer_2 = factory.SubFactory(InterviewerFactory)


def current_consent_version(evaluation=None) -> ConsentFormVersion:
    """The form offered for new consents of the evaluation (loneliness-2018 unless told)."""
    evaluation = evaluation or Evaluation.objects.get(code="loneliness-2018")
    return ConsentFormVersion.objects.get(evaluation=evaluation, is_current=True)


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    """A consent record with a response to every statement: all yes unless told otherwise."""

    class Meta:
        model = ConsentRecord
        skip_postgeneration_save = True

    session = factory.SubFactory(InterviewSessionFactory)
    form_version = factory.LazyAttribute(lambda o: current_consent_version(o.session.evaluation))
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


def question_of(session: InterviewSession, code: str):
    """The schedule question ``code`` of the session's evaluation."""
    question = schedule_of(session.evaluation).question(code)
    assert question is not None, f"{session.evaluation.code} has no question {code!r}"
    return question


def coded_keys(session: InterviewSession, code: str, value: str) -> dict:
    """The keys of an answer (or tick) ``value`` to question ``code`` of the session."""
    question = question_of(session, code)
    option = question.option(value)
    assert option is not None, f"{code} has no answer {value!r}"
    return {
        "question_id": question.id,
        "choice_list_id": question.choice_list_id,
        "option_id": option.id,
    }


class _CodedFactory(factory.django.DjangoModelFactory):
    """An answer or tick given by codes: ``item`` (the question's code) and ``answer``."""

    class Meta:
        abstract = True
        exclude = ("item", "answer", "keys")

    session = factory.SubFactory(InterviewSessionFactory)
    keys = factory.LazyAttribute(lambda o: coded_keys(o.session, o.item, o.answer))
    question_id = factory.LazyAttribute(lambda o: o.keys["question_id"])
    choice_list_id = factory.LazyAttribute(lambda o: o.keys["choice_list_id"])
    option_id = factory.LazyAttribute(lambda o: o.keys["option_id"])


class ItemAnswerFactory(_CodedFactory):
    """A coded answer to a select_one question (an item or a demographic)."""

    class Meta:
        model = Answer

    item = "companionship"
    answer = "often"


class TickFactory(_CodedFactory):
    """One tick of a select_multiple question."""

    class Meta:
        model = Tick

    item = "sees"
    answer = "friends"


class QuoteFactory(factory.django.DjangoModelFactory):
    """A quote of question ``item`` (its code)."""

    class Meta:
        model = Quote
        exclude = ("item",)

    session = factory.SubFactory(InterviewSessionFactory)
    item = "companionship"
    question_id = factory.LazyAttribute(lambda o: question_of(o.session, o.item).id)
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Words said in interview, number {n}.")


# The loneliness-2018 "About you" answers a complete session has.
DEMOGRAPHICS = {
    "living_arrangement": "alone",
    "people_per_week": "1-2",
    "carer": "no",
    "disability": "yes",
    "medication": "yes",
    "service": "secondary",
    "age_band": "45-54",
    "gender": "woman",
    "ethnicity": "A",
    "borough": "westminster",
}


def demographics_answer(session: InterviewSession, **changes) -> list:
    """The "About you" answers of ``DEMOGRAPHICS`` (with ``changes``; "" leaves one out)."""
    answers = {**DEMOGRAPHICS, **changes}
    return [
        ItemAnswerFactory(session=session, item=code, answer=value)
        for code, value in answers.items()
        if value
    ]


def WeeklyContactFactory(*, session: InterviewSession, code: str = "friends"):
    """A tick of loneliness-2018's "Who do you see in a usual week?"."""
    return TickFactory(session=session, item="sees", answer=code)


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
    for item in ITEMS:
        ItemAnswerFactory(session=session, item=item, answer="some_of_the_time")
    demographics_answer(session)
    WeeklyContactFactory(session=session)
    return session
