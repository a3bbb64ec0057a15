"""Field keys (``answer:help``, ``quotes:what_else``, ``demo:carer``, ``sees``) and the labels
people read for the codes stored under them."""

from interviews import schedule
from interviews.selectors import (
    ALL_FIELDS,
    SEES,
    display_value,
    field_key,
    is_quotes_key,
    parse_field_key,
)


def test_every_field_key_parses_back_to_its_kind_and_code():
    for key in ALL_FIELDS:
        kind, code = parse_field_key(key)
        assert key == (SEES if kind == SEES else field_key(kind, code))
        assert code in schedule.QUESTION_TEXT
    assert parse_field_key("quotes:what_else") == ("quotes", "what_else")
    assert parse_field_key(SEES) == (SEES, SEES)


def test_only_quote_fields_are_quote_keys():
    quote_keys = {key for key in ALL_FIELDS if is_quotes_key(key)}
    assert quote_keys == {field_key("quotes", code) for code in schedule.QuoteItem.values}


def test_each_demographic_has_its_choices_looked_up_by_code():
    for question in schedule.DEMOGRAPHIC_QUESTIONS:
        assert schedule.DEMOGRAPHIC_CHOICES[question.code] is question.choices


def test_stored_codes_are_shown_as_their_labels():
    assert display_value("answer:help", "hardly_ever") == "Hardly ever"
    assert display_value("demo:borough", "other") == "Elsewhere"
    assert display_value(SEES, ["family", "peers"]) == "Family, Peers or other service users"
    assert display_value("quotes:help", ["One.", "Two."]) == "One. / Two."
    assert display_value("demo:carer", "") == "(not answered)"
