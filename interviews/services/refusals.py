"""The one exception for "refused": what the services say to the person, with its HTTP status."""

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
