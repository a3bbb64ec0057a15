"""Accounts and their roles: creating and changing accounts, and the rules they keep.

``account_set_role`` is the one place that gives an account its role and, from it, admin
access; ``account_check`` holds the rules every change of an account must keep.
``manage.py adduser``, ``seed_demo`` and the account admin all call these.

An account has a username, a display name (kept in ``User.first_name``), one role and an
active flag. Superuser status, groups and single permissions are never set here: superusers
are made with ``manage.py createsuperuser`` only.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction

from ufm.history import history_by
from ufm.roles import ADMIN_ROLES, Role, forget_roles

ROLE_MESSAGE = "Choose the role: interviewer, analyst or coordinator."
SUPERUSER_MESSAGE = "Superuser accounts are managed from the command line, not here."
OWN_ROLE_MESSAGE = (
    "You cannot change your own role. Ask another coordinator, so that someone can always "
    "manage accounts."
)
OWN_ACTIVE_MESSAGE = (
    "You cannot deactivate your own account. Ask another coordinator, so that someone can "
    "always manage accounts."
)


def account_role(account) -> str | None:
    """The account's one role, or None (a superuser made from the command line has none)."""
    if account.pk is None:
        return None
    return account.groups.filter(name__in=Role.values).values_list("name", flat=True).first()


def account_check(*, account=None, username: str, role: str, is_active: bool, by=None) -> None:
    """Raise a ValidationError, by field, if the change breaks a rule. ``account`` is None for
    a new account; ``by`` is who makes the change (None from the command line)."""
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = ROLE_MESSAGE
    if account is None:
        if get_user_model().objects.filter(username__iexact=username).exists():
            errors["username"] = f"An account called '{username}' already exists."
    elif account.is_superuser:
        errors["__all__"] = SUPERUSER_MESSAGE
    elif by is not None and by.pk == account.pk:
        # The last coordinator demoting or deactivating themselves would leave nobody able
        # to manage accounts; a coordinator who may be changed by others always remains.
        if role != account_role(account):
            errors["role"] = OWN_ROLE_MESSAGE
        if not is_active:
            errors["is_active"] = OWN_ACTIVE_MESSAGE
    if errors:
        raise ValidationError(errors)


def account_set_role(*, account, role: str) -> None:
    """Give a saved account its one role: its role group and, with it, whether it may use the
    admin (analysts and coordinators may; interviewers never). Saves the account."""
    if role not in Role.values:
        raise ValidationError({"role": ROLE_MESSAGE})
    account.is_staff = role in ADMIN_ROLES
    # The save below writes one history row holding the new group; without this, removing
    # the old group and adding the new one would write a row each.
    account.skip_history_when_saving = True
    try:
        account.groups.set([Group.objects.get(name=role)])
    finally:
        del account.skip_history_when_saving
    forget_roles(account)  # ufm.roles keeps the old role and its permissions on the object
    account.full_clean()
    account.save()


@history_by("by")
@transaction.atomic
def account_create(
    *,
    username: str,
    role: str,
    password: str,
    display_name: str = "",
    is_active: bool = True,
    by=None,
) -> AbstractBaseUser:
    """Create an account with one role and a password."""
    account_check(username=username, role=role, is_active=is_active, by=by)
    user = get_user_model()(username=username, first_name=display_name, is_active=is_active)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    account_set_role(account=user, role=role)
    return user


@history_by("by")
@transaction.atomic
def account_update(
    *, account, display_name: str, role: str, is_active: bool, by=None
) -> AbstractBaseUser:
    """Change an account's display name, role and active flag."""
    # Locked so that two coordinators changing the same account cannot interleave.
    account = get_user_model().objects.select_for_update().get(pk=account.pk)
    account_check(account=account, username=account.username, role=role, is_active=is_active, by=by)
    account.first_name = display_name
    account.is_active = is_active
    account_set_role(account=account, role=role)
    return account
