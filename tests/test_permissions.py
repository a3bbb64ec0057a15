"""Who may do what: the permissions of interviews/permissions.py, the roles that hold them, the
superuser who holds them all, and what reading them costs."""

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from interviews import permissions
from interviews.services import sessions as services
from interviews.services.accounts import account_set_role
from tests.factories import UserFactory, complete_session
from ufm.roles import Role, permission_defined, role_label

CUSTOM = {
    name: value
    for name, value in vars(permissions).items()
    if name.isupper() and isinstance(value, str)
}

# Who holds each permission the app checks by name.
# fmt: off
HOLDERS = {
    permissions.ENTER_INTERVIEWS:   {Role.INTERVIEWER},
    permissions.USE_ADMIN:          {Role.ANALYST, Role.COORDINATOR},
    permissions.IMPORT_INTERVIEWS:  {Role.ANALYST, Role.COORDINATOR},
    permissions.VIEW_EVERY_SESSION: {Role.COORDINATOR},
    permissions.REOPEN_SESSION:     {Role.COORDINATOR},
    permissions.DISCARD_SESSION:    {Role.COORDINATOR},
    permissions.REVIEW_IDENTIFIERS: {Role.COORDINATOR},
    permissions.RECORD_WITHDRAWAL:  {Role.COORDINATOR},
    permissions.UNLOCK_LOCKOUT:     {Role.COORDINATOR},
    permissions.VIEW_CONSENT:       {Role.INTERVIEWER, Role.COORDINATOR},
    permissions.VIEW_WITHDRAWAL:    {Role.COORDINATOR},
    permissions.DESIGN_EVALUATION:  {Role.COORDINATOR},
}
# fmt: on


def test_every_name_is_a_permission_a_model_defines():
    for name in CUSTOM.values():
        app_label, codename = name.split(".")
        assert permission_defined(apps, app_label, codename), name


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CUSTOM.values()))
def test_each_role_holds_what_it_may_do(name, interviewer, analyst, coordinator):
    users = {Role.INTERVIEWER: interviewer, Role.ANALYST: analyst, Role.COORDINATOR: coordinator}
    assert {role for role, user in users.items() if user.has_perm(name)} == HOLDERS[name]


@pytest.mark.django_db
def test_a_superuser_holds_every_permission_and_no_one_else_without_a_role():
    root = UserFactory(is_superuser=True, is_staff=True)
    nobody = UserFactory()
    for name in CUSTOM.values():
        assert root.has_perm(name)
        assert not nobody.has_perm(name)
        assert not AnonymousUser().has_perm(name)


@pytest.fixture
def verified(interviewer, partner):
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    services.session_submit(session=session, user=interviewer)
    services.session_verify(session=session, user=partner)
    return session


@pytest.mark.django_db
def test_a_superuser_offered_to_reopen_a_record_may_reopen_it(client, verified):
    """The link was shown to superusers while the reopen page answered them 403."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    change = client.get(reverse("admin:interviews_interviewsession_change", args=[verified.pk]))
    link = re.search(r'<a href="([^"]+)">Reopen this record</a>', change.content.decode())
    assert link, "no Reopen link"
    assert client.get(link[1]).status_code == 200
    response = client.post(link[1], {"note": "The site was wrong."})
    assert response.status_code == 302
    verified.refresh_from_db()
    assert verified.status == verified.Status.DRAFT


@pytest.mark.django_db
def test_a_superuser_still_lands_on_the_home_page_with_the_admin_linked(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert reverse("admin:index") in response.content.decode()


@pytest.mark.django_db
def test_roles_and_permissions_are_read_once_for_the_request(
    django_assert_num_queries, coordinator
):
    user = type(coordinator).objects.get(pk=coordinator.pk)  # nothing read yet
    with django_assert_num_queries(1):
        assert role_label(user) == "Coordinator"
        assert user.has_perm(permissions.REOPEN_SESSION)
        assert not user.has_perm(permissions.ENTER_INTERVIEWS)
        assert user.has_module_perms("themes")


@pytest.mark.django_db
def test_a_new_role_brings_its_permissions_at_once(interviewer):
    assert interviewer.has_perm(permissions.ENTER_INTERVIEWS)
    account_set_role(account=interviewer, role=Role.COORDINATOR)
    assert role_label(interviewer) == "Coordinator"
    assert not interviewer.has_perm(permissions.ENTER_INTERVIEWS)
    assert interviewer.has_perm(permissions.REOPEN_SESSION)
