"""The audit history of accounts: django-simple-history on ``auth.User``, kept in this app.

There is no custom user model, so the history is registered here rather than declared on the
model. It records who changed an account's display name, role (its group) or active flag, and
when. It keeps no password hashes, and a log-in (which saves only ``last_login``) is not
recorded as a change to the account.
"""

from __future__ import annotations

import simple_history
from django.contrib.auth import get_user_model
from simple_history.models import HistoricalRecords


class AccountHistory(HistoricalRecords):
    def post_save(self, instance, created, using=None, **kwargs) -> None:
        # Every log-in saves last_login and nothing else: a row per log-in would bury the
        # changes coordinators look for.
        if kwargs.get("update_fields") == frozenset({"last_login"}):
            return
        super().post_save(instance, created, using=using, **kwargs)


simple_history.register(
    get_user_model(),
    app="interviews",
    records_class=AccountHistory,
    # The role is the account's group: kept with each row, so the history shows role changes.
    m2m_fields=["groups"],
    excluded_fields=["password", "last_login"],
)
