"""The three roles of the app (each a Group holding its permissions), and the auth backend
that reads a user's roles and permissions together."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import models


class Role(models.TextChoices):
    INTERVIEWER = "interviewer", "Interviewer"
    ANALYST = "analyst", "Analyst"
    COORDINATOR = "coordinator", "Coordinator"


# Roles that may use the Django admin (interviewers never see it).
ADMIN_ROLES = frozenset({Role.ANALYST, Role.COORDINATOR})


class RoleBackend(ModelBackend):
    """Django's ModelBackend, reading the user's permissions and roles in one query.

    Every page asks both (the header names the role, the checks ask ``has_perm``): Django's
    backend would read the user's own and their groups' permissions in two queries, and the
    role a third. Kept on the user object, as Django keeps its permission cache, for the
    request."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            _read_roles_and_permissions(user_obj)
        return user_obj._perm_cache


# Named where Django needs one backend (``UserManager.with_perm``): axes' is the other.
PERMISSIONS_BACKEND = f"{__name__}.RoleBackend"


def _read_roles_and_permissions(user) -> None:
    """Set ``user._ufm_roles`` and Django's ``user._perm_cache`` from one query: the user's own
    permissions, then each group's name with each of its permissions."""
    own = (
        Permission.objects.filter(user=user)
        .annotate(group_name=models.Value("", output_field=models.CharField()))
        .values_list("content_type__app_label", "codename", "group_name")
        .order_by()  # a UNION's parts cannot be ordered
    )
    by_group = (
        Group.objects.filter(user=user)
        .values_list("permissions__content_type__app_label", "permissions__codename", "name")
        .order_by()
    )
    permissions, groups = set(), set()
    for app_label, codename, group in own.union(by_group, all=True):
        if codename:  # a group without permissions comes with none
            permissions.add(f"{app_label}.{codename}")
        groups.add(group)
    if user.is_superuser:
        permissions = {
            f"{app_label}.{codename}"
            for app_label, codename in Permission.objects.values_list(
                "content_type__app_label", "codename"
            )
        }
    user._ufm_roles = frozenset(groups & set(Role.values))
    user._perm_cache = permissions


def forget_roles(user) -> None:
    """Drop what was read for ``user``, after its groups change."""
    for cached in ("_ufm_roles", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cached, None)


def roles_of(user) -> frozenset[str]:
    """The user's role names, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_ufm_roles"):
        _read_roles_and_permissions(user)
    return user._ufm_roles


def role_label(user) -> str:
    """The label shown in the header: the most senior role the user has."""
    names = roles_of(user)
    for role in (Role.COORDINATOR, Role.ANALYST, Role.INTERVIEWER):
        if role in names:
            return role.label
    return "Administrator" if getattr(user, "is_superuser", False) else "No role"
