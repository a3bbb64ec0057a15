"""Unlocking an account that the log-in lock-out (django-axes) has locked, with a record of who."""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from interviews.models import LogInLockout
from interviews.permissions import UNLOCK_LOCKOUT


@transaction.atomic
def account_unlock(*, username: str | None, unlocked_by) -> int:
    """Clear the failed log-ins recorded for ``username`` from every address, so that they can
    log in again now, and record who did it in that account's admin history (or, for a
    username that is no account, against the lock-outs). Returns how many records went.

    A failure recorded while this runs is cleared with the rest, or counted afresh after it:
    either way nobody is left locked by a record the unlock did not see.
    """
    if not unlocked_by.has_perm(UNLOCK_LOCKOUT):
        raise PermissionDenied("Only coordinators can unlock an account.")
    if not username:
        # axes' reset with no username would clear every lock-out there is.
        raise ValidationError("Say whose account to unlock.")
    by_address = (
        AccessAttempt.objects.filter(username=username)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"))
        .order_by("ip_address")
    )
    tries = ", ".join(f"{row['failures']} from {row['ip_address']}" for row in by_address)
    cleared = reset(username=username)
    if not cleared:
        return 0
    message = f"Unlocked after too many failed log-ins ({tries})."
    account = get_user_model().objects.filter(username=username).first()
    if account is not None:
        # In the account's own audit history (ufm/account_history.py), beside its role and
        # password changes: a version that changes nothing but says why it was made.
        account._change_reason = message
        account._history_user = unlocked_by
        account.save(update_fields=["is_active"])
    else:
        LogEntry.objects.create(
            user=unlocked_by,
            content_type=ContentType.objects.get_for_model(LogInLockout, for_concrete_model=False),
            object_id=None,
            object_repr=username[:200],
            action_flag=CHANGE,
            change_message=message,
        )
    return cleared
