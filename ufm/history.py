"""Who made a change, in the audit history (django-simple-history), however it was made.

On the web, ``HistoryRequestMiddleware`` tells simple-history who is logged in. Services that
are told who acts (``user=``, ``recorded_by=``…) also record it themselves, so that management
commands, the shell and tests leave the same trail. ``bulk_create_with_history`` takes the user
as ``default_user``; queryset ``update()`` writes no history at all, so a service that uses it
on a model with history writes the history rows itself (``subtheme_merge``, through
``bulk_history_create``, which takes the user the same way).

Where a change was made (in the app, the admin, an import or a command on the server) is kept
in simple-history's ``history_change_reason``, as a ``ChangeSource`` code, unless the change
gives a reason of its own (an account's "Password set"): ``record_change_source``.

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

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from ufm.people import display_name


class ChangeSource(models.TextChoices):
    """Where a change in the audit history was made (kept in ``history_change_reason``)."""

    APP = "app", "in the app"
    ADMIN = "admin", "in the admin"
    IMPORT = "import", "by an import"
    COMMAND = "command", "by a command on the server"


# history_user is emptied when an account is deleted, and never set by a command that names no
# account: say which plainly, never "None" or "Deleted user (pk=None)".
NO_LONGER_HERE = "someone no longer with the team"
NO_ACCOUNT = "no account (a command on the server)"


def change_source_label(reason: str | None) -> str:
    """Where a change was made, in words; a reason of its own ("Password set") as written."""
    if not reason:
        return "not recorded"
    return ChangeSource(reason).label if reason in ChangeSource.values else reason


def changed_by(user, reason: str | None) -> str:
    """Who made a change of the audit history, by display name."""
    if user is not None:
        return display_name(user)
    return NO_ACCOUNT if reason == ChangeSource.COMMAND else NO_LONGER_HERE


def change_source() -> ChangeSource:
    """Where the change being made now comes from; for bulk writes, which send no signal."""
    request = getattr(HistoricalRecords.context, "request", None)
    path = getattr(request, "path", None)
    if path is None:
        # No web request, or only the user that ``history_user`` puts in its place.
        return ChangeSource.COMMAND
    return ChangeSource.ADMIN if path.startswith(reverse("admin:index")) else ChangeSource.APP


def record_change_source(sender, history_instance, **kwargs) -> None:
    """Receiver of simple-history's ``pre_create_historical_record``: note where the change
    was made, unless it says why already. Imports write theirs in bulk, which sends no signal:
    they pass ``default_change_reason=ChangeSource.IMPORT``."""
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = change_source()


def connect_change_source() -> None:
    pre_create_historical_record.connect(record_change_source, dispatch_uid="ufm_change_source")


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
