"""Accounts and their roles."""

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from ufm.roles import ADMIN_ROLES, Role


@transaction.atomic
def account_create(*, username: str, role: str, password: str):
    """Create an active account with one role. Analysts and coordinators may use the admin."""
    if role not in Role.values:
        raise ValidationError(
            {"role": f"Unknown role '{role}'. Use one of: {', '.join(Role.values)}."}
        )
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"An account called '{username}' already exists."})
    user = User(username=username, is_active=True, is_staff=role in ADMIN_ROLES)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user
