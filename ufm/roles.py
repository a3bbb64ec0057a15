"""The three roles of the app (each a Group holding its permissions), and the auth backend
that reads a user's roles and permissions together."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import models

from ufm.compiled_queries import CompiledQuery


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


def _roles_and_permissions_of(user_pk: int):
    """The user's own permissions, then each of their groups' names with each of its
    permissions: (app label, codename, group name or ""), a group without any with None."""
    own = (
        Permission.objects.filter(user=user_pk)
        .annotate(group_name=models.Value("", output_field=models.CharField()))
        .values_list("content_type__app_label", "codename", "group_name")
        .order_by()  # a UNION's parts cannot be ordered
    )
    by_group = (
        Group.objects.filter(user=user_pk)
        .values_list("permissions__content_type__app_label", "permissions__codename", "name")
        .order_by()
    )
    return own.union(by_group, all=True)


# Every request reads it: written once per process, not built anew each time.
_ROLES_AND_PERMISSIONS = CompiledQuery(_roles_and_permissions_of)


def _read_roles_and_permissions(user) -> None:
    """Set ``user._ufm_roles`` and Django's ``user._perm_cache`` from one query."""
    permissions, groups = set(), set()
    for app_label, codename, group in _ROLES_AND_PERMISSIONS.rows(user.pk):
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


# Granting the roles their permissions, for each app's migrations and reference data.


def migrate_permissions(apps, permissions: dict[str, list[str]], *, app_labels) -> None:
    """For a migration (RunPython): make the permissions that exist at this point, then give
    the roles theirs. Django makes permissions only after all migrations have run, so a
    migration that grants one must make it first."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_permissions(apps, permissions, app_labels=app_labels)


def grant_permissions(apps, permissions: dict[str, list[str]], *, app_labels) -> None:
    """Give the roles (Groups, made when missing) the permissions ``permissions`` lists for
    them, for the apps ``app_labels`` only: each app grants its own share, and the others'
    stay as they are. The permissions must exist already.

    The migration that first made the roles ran before some models and permissions existed: a
    permission that no model of ``apps`` defines yet is left out, and the migration that adds
    it calls this again. A permission that is defined but missing is a mistake, and fails.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in permissions.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for name in names:
            app_label, codename = name.split(".")
            try:
                perms.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            except Permission.DoesNotExist:
                if permission_defined(apps, app_label, codename):
                    raise
        # Only the permissions of the apps given: each app grants its own share of a role.
        others = group.permissions.exclude(content_type__app_label__in=app_labels)
        group.permissions.set([*others, *perms])


def permission_defined(apps, app_label: str, codename: str) -> bool:
    """Whether a model of ``apps`` (the models as they stand at this migration) defines the
    permission: one of Django's four, or one of its Meta.permissions."""
    for model in apps.get_app_config(app_label).get_models():
        opts = model._meta
        defined = {f"{action}_{opts.model_name}" for action in opts.default_permissions}
        defined |= {name for name, _ in opts.permissions}
        if codename in defined:
            return True
    return False
