"""A small, readable dataset for the analysts' tests: who is in, who is left out and why."""

import datetime

from interviews.models import Withdrawal
from tests.factories import (
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    ItemAnswerFactory,
    QuoteFactory,
    TagFactory,
    WeeklyContactFactory,
    demographics_answer,
)
from themes.models import SubTheme


def subtheme(code: str) -> SubTheme:
    return SubTheme.objects.get(code=code)


def interview(
    code: str,
    *,
    pair,
    status="verified",
    quotes_consent=True,
    answers: dict[str, str],
    sees=(),
    **demographics,
):
    session = InterviewSessionFactory(
        participant_code=code,
        interviewer_1=pair[0],
        interviewer_2=pair[1],
        status=status,
        interview_date=datetime.date(2018, 4, 12),
    )
    ConsentRecordFactory(session=session, answers={} if quotes_consent else {"quotes": False})
    for item, answer in answers.items():
        ItemAnswerFactory(session=session, item=item, answer=answer)
    demographics_answer(session, **demographics)
    for tick in sees:
        WeeklyContactFactory(session=session, code=tick)
    return session


def build(analyst) -> dict:
    """Four interviews: two counted (one without quote consent), one unverified, one withdrawn."""
    pair = (InterviewerFactory(username="int_a"), InterviewerFactory(username="int_b"))
    often, some, hardly, none = "often", "some_of_the_time", "hardly_ever", "no_answer"
    one = interview(
        "LSI-001",
        pair=pair,
        answers={
            "companionship": often,
            "contentment": hardly,
            "help": some,
            "isolation": often,
            "left_out": some,
        },
        sees=["family", "friends"],
    )
    q1 = QuoteFactory(
        session=one, item="companionship", position=0, text="Nobody calls, not even on Sundays."
    )
    q2 = QuoteFactory(
        session=one, item="companionship", position=1, text='She said "come round" once.'
    )
    q3 = QuoteFactory(session=one, item="what_helped", position=0, text="The £2 lunch club.")
    TagFactory(quote=q1, subtheme=subtheme("safe_spaces"), tagged_by=analyst)
    TagFactory(quote=q1, subtheme=subtheme("living_with_others"), tagged_by=analyst)
    TagFactory(quote=q2, subtheme=subtheme("other_networks"), tagged_by=analyst)
    TagFactory(quote=q3, subtheme=subtheme("safe_spaces"), tagged_by=analyst)

    two = interview(
        "LSI-002",
        pair=pair,
        quotes_consent=False,
        answers={
            "companionship": none,
            "contentment": hardly,
            "help": hardly,
            "isolation": hardly,
            "left_out": hardly,
        },
        sees=["friends"],
        borough="kensington_and_chelsea",
        carer="yes",
    )
    QuoteFactory(session=two, item="help", position=0, text="SECRET: never to be exported.")

    three = interview(
        "LSI-003",
        pair=pair,
        status="submitted",
        answers={"companionship": often, "isolation": often, "left_out": often},
        sees=["peers"],
    )
    q4 = QuoteFactory(session=three, item="isolation", position=0, text="Not verified yet.")
    TagFactory(quote=q4, subtheme=subtheme("safe_spaces"), tagged_by=analyst)

    four = interview(
        "LSI-004",
        pair=pair,
        answers={"companionship": often, "isolation": often, "left_out": often},
    )
    q5 = QuoteFactory(session=four, item="isolation", position=0, text="WITHDRAWN words.")
    TagFactory(quote=q5, subtheme=subtheme("safe_spaces"), tagged_by=analyst)
    Withdrawal.objects.create(
        session=four,
        withdrawal_date=datetime.date(2018, 5, 1),
        how_requested="phone call",
        recorded_by=analyst,
    )
    return {"sessions": [one, two, three, four], "quotes": [q1, q2, q3, q4, q5]}
