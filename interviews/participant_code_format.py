"""What every participant code looks like, whatever the evaluation: the outer bound that the
database checks (an evaluation's own pattern may narrow it, never widen it)."""

from interviews.workbooks.design import DEFAULT_PARTICIPANT_CODE

# Participant codes are pseudonyms: never a name, NHS number, phone or address.
PARTICIPANT_CODE_PATTERN = DEFAULT_PARTICIPANT_CODE
PARTICIPANT_CODE_HELP = (
    "2 to 20 capital letters, digits or hyphens, for example LSI-023. Never a name, "
    "NHS number, phone number or address."
)
