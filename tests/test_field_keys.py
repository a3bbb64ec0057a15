"""Field keys (``answer:help``, ``quotes:what_else``, ``demo:carer``, ``ticks:sees``), made
from an evaluation's schedule, and the labels people read for the codes stored under them."""

import pytest

from interviews.models import Evaluation
from interviews.schedules import schedule_of
from interviews.selectors import (
    all_fields,
    display_value,
    field_key,
    is_quotes_key,
    parse_field_key,
    question_of,
    section_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loneliness():
    return schedule_of(Evaluation.objects.get(code="loneliness-2018"))


def test_every_field_key_parses_back_to_its_kind_and_question(loneliness):
    for key in all_fields(loneliness):
        kind, code = parse_field_key(key)
        assert key == field_key(kind, code)
        assert question_of(loneliness, key).code == code
    assert parse_field_key("quotes:what_else") == ("quotes", "what_else")


def test_the_loneliness_keys_in_survey_order(loneliness):
    keys = all_fields(loneliness)
    assert keys[:2] == ["answer:companionship", "quotes:companionship"]
    assert keys[10:12] == ["quotes:what_helped", "quotes:what_else"]
    assert "ticks:sees" in keys and "demo:borough" in keys
    assert {section_of(loneliness, k) for k in keys} == {"feel", "helps", "about"}


def test_only_quote_fields_are_quote_keys(loneliness):
    quote_keys = {key for key in all_fields(loneliness) if is_quotes_key(key)}
    assert quote_keys == {field_key("quotes", q.code) for q in loneliness.quote_questions}
    assert len(quote_keys) == 7  # the five items and the two open questions


@pytest.mark.parametrize("key", ["sees", "answer:sees", "demo:help", "quotes:carer", "x:help"])
def test_a_key_of_the_wrong_kind_is_no_field(loneliness, key):
    with pytest.raises(KeyError):
        question_of(loneliness, key)


def test_stored_codes_are_shown_as_their_labels(loneliness):
    assert display_value(loneliness, "answer:help", "hardly_ever") == "Hardly ever"
    assert display_value(loneliness, "demo:borough", "other") == "Elsewhere"
    assert (
        display_value(loneliness, "ticks:sees", ["family", "peers"])
        == "Family, Peers or other service users"
    )
    # Ticks read in the list's order (friends comes before family), whatever order they came.
    assert display_value(loneliness, "ticks:sees", ["family", "friends"]) == "Friends, Family"
    assert display_value(loneliness, "ticks:sees", []) == "(none ticked)"
    assert display_value(loneliness, "quotes:help", ["One.", "Two."]) == "One. / Two."
    assert display_value(loneliness, "demo:carer", "") == "(not answered)"
