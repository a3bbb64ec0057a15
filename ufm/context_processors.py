"""The header's data on every page: the role shown, and which sides of the app the user uses."""

from django.contrib import admin
from django.http import HttpRequest

from interviews import permissions
from ufm.roles import role_label


def roles(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_role_label": role_label(user),
        "user_is_interviewer": user.has_perm(permissions.ENTER_INTERVIEWS),
        "user_uses_admin": admin.site.has_permission(request),
    }
