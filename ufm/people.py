"""How pages name a person: by display name, with the username where names could clash.

The display name is what a coordinator gave the account (kept in ``User.first_name``); the
username follows it in brackets where two people could share that name.

Interviewers read each other's display names (the partner choice, "My interviews", the check
and consent pages). In a list of several people, such as the partner choice, two may share a
display name, so the username follows in brackets. Exports and imports keep usernames
(``exchange.md``).
"""

from __future__ import annotations


def display_name(user) -> str:
    """The name people read; the username for an account that has no display name yet."""
    return user.first_name.strip() or user.get_username()


def display_name_with_username(user) -> str:
    """``Sam P (sam_p)``: for lists in which two people could share a display name."""
    name = display_name(user)
    username = user.get_username()
    return name if name == username else f"{name} ({username})"
