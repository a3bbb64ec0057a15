"""Idle log-out without a database write on every request: a signed-in session's expiry moves
on at most once a minute.

Django's ``SESSION_SAVE_EVERY_REQUEST`` rewrites the session row on every request, which is
three statements on each autosave (as people type, every few seconds). Here the session is
saved when it is changed anyway (a log-in, a message) or when its last save is a minute old or
more (a log-in counts as a save, so the requests of the first minute are alike). A session
still ends ``SESSION_COOKIE_AGE`` after its last request, give or take that minute: between 29
and 30 minutes idle, never later.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 60
# When the session was last saved (seconds since the epoch), kept in the session itself.
SAVED_AT = "_ufm_saved_at"


class SessionRefreshMiddleware:
    """After ``SessionMiddleware`` in ``MIDDLEWARE``, so that its response is seen first and
    a session marked here is saved there."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Not accessed: a request that never looked at the session (it has no user to keep).
        # Empty: signed out, or never signed in; nothing to keep alive.
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        if session.modified or now - session.get(SAVED_AT, 0) >= REFRESH_SECONDS:
            session[SAVED_AT] = now  # saved by SessionMiddleware, with a new expiry
        return response


@receiver(user_logged_in)
def _saved_at_log_in(sender, request: HttpRequest, **kwargs) -> None:
    # Logging in cycles the session, which is saved with it (the test client's force_login too).
    request.session[SAVED_AT] = int(time.time())
