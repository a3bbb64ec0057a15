"""The coordinators' view of log-in lock-outs (``LogInLockout``, a proxy of django-axes's
attempts)."""

from __future__ import annotations

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone


class LogInLockoutQuerySet(models.QuerySet):
    def with_status(self) -> LogInLockoutQuerySet:
        """Each record with ``failures``, the failed log-ins that still count for its username
        from its address, and ``locked``, whether they lock it out now.

        django-axes keeps one record per username, address and browser, and locks the username
        from that address when the records' failures within the cool-off add up to the limit:
        so the sum is over the pair's records, not this record alone, or changing browser
        would hide a lock.
        """
        pair = AccessAttempt.objects.filter(
            username=OuterRef("username"), ip_address=OuterRef("ip_address")
        )
        cool_off = get_cool_off()
        if cool_off is not None:
            pair = pair.filter(attempt_time__gte=timezone.now() - cool_off)
        total = pair.values("username").annotate(total=Sum("failures_since_start"))
        return self.annotate(
            failures=Coalesce(Subquery(total.values("total")), 0),
            locked=ExpressionWrapper(
                Q(failures__gte=settings.AXES_FAILURE_LIMIT), output_field=BooleanField()
            ),
        )


class LogInLockout(AccessAttempt):
    """Failed log-ins for one username from one address, as django-axes records them: what
    coordinators see to unlock someone, and the permission to do it."""

    objects = LogInLockoutQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = "log-in lock-out"
        verbose_name_plural = "log-in lock-outs"
        permissions = [
            ("unlock_loginlockout", "Can unlock an account locked out after failed log-ins")
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address}"


# Accounts keep an audit history too; registered on import, like the models above.
from interviews import account_history  # noqa: E402, F401
