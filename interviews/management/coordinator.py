"""The coordinator a design command records in the audit history (its --user option)."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from interviews import permissions


def add_user_argument(parser) -> None:
    parser.add_argument(
        "--user",
        help="the coordinator's username, recorded in the history as who made the change "
        "(left empty when not given)",
    )


def coordinator_named(username: str | None):
    """The active coordinator called ``username``; None when no name is given."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"--user: there is no active account called '{username}'.")
    if not user.has_perm(permissions.DESIGN_EVALUATION):
        raise CommandError(f"--user: '{username}' is not a coordinator.")
    return user
