"""The account admin: coordinators manage accounts by role, and nothing else about them.

They give an account a username, a display name, one role, active or not, and a password;
never superuser or staff status, groups or single permissions, however the form is forged.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    TEST_PASSWORD,
    AnalystFactory,
    CoordinatorFactory,
    InterviewerFactory,
    UserFactory,
)
from ufm.roles import Role

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "a-long-enough-passphrase"
CHANGELIST = reverse("admin:auth_user_changelist")
ADD = reverse("admin:auth_user_add")


def change_url(user) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def password_url(user) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def forged() -> dict:
    """Every field of the stock user form that our forms leave out, set to grant everything.

    ``date_joined`` and ``last_login`` are there because the stock form needs them: without
    them it would refuse the post and a test of it could never fail."""
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [g.pk for g in Group.objects.all()],
        "user_permissions": [Permission.objects.get(codename="delete_user").pk],
        "last_name": "Forged",
        "email": "forged@example.org",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "10:00:00",
    }


def change_data(user, **fields) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name or "Sam",
        "role": Role.INTERVIEWER,
        "is_active": "on",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def add_data(**fields) -> dict:
    data = {
        "username": "sam_p",
        "first_name": "Sam P",
        "role": Role.INTERVIEWER,
        "is_active": "on",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def roles(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def assert_no_privileges(user) -> None:
    user.refresh_from_db()
    assert not user.is_superuser
    assert not user.user_permissions.exists()
    assert user.last_name == "" and user.email == ""


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


# --- forged posts ---------------------------------------------------------------------------


def test_a_forged_change_grants_nothing(client, coordinator, interviewer):
    client.force_login(coordinator)
    data = {**change_data(interviewer, first_name="Kim"), **forged()}
    response = client.post(change_url(interviewer), data)
    assert response.status_code == 302, response.content.decode()
    assert_no_privileges(interviewer)
    assert interviewer.first_name == "Kim"
    assert not interviewer.is_staff
    assert roles(interviewer) == [Role.INTERVIEWER]


def test_coordinators_cannot_make_themselves_superusers(client, coordinator):
    client.force_login(coordinator)
    data = {**change_data(coordinator, role=Role.COORDINATOR), **forged()}
    client.post(change_url(coordinator), data)
    assert_no_privileges(coordinator)
    assert roles(coordinator) == [Role.COORDINATOR]


def test_a_forged_add_grants_nothing(client, coordinator):
    client.force_login(coordinator)
    response = client.post(ADD, {**add_data(), **forged()})
    assert response.status_code == 302, response.content.decode()
    account = User.objects.get(username="sam_p")
    assert_no_privileges(account)
    assert not account.is_staff
    assert roles(account) == [Role.INTERVIEWER]


def test_the_forms_offer_only_the_account_fields(client, coordinator, interviewer):
    client.force_login(coordinator)
    for url in (ADD, change_url(interviewer)):
        html = client.get(url).content.decode()
        for name in ("is_superuser", "is_staff", "groups", "user_permissions", "email"):
            assert f'name="{name}"' not in html, (url, name)
        assert "Display name" in html
        assert 'name="role"' in html


# --- superuser accounts are the command line's ------------------------------------------------


def test_coordinators_never_see_superuser_accounts(client, coordinator, superuser):
    client.force_login(coordinator)
    assert "root" not in client.get(CHANGELIST).content.decode()
    history = superuser.history.earliest()
    for url in (
        change_url(superuser),
        password_url(superuser),
        reverse("admin:auth_user_history", args=[superuser.pk]),
        reverse("admin:auth_user_simple_history", args=[superuser.pk, history.history_id]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {**change_data(superuser), **forged()}).status_code == 404, url
    response = client.post(password_url(superuser), {"password1": "x", "password2": "x"})
    assert response.status_code == 404
    superuser.refresh_from_db()
    assert superuser.check_password(TEST_PASSWORD)


# --- adding and changing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "is_staff"),
    [(Role.INTERVIEWER, False), (Role.ANALYST, True), (Role.COORDINATOR, True)],
)
def test_coordinators_add_an_account_with_one_role(client, coordinator, role, is_staff):
    client.force_login(coordinator)
    response = client.post(ADD, add_data(role=role))
    assert response.status_code == 302
    account = User.objects.get(username="sam_p")
    assert account.first_name == "Sam P"
    assert account.is_active
    assert account.is_staff is is_staff
    assert roles(account) == [role]
    assert account.check_password(NEW_PASSWORD)
    assert account.history.latest().history_user == coordinator


def test_changing_the_role_moves_admin_access_with_it(client, coordinator, interviewer):
    client.force_login(coordinator)
    client.post(change_url(interviewer), change_data(interviewer, role=Role.ANALYST))
    interviewer.refresh_from_db()
    assert roles(interviewer) == [Role.ANALYST]
    assert interviewer.is_staff
    client.post(change_url(interviewer), change_data(interviewer, role=Role.INTERVIEWER))
    interviewer.refresh_from_db()
    assert roles(interviewer) == [Role.INTERVIEWER]
    assert not interviewer.is_staff


def test_the_history_says_who_changed_the_role_and_the_active_flag(
    client, coordinator, interviewer
):
    client.force_login(coordinator)
    before = interviewer.history.count()
    client.post(
        change_url(interviewer), change_data(interviewer, role=Role.ANALYST, is_active=None)
    )
    latest = interviewer.history.latest()
    assert latest.history_user == coordinator
    assert latest.is_active is False
    assert [g.group.name for g in latest.groups.all()] == [Role.ANALYST]
    # One row for the change, not one per group removed and added.
    assert interviewer.history.count() == before + 1
    page = client.get(reverse("admin:auth_user_history", args=[interviewer.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert coordinator.username in html
    assert "Analyst" in html


def test_logging_in_adds_nothing_to_the_history(client, interviewer):
    before = interviewer.history.count()
    client.post(reverse("login"), {"username": interviewer.username, "password": TEST_PASSWORD})
    interviewer.refresh_from_db()
    assert interviewer.last_login is not None
    assert interviewer.history.count() == before


def test_the_history_keeps_no_password_hashes(coordinator):
    assert "password" not in {f.name for f in coordinator.history.model._meta.fields}


def test_coordinators_cannot_take_away_their_own_role(client, coordinator):
    client.force_login(coordinator)
    response = client.post(change_url(coordinator), change_data(coordinator, role=Role.ANALYST))
    assert response.status_code == 200
    assert "You cannot change your own role" in response.content.decode()
    coordinator.refresh_from_db()
    assert roles(coordinator) == [Role.COORDINATOR]
    assert coordinator.is_staff


def test_coordinators_cannot_deactivate_themselves(client, coordinator):
    client.force_login(coordinator)
    data = change_data(coordinator, role=Role.COORDINATOR, is_active=None)
    response = client.post(change_url(coordinator), data)
    assert response.status_code == 200
    assert "You cannot deactivate your own account" in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_coordinators_may_change_other_coordinators(client, coordinator):
    other = CoordinatorFactory()
    client.force_login(coordinator)
    client.post(change_url(other), change_data(other, role=Role.ANALYST, is_active=None))
    other.refresh_from_db()
    assert roles(other) == [Role.ANALYST]
    assert not other.is_active


def test_usernames_never_change(client, coordinator, interviewer):
    # Exports and imports name interviewers by username.
    client.force_login(coordinator)
    client.post(change_url(interviewer), change_data(interviewer, username="someone_else"))
    interviewer.refresh_from_db()
    assert interviewer.username.startswith("interviewer")


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "SAM_P"}, "An account called"),
        ({"role": None}, "Choose the role"),
        ({"role": "superhero"}, "Choose the role"),
        ({"first_name": ""}, "Enter the name"),
        ({"password1": "123", "password2": "123"}, "too short"),
        ({"password2": "something-else-entirely"}, "password fields didn"),
        ({"username": "x" * 200}, "at most 150"),
        ({"username": "no spaces please"}, "Enter a valid username"),
    ],
)
def test_bad_input_on_add_says_what_is_wrong_and_saves_nothing(
    client, coordinator, fields, message
):
    UserFactory(username="sam_p")
    client.force_login(coordinator)
    count = User.objects.count()
    response = client.post(ADD, add_data(**{"username": "new_one", **fields}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == count


def test_a_bad_role_on_change_saves_nothing(client, coordinator, interviewer):
    client.force_login(coordinator)
    data = change_data(interviewer, first_name="Changed", role="superhero")
    response = client.post(change_url(interviewer), data)
    assert response.status_code == 200
    assert "Choose the role" in response.content.decode()
    interviewer.refresh_from_db()
    assert interviewer.first_name == ""


# --- set password ----------------------------------------------------------------------------


def test_coordinators_set_a_password(client, coordinator, interviewer):
    client.force_login(coordinator)
    page = client.get(password_url(interviewer)).content.decode()
    assert 'name="usable_password"' not in page  # set a password; never switch log-in off
    response = client.post(
        password_url(interviewer), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    interviewer.refresh_from_db()
    assert interviewer.check_password(NEW_PASSWORD)
    latest = interviewer.history.latest()
    assert latest.history_user == coordinator
    assert latest.history_change_reason == "Password set"


def test_a_weak_password_is_refused_with_a_message(client, coordinator, interviewer):
    client.force_login(coordinator)
    response = client.post(password_url(interviewer), {"password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    interviewer.refresh_from_db()
    assert interviewer.check_password(TEST_PASSWORD)


def test_the_change_page_links_to_set_password(client, coordinator, interviewer):
    client.force_login(coordinator)
    html = client.get(change_url(interviewer)).content.decode()
    assert f'href="{password_url(interviewer)}"' in html


# --- who may do it ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_analysts_may_not_manage_accounts(client, analyst, interviewer, method):
    client.force_login(analyst)
    for url in (CHANGELIST, ADD, change_url(interviewer), password_url(interviewer)):
        data = {**change_data(interviewer, role=Role.COORDINATOR), **forged()}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 403, url
    interviewer.refresh_from_db()
    assert roles(interviewer) == [Role.INTERVIEWER]


@pytest.mark.parametrize("method", ["get", "post"])
def test_interviewers_and_anonymous_visitors_are_sent_to_log_in(client, interviewer, method):
    target = InterviewerFactory()
    for who in (None, interviewer):
        if who:
            client.force_login(who)
        for url in (CHANGELIST, ADD, change_url(target), password_url(target)):
            response = getattr(client, method)(url)
            assert response.status_code == 302, url
            assert "login" in response.url


def test_accounts_are_never_deleted_in_the_admin(client, coordinator, interviewer):
    client.force_login(coordinator)
    url = reverse("admin:auth_user_delete", args=[interviewer.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=interviewer.pk).exists()


def test_groups_are_not_in_the_admin(client, coordinator):
    # The three roles are fixed by migration: nobody edits what a role may do.
    client.force_login(coordinator)
    group = Group.objects.get(name=Role.ANALYST)
    for url in ("/admin/auth/group/", f"/admin/auth/group/{group.pk}/change/"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "analyst", "permissions": []}).status_code == 404


# --- the list --------------------------------------------------------------------------------


def changelist_queries(client, query: str = "") -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CHANGELIST + query)
        assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_list_shows_display_names_and_roles_in_a_pinned_number_of_queries(client, coordinator):
    client.force_login(coordinator)
    InterviewerFactory(first_name="Sam P")
    one, _ = changelist_queries(client)
    for _ in range(10):
        AnalystFactory()
        InterviewerFactory()
    many, html = changelist_queries(client)
    # login session, user, their roles and permissions (ufm.roles.RoleBackend) (3); count of
    # the filtered and of all accounts (2); the page of accounts with their role by subquery
    # (1). The session is not saved again within its minute (ufm.session_refresh).
    assert one == many == 6
    assert "Sam P" in html and "Interviewer" in html and "Analyst" in html


def test_the_list_filters_by_role(client, coordinator):
    InterviewerFactory(username="only_interviewer")
    AnalystFactory(username="only_analyst")
    client.force_login(coordinator)
    _, html = changelist_queries(client, "?role=analyst")
    assert "only_analyst" in html and "only_interviewer" not in html


def test_the_history_page_takes_a_pinned_number_of_queries(client, coordinator, interviewer):
    client.force_login(coordinator)
    url = reverse("admin:auth_user_history", args=[interviewer.pk])
    counts = []
    for role in (Role.ANALYST, Role.COORDINATOR, Role.INTERVIEWER, Role.ANALYST):
        client.post(change_url(interviewer), change_data(interviewer, role=role))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    # login session, user, their roles and permissions (3); the account, twice (ours for the
    # 404, then the view's); count of versions, the page of versions with who made each, their
    # groups, the groups' names (4). The session is not saved again within its minute.
    assert counts == [9] * 4


def test_the_history_shows_each_change_of_role(client, coordinator, interviewer):
    client.force_login(coordinator)
    client.post(change_url(interviewer), change_data(interviewer, role=Role.ANALYST))
    html = client.get(reverse("admin:auth_user_history", args=[interviewer.pk])).content.decode()
    assert re.search(r"Role.*?Interviewer.*?Analyst", html, re.S)


def test_a_past_version_cannot_be_saved_back(client, coordinator):
    """Reverting is off (SIMPLE_HISTORY_REVERT_DISABLED): the version page is for reading,
    and a POST to it changes nothing, forged privileges included."""
    client.force_login(coordinator)
    version = coordinator.history.latest()
    url = reverse("admin:auth_user_simple_history", args=[coordinator.pk, version.history_id])
    page = client.get(url).content.decode()
    assert 'name="role"' not in page
    data = {**change_data(coordinator, role=Role.INTERVIEWER), "_change_history": "1"}
    response = client.post(url, {**data, **forged()})
    assert response.status_code == 403
    assert_no_privileges(coordinator)
    assert roles(coordinator) == [Role.COORDINATOR]


def test_accounts_made_before_the_history_get_a_first_version_with_their_role(coordinator):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("interviews.migrations.0006_account_history")
    coordinator.history.all().delete()  # as if made before the history existed
    migration.record_existing_accounts(apps, None)
    (first,) = coordinator.history.all()
    assert first.history_user is None
    assert first.is_staff and first.username == coordinator.username
    assert [row.group.name for row in first.historicaluser_groups_set.all()] == ["coordinator"]
    migration.record_existing_accounts(apps, None)  # only for accounts without a history
    assert coordinator.history.count() == 1


# --- the change page says when they last logged in and whether they are locked out ---------


def test_the_change_page_says_never_logged_in_and_not_locked(client, coordinator, interviewer):
    client.force_login(coordinator)
    text = client.get(change_url(interviewer)).content.decode()
    assert "Last log-in" in text and "Never" in text
    assert "Not locked" in text


def test_the_change_page_says_when_they_last_logged_in(client, coordinator, interviewer):
    interviewer.last_login = timezone.make_aware(datetime.datetime(2018, 4, 12, 14, 5))
    interviewer.save(update_fields=["last_login"])
    client.force_login(coordinator)
    assert "12 April 2018, 14:05" in client.get(change_url(interviewer)).content.decode()


def test_the_change_page_says_an_account_is_locked_out_and_where_to_unlock_it(
    client, settings, coordinator, interviewer
):
    from tests.test_lockout import VICTIM, lock_out

    lock_out(client, settings, interviewer, REMOTE_ADDR=VICTIM)
    client.force_login(coordinator)
    text = client.get(change_url(interviewer)).content.decode()
    assert "Locked out after too many wrong passwords" in text
    unlock_page = reverse("admin:interviews_loginlockout_changelist")
    assert f"{unlock_page}?q={interviewer.username}" in text
    assert "Not locked" not in text
