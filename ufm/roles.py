"""The three roles of the app. Each is a Group (created by a migration) holding its permissions."""

from django.db import models


class Role(models.TextChoices):
    INTERVIEWER = "interviewer", "Interviewer"
    ANALYST = "analyst", "Analyst"
    COORDINATOR = "coordinator", "Coordinator"


# Roles that may use the Django admin (interviewers never see it).
ADMIN_ROLES = frozenset({Role.ANALYST, Role.COORDINATOR})


def roles_of(user) -> frozenset[str]:
    """The user's role names, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_ufm_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        cached = frozenset(names)
        user._ufm_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def role_label(user) -> str:
    """The label shown in the header: the most senior role the user has."""
    names = roles_of(user)
    for role in (Role.COORDINATOR, Role.ANALYST, Role.INTERVIEWER):
        if role in names:
            return role.label
    return "Administrator" if getattr(user, "is_superuser", False) else "No role"
