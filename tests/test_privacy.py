"""The privacy guard spots identifiers in quotes, and leaves ordinary words alone."""

import re

import pytest

from interviews.privacy import ANY_IDENTIFIER, identifier_warnings, warning_message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Email me at sam.jones@example.org any time", ["an email address"]),
        ("Ring me on 07700 900123 please", ["a phone number"]),
        ("my number is +44 7700 900 123", ["a phone number"]),
        ("call 020 7946 0018", ["a phone number"]),
        ("NHS number 943 476 5919", ["an NHS number"]),
        ("I live at W2 1AA", ["a postcode"]),
        ("near SW1A 2AA, by the park", ["a postcode"]),
    ],
)
def test_it_spots_identifiers(text, expected):
    assert identifier_warnings(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The gardening group on Thursdays.",
        "I see 3 or 4 people a week, maybe 10 at Christmas.",
        "It was 2018 when I moved, in March.",
        "My score was 123 456 7890 on the machine",  # ten digits, NHS checksum fails
        'Evenings are the worst, "when the door shuts".',
    ],
)
def test_it_leaves_ordinary_words_alone(text):
    assert identifier_warnings(text) == []
    assert warning_message(text) is None


def test_the_message_names_what_it_found():
    message = warning_message("write to a@b.co or ring 07700 900123")
    assert message.startswith("This quote may contain an email address and a phone number.")


def test_the_database_pattern_matches_what_python_flags():
    pattern = re.compile(ANY_IDENTIFIER)
    assert pattern.search("Ring me on 07700 900123")
    assert pattern.search("sam@example.org")
    assert not pattern.search("The gardening group on Thursdays.")
