"""Spotting words that may identify a participant inside a quote.

Participants are known only by a code. A quote typed in the moment may still catch an email
address, a phone number, an NHS number or a postcode; the interviewer is warned before it is
kept, and coordinators get a list of such quotes to review. The patterns lean towards warning:
a false alarm costs a glance, a missed identifier costs someone's privacy.
"""

import re

# Patterns use only [0-9] and plain classes so that the same text works in Python, SQLite's
# REGEXP (Python's re) and PostgreSQL's regular expressions for the coordinators' list.
EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
# UK numbers: 07xxx xxxxxx, 020 xxxx xxxx, 01xxx xxxxxx, +44 7xxx ..., with spaces or dashes.
UK_PHONE = r"(\+44[ -]?\(?0?\)?|\(?0)[1-9][0-9]{1,4}\)?([ -]?[0-9]){5,8}"
# NHS numbers: ten digits, often written 3-3-4.
NHS_NUMBER = r"[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}"
# UK postcodes, e.g. W2 1AA, SW1A 2AA, EC1V 9HX.
POSTCODE = r"[A-Za-z]{1,2}[0-9][A-Za-z0-9]?[ ]?[0-9][A-Za-z]{2}"

PATTERNS: dict[str, str] = {
    "an email address": EMAIL,
    "a phone number": UK_PHONE,
    "an NHS number": NHS_NUMBER,
    "a postcode": POSTCODE,
}

# One pattern for the database filter of the coordinators' review list.
ANY_IDENTIFIER = "|".join(f"({pattern})" for pattern in PATTERNS.values())

_COMPILED = {
    name: re.compile(rf"(?<![A-Za-z0-9]){p}(?![A-Za-z0-9])") for name, p in PATTERNS.items()
}


def _valid_nhs_number(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def identifier_warnings(text: str) -> list[str]:
    """What the text may hold that identifies someone, as plain phrases ("a phone number")."""
    found = []
    for name, pattern in _COMPILED.items():
        for match in pattern.finditer(text):
            if name == "an NHS number":
                digits = re.sub(r"[^0-9]", "", match.group())
                if not _valid_nhs_number(digits):
                    continue
            found.append(name)
            break
    return found


def describe(found: list[str]) -> str:
    """The phrases of ``identifier_warnings`` as one: "an email address and a phone number"."""
    return " and ".join(found) if len(found) <= 2 else ", ".join(found[:-1]) + " and " + found[-1]


def warning_message(text: str) -> str | None:
    """A sentence for the interviewer, or None when nothing looks like an identifier."""
    return message_for(identifier_warnings(text))


def message_for(found: list[str]) -> str | None:
    """The interviewer's sentence for what ``identifier_warnings`` found (None for nothing)."""
    if not found:
        return None
    return (
        f"This quote may contain {describe(found)}. Participants must not be identifiable: "
        "please check it, and remove anything that could identify someone."
    )
