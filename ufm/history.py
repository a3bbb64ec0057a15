"""Who made a change, in the audit history (django-simple-history), however it was made.

On the web, ``HistoryRequestMiddleware`` tells simple-history who is logged in. Services that
are told who acts (``user=``, ``recorded_by=``…) also record it themselves, so that management
commands, the shell and tests leave the same trail. ``bulk_create_with_history`` takes the user
as ``default_user``; queryset ``update()`` writes no history at all, so a service that uses it
on a model with history writes the history rows itself (``subtheme_merge``, through
``bulk_history_create``, which takes the user the same way).

Limits: ``tags_remove``, the codebook's and the consent versions' services take no user, so
outside a web request their history says nobody unless the caller wraps them in
``history_user``. Bulk deletes (a withdrawal, a merge's duplicate tags) are recorded per row
through Django's delete signals, with the same user.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords


@contextmanager
def history_user(user) -> Iterator[None]:
    """Record ``user`` as who made every change inside, unless a web request already says."""
    if user is None or getattr(HistoricalRecords.context, "request", None) is not None:
        yield
        return
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def history_by(argument: str) -> Callable:
    """Decorate a keyword-only service: its keyword ``argument`` is who acts, in the history."""

    def decorate(service: Callable) -> Callable:
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            with history_user(kwargs.get(argument)):
                return service(*args, **kwargs)

        return wrapper

    return decorate
