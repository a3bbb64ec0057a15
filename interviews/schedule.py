"""The interview schedule (../shared/spec/schedule.md) as code: stored codes and words people see.

Codes are the only values stored, imported and exported; labels are what people read.
Codes never change once data exists.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import models

ITEMS_PROMPT = (
    "The next questions are about how you feel about different aspects of your life. "
    "For each one, tell me how often you feel that way."
)


class Item(models.TextChoices):
    """The five loneliness items, each with a coded answer and any number of quotes."""

    COMPANIONSHIP = "companionship", "Companionship"
    CONTENTMENT = "contentment", "Contentment"
    HELP = "help", "Help"
    ISOLATION = "isolation", "Isolation"
    LEFT_OUT = "left_out", "Left out"


class OpenQuestion(models.TextChoices):
    """The open questions: quotes only, no coded answer."""

    WHAT_HELPED = "what_helped", "What helped"
    WHAT_ELSE = "what_else", "What else could help"


# Where a quote belongs: one of the five items or one of the open questions, in that order.
QuoteItem = models.TextChoices(
    "QuoteItem",
    [(member.name, (member.value, member.label)) for member in (*Item, *OpenQuestion)],
)


class Answer(models.TextChoices):
    OFTEN = "often", "Often"
    SOME_OF_THE_TIME = "some_of_the_time", "Some of the time"
    HARDLY_EVER = "hardly_ever", "Hardly ever"
    NO_ANSWER = "no_answer", "Prefer not to answer"


# UCLA score of each answer; no_answer has none, which blanks the UCLA-3 total.
UCLA_SCORES: dict[str, int] = {
    Answer.OFTEN: 3,
    Answer.SOME_OF_THE_TIME: 2,
    Answer.HARDLY_EVER: 1,
}
# The three UCLA items; contentment and help are the Campaign to End Loneliness statements,
# where "often" means LESS lonely, so they never enter the UCLA-3 score.
UCLA_ITEMS: tuple[str, ...] = (Item.COMPANIONSHIP, Item.ISOLATION, Item.LEFT_OUT)


# The UCLA-3 score, the one rule: the sum of the UCLA items' scores, blank (None, SQL NULL)
# when any of them has no score. Python, the ORM and the COPY export's SQL are all made from
# UCLA_SCORES and UCLA_ITEMS here, so they cannot drift apart.
def ucla3_score(answer_of: Mapping[str, str]) -> int | None:
    """The UCLA-3 score of the answers (item code to answer code), or None."""
    scores = [UCLA_SCORES.get(answer_of.get(item, "")) for item in UCLA_ITEMS]
    return None if None in scores else sum(scores)


def ucla3_expression(
    item_score: Callable[[str, models.Expression], models.Expression],
) -> models.Expression:
    """The UCLA-3 score as an ORM expression. ``item_score(item, score)`` gives the expression
    of one item's score, where ``score`` scores an ``answer`` field (NULL for no score)."""
    score = models.Case(
        *[models.When(answer=code, then=models.Value(p)) for code, p in UCLA_SCORES.items()],
        default=None,
        output_field=models.IntegerField(),
    )
    first, *rest = (item_score(item, score) for item in UCLA_ITEMS)
    for part in rest:
        first = first + part
    return first


def ucla3_sql(column_of: Callable[[str], str]) -> str:
    """The UCLA-3 score as SQL text, given the column holding each item's answer."""

    def score(item: str) -> str:
        whens = " ".join(
            "WHEN '" + code.replace("'", "''") + f"' THEN {points}"
            for code, points in UCLA_SCORES.items()
        )
        return f"(CASE {column_of(item)} {whens} END)"

    return " + ".join(score(item) for item in UCLA_ITEMS)


class LivingArrangement(models.TextChoices):
    ALONE = "alone", "On my own"
    PARTNER = "partner", "With a partner"
    FAMILY = "family", "With family"
    FRIENDS = "friends", "With friends or flatmates"
    SUPPORTED_HOUSING = "supported_housing", "Supported housing or hostel"
    OTHER = "other", "Other"


class PeoplePerWeek(models.TextChoices):
    NONE = "0", "None"
    ONE_TO_TWO = "1-2", "1-2"
    THREE_TO_FIVE = "3-5", "3-5"
    SIX_TO_TEN = "6-10", "6-10"
    ELEVEN_OR_MORE = "11+", "11 or more"


class Sees(models.TextChoices):
    FRIENDS = "friends", "Friends"
    FAMILY = "family", "Family"
    PARTNER = "partner", "Partner"
    HEALTH_PROFESSIONALS = "health_professionals", "Health professionals"
    SUPPORT_WORKERS = "support_workers", "Support or key workers"
    PEERS = "peers", "Peers or other service users"
    NEIGHBOURS = "neighbours", "Neighbours"
    COLLEAGUES = "colleagues", "Work or study colleagues"
    FAITH_COMMUNITY = "faith_community", "Faith community"
    OTHER = "other", "Other"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class Service(models.TextChoices):
    SECONDARY = "secondary", "Secondary care (CMHT)"
    PRIMARY = "primary", "Discharged to primary care"


class AgeBand(models.TextChoices):
    AGE_18_24 = "18-24", "18-24"
    AGE_25_34 = "25-34", "25-34"
    AGE_35_44 = "35-44", "35-44"
    AGE_45_54 = "45-54", "45-54"
    AGE_55_64 = "55-64", "55-64"
    AGE_65_74 = "65-74", "65-74"
    AGE_75_PLUS = "75+", "75+"


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    SELF_DESCRIBED = "self_described", "Prefer to self-describe"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class Ethnicity(models.TextChoices):
    A = "A", "White: British"
    B = "B", "White: Irish"
    C = "C", "White: Any other White background"
    D = "D", "Mixed: White and Black Caribbean"
    E = "E", "Mixed: White and Black African"
    F = "F", "Mixed: White and Asian"
    G = "G", "Mixed: Any other mixed background"
    H = "H", "Asian or Asian British: Indian"
    J = "J", "Asian or Asian British: Pakistani"
    K = "K", "Asian or Asian British: Bangladeshi"
    L = "L", "Asian or Asian British: Any other Asian background"
    M = "M", "Black or Black British: Caribbean"
    N = "N", "Black or Black British: African"
    P = "P", "Black or Black British: Any other Black background"
    R = "R", "Other ethnic groups: Chinese"
    S = "S", "Other ethnic groups: Any other ethnic group"
    Z = "Z", "Not stated"


class Borough(models.TextChoices):
    KENSINGTON_AND_CHELSEA = "kensington_and_chelsea", "Kensington and Chelsea"
    WESTMINSTER = "westminster", "Westminster"
    OTHER = "other", "Elsewhere"


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    choices: type[models.TextChoices] | None = None
    many: bool = False


ITEM_QUESTIONS: tuple[Question, ...] = (
    Question(Item.COMPANIONSHIP, "How often do you feel that you lack companionship?", Answer),
    Question(Item.CONTENTMENT, "Are you content with your friendships and relationships?", Answer),
    Question(Item.HELP, "Do you have enough people you feel comfortable asking for help?", Answer),
    Question(Item.ISOLATION, "How often do you feel isolated from others?", Answer),
    Question(Item.LEFT_OUT, "How often do you feel left out?", Answer),
)

OPEN_QUESTIONS: tuple[Question, ...] = (
    Question(
        OpenQuestion.WHAT_HELPED,
        "What, if anything, has helped you to prevent or reduce feelings of loneliness?",
    ),
    Question(OpenQuestion.WHAT_ELSE, "What else could help people feel less lonely?"),
)

# In the order of schedule.md, which is the order of every export.
DEMOGRAPHIC_QUESTIONS: tuple[Question, ...] = (
    Question("living_arrangement", "Who do you live with?", LivingArrangement),
    Question("people_per_week", "About how many people do you see in a usual week?", PeoplePerWeek),
    Question("sees", "Who do you see in a usual week? (tick all that apply)", Sees, many=True),
    Question("carer", "Are you a carer for someone?", YesNo),
    Question("disability", "Do you consider yourself to have a disability?", YesNo),
    Question("medication", "Do you take medication for your mental health?", YesNo),
    Question("service", "Which service are you with now?", Service),
    Question("age_band", "Age", AgeBand),
    Question("gender", "Gender", Gender),
    Question("ethnicity", "Ethnic group", Ethnicity),
    Question("borough", "Borough of residence", Borough),
)

# The one-answer demographics: columns of Demographics, and the --where filters of exports.
ONE_ANSWER_DEMOGRAPHICS: tuple[Question, ...] = tuple(
    q for q in DEMOGRAPHIC_QUESTIONS if not q.many
)

# Each demographic question's answer choices, by the question's code: the one look-up of them.
DEMOGRAPHIC_CHOICES: dict[str, type[models.TextChoices]] = {
    q.code: q.choices for q in DEMOGRAPHIC_QUESTIONS
}

QUESTION_TEXT: dict[str, str] = {
    q.code: q.text for q in (*ITEM_QUESTIONS, *OPEN_QUESTIONS, *DEMOGRAPHIC_QUESTIONS)
}

# Participant codes are pseudonyms: never a name, NHS number, phone or address.
PARTICIPANT_CODE_PATTERN = r"^[A-Z0-9-]{2,20}$"
PARTICIPANT_CODE_HELP = (
    "2 to 20 capital letters, digits or hyphens, for example LSI-023. Never a name, "
    "NHS number, phone number or address."
)


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def quote_lines(text: str) -> list[str]:
    """A cell or box of quotes, one quote a line, as a list of quotes (blank lines dropped).
    NUL characters (invisible, and refused by PostgreSQL in text) are dropped."""
    return [line.strip() for line in LINE_BREAK.split(text.replace("\x00", "")) if line.strip()]


def one_line(text: str) -> str:
    """One quote as one line: line breaks typed inside it become spaces."""
    return " ".join(quote_lines(text))
