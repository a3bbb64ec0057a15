"""The one exception for "refused", with what the services say and its HTTP status; its kinds."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class Refused(Exception):
    """A service refused to act on a record in its state: ``message`` is written for the person
    at the screen, to show as it is; ``status`` is what a page answers with it (the views map
    every refusal with ``interviews.views.access.refused``)."""

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(Refused, PermissionDenied):
    """Refused because of who asks. Also a PermissionDenied, so that Django answers 403 to it
    wherever no view maps it."""

    status = 403


# The refusals of a session's life (services.sessions); the consent gate's is ConsentRequired.


class SessionLocked(Refused):
    """The record is not a draft (submitted or verified): its answers cannot change."""


class NotInThisState(Refused):
    """The record is not in the state the step starts from (checking a record that is not
    waiting for it, reopening one that is not verified)."""


class QuotesNotAllowed(NotAllowed):
    """The participant did not agree to be quoted, so their words are never stored."""


class Incomplete(Refused):
    """Submit or verify was asked for a record with questions still unanswered."""

    def __init__(self, missing: list[str], message: str = "") -> None:
        super().__init__(message or f"{len(missing)} questions are not answered yet.")
        self.missing = missing
