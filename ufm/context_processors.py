from django.http import HttpRequest

from ufm.roles import Role, has_role, role_label


def roles(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_role_label": role_label(user),
        "user_is_interviewer": has_role(user, Role.INTERVIEWER),
        "user_uses_admin": has_role(user, Role.ANALYST, Role.COORDINATOR) or user.is_superuser,
    }
