"""Coordinators see who is locked out after failed log-ins and unlock them; nobody else may,
and every unlock is recorded in the account's history."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from interviews import reference_data
from interviews.models import LogInLockout
from interviews.services.lockouts import account_unlock
from tests.factories import TEST_PASSWORD, InterviewerFactory
from tests.test_lockout import ATTACKER, VICTIM, lock_out, log_in

pytestmark = pytest.mark.django_db

LIST = reverse("admin:interviews_loginlockout_changelist")


@pytest.fixture
def locked(client, settings, interviewer):
    """``interviewer``, locked out from their own address after too many wrong passwords."""
    lock_out(client, settings, interviewer, REMOTE_ADDR=VICTIM)
    return interviewer


def unlock(client, *attempts: AccessAttempt):
    return client.post(
        LIST, {"action": "unlock", "_selected_action": [attempt.pk for attempt in attempts]}
    )


def test_coordinators_see_who_is_locked_out(client, coordinator, locked, partner):
    log_in(client, partner, "wrong", REMOTE_ADDR=ATTACKER)  # one wrong password: not locked
    client.force_login(coordinator)
    response = client.get(LIST)
    assert response.status_code == 200
    rows = {row.username: row for row in response.context["cl"].result_list}
    # The right password, tried while locked out, counts as one more failure.
    assert (rows[locked.username].failures, rows[locked.username].locked) == (6, True)
    assert rows[locked.username].ip_address == VICTIM
    assert (rows[partner.username].failures, rows[partner.username].locked) == (1, False)
    html = response.content.decode()
    assert "Log-in lock-outs" in html
    assert "Unlock the selected accounts" in html


def test_the_list_can_show_only_those_locked_now(client, coordinator, locked, partner):
    log_in(client, partner, "wrong", REMOTE_ADDR=ATTACKER)
    client.force_login(coordinator)
    response = client.get(LIST, {"locked": "yes"})
    assert [row.username for row in response.context["cl"].result_list] == [locked.username]
    response = client.get(LIST, {"locked": "no"})
    assert [row.username for row in response.context["cl"].result_list] == [partner.username]


def test_locked_means_what_the_lock_out_does(client, settings, coordinator, interviewer):
    """Failures sent with different browsers are stored apart but count together, as axes
    counts them: the page must say locked exactly when the log-in page refuses."""
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, interviewer, "wrong", REMOTE_ADDR=VICTIM, HTTP_USER_AGENT=f"browser {n}")
    client.force_login(coordinator)
    assert not client.get(LIST, {"locked": "yes"}).context["cl"].result_list
    log_in(client, interviewer, "wrong", REMOTE_ADDR=VICTIM, HTTP_USER_AGENT="one more")
    client.force_login(coordinator)
    assert client.get(LIST, {"locked": "yes"}).context["cl"].result_count == 5
    assert log_in(client, interviewer, TEST_PASSWORD, REMOTE_ADDR=VICTIM) == 429


def test_a_lock_that_has_run_out_is_not_shown_as_locked(client, settings, coordinator, locked):
    AccessAttempt.objects.update(attempt_time="2020-01-01T00:00:00Z")
    client.force_login(coordinator)
    assert not client.get(LIST, {"locked": "yes"}).context["cl"].result_list
    assert log_in(client, locked, TEST_PASSWORD, REMOTE_ADDR=VICTIM) == 302


def test_a_coordinator_unlocks_and_the_person_can_log_in_again(client, coordinator, locked):
    client.force_login(coordinator)
    response = unlock(client, AccessAttempt.objects.get(username=locked.username))
    assert response.status_code == 302
    assert response.url == LIST
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"Unlocked {locked.username}: they can log in again now."]
    assert not AccessAttempt.objects.filter(username=locked.username).exists()
    client.logout()
    assert log_in(client, locked, TEST_PASSWORD, REMOTE_ADDR=VICTIM) == 302


def test_unlocking_clears_the_account_from_every_address(client, settings, coordinator, locked):
    lock_out(client, settings, locked, REMOTE_ADDR=ATTACKER)
    other = InterviewerFactory()
    lock_out(client, settings, other, REMOTE_ADDR=ATTACKER)
    client.force_login(coordinator)
    unlock(client, AccessAttempt.objects.get(username=locked.username, ip_address=VICTIM))
    assert not AccessAttempt.objects.filter(username=locked.username).exists()
    # Only the account chosen.
    assert AccessAttempt.objects.filter(username=other.username).exists()
    assert log_in(client, locked, TEST_PASSWORD, REMOTE_ADDR=ATTACKER) == 302


def test_an_unlock_is_recorded_in_the_accounts_history(client, coordinator, locked):
    client.force_login(coordinator)
    unlock(client, AccessAttempt.objects.get(username=locked.username))
    latest = locked.history.latest()
    assert latest.history_user == coordinator
    assert latest.history_change_reason == (
        f"Unlocked after too many failed log-ins (6 from {VICTIM})."
    )
    history = client.get(reverse("admin:auth_user_history", args=[locked.pk]))
    assert "Unlocked after too many failed log-ins" in history.content.decode()
    assert coordinator.username in history.content.decode()


def test_unlocking_a_username_that_is_no_account_is_recorded_too(coordinator):
    AccessAttempt.objects.create(
        username="nobody-by-this-name", ip_address=ATTACKER, failures_since_start=5
    )
    assert account_unlock(username="nobody-by-this-name", unlocked_by=coordinator) == 1
    entry = LogEntry.objects.get()
    assert (entry.user, entry.object_repr) == (coordinator, "nobody-by-this-name")
    assert entry.content_type.model_class() is LogInLockout


def test_the_service_refuses_an_empty_username_and_unlocks_nobody(coordinator, locked):
    # axes' own reset would clear every lock-out for an empty username.
    for username in ("", None):
        with pytest.raises(ValidationError, match="Say whose account to unlock"):
            account_unlock(username=username, unlocked_by=coordinator)
    assert AccessAttempt.objects.exists()
    assert not LogEntry.objects.exists()


def test_analysts_may_neither_see_nor_unlock(client, analyst, locked):
    client.force_login(analyst)
    assert client.get(LIST).status_code == 403
    assert unlock(client, AccessAttempt.objects.get()).status_code == 403
    assert AccessAttempt.objects.exists()


def test_interviewers_are_sent_to_the_admin_log_in(client, interviewer, locked):
    client.force_login(InterviewerFactory())
    for response in (client.get(LIST), unlock(client, AccessAttempt.objects.get())):
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login") + "?")
    assert AccessAttempt.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, locked):
    for response in (client.get(LIST), unlock(client, AccessAttempt.objects.get())):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?")
    assert AccessAttempt.objects.exists()


def test_coordinators_may_not_add_change_or_delete_lock_outs(client, coordinator, locked):
    client.force_login(coordinator)
    attempt = AccessAttempt.objects.get()
    failures = attempt.failures_since_start
    assert client.post(reverse("admin:interviews_loginlockout_add")).status_code == 403
    change = reverse("admin:interviews_loginlockout_change", args=[attempt.pk])
    assert client.post(change, {"failures_since_start": 0}).status_code == 403
    delete = reverse("admin:interviews_loginlockout_delete", args=[attempt.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.get().failures_since_start == failures


def test_the_list_takes_the_same_queries_however_many_are_locked(
    client, settings, coordinator, django_assert_num_queries
):
    def count_queries(locked_accounts: int) -> None:
        for _ in range(locked_accounts):
            AccessAttempt.objects.create(
                username=f"someone{AccessAttempt.objects.count()}",
                ip_address=ATTACKER,
                failures_since_start=settings.AXES_FAILURE_LIMIT,
            )
        client.force_login(coordinator)
        # 1 the session, 2 the user, 3 the user's roles and permissions (ufm.roles.RoleBackend),
        # 4 the count of the list, 5 the page of rows, each with its username-and-address
        # total (a subquery in the same statement)
        with django_assert_num_queries(5):
            assert client.get(LIST).status_code == 200

    count_queries(1)
    count_queries(30)


def test_the_lock_out_page_points_to_the_coordinators(client, settings, interviewer):
    lock_out(client, settings, interviewer, REMOTE_ADDR=VICTIM)
    response = client.post(
        reverse("login"),
        {"username": interviewer.username, "password": TEST_PASSWORD},
        REMOTE_ADDR=VICTIM,
    )
    assert "ask your coordinator to unlock it now" in response.content.decode()


def test_only_coordinators_hold_the_unlock_permission(coordinator, analyst, interviewer):
    assert coordinator.has_perm("interviews.unlock_loginlockout")
    assert coordinator.has_perm("interviews.view_loginlockout")
    for user in (analyst, interviewer):
        assert not user.has_perm("interviews.unlock_loginlockout")
        assert not user.has_perm("interviews.view_loginlockout")


def test_the_service_refuses_anyone_but_a_coordinator(analyst, locked):
    with pytest.raises(PermissionDenied, match="Only coordinators can unlock an account"):
        account_unlock(username=locked.username, unlocked_by=analyst)
    assert AccessAttempt.objects.exists()
    assert not LogEntry.objects.exists()


def test_roles_leave_out_only_permissions_not_defined_yet(monkeypatch):
    """The first migration of the roles ran before the lock-out model (and other permissions)
    existed; a later one grants them. A permission that is defined but missing still fails."""
    from django.apps import apps
    from django.contrib.auth.models import Permission

    monkeypatch.setitem(reference_data.PERMISSIONS, "coordinator", ["interviews.view_notyet"])
    reference_data.create_roles(apps)
    Permission.objects.filter(codename="view_site").delete()
    monkeypatch.setitem(reference_data.PERMISSIONS, "coordinator", ["interviews.view_site"])
    with pytest.raises(Permission.DoesNotExist):
        reference_data.create_roles(apps)


def test_every_permission_of_the_roles_is_defined_by_a_model():
    """So that a misspelt permission fails here, not silently at a migration."""
    from django.apps import apps

    from themes import reference_data as themes_data
    from ufm.roles import permission_defined

    for granted in (reference_data.PERMISSIONS, themes_data.PERMISSIONS):
        for names in granted.values():
            for name in names:
                app_label, codename = name.split(".")
                assert permission_defined(apps, app_label, codename), name


def test_each_app_grants_only_its_own_share_of_a_role():
    """The interviews app's grant leaves the themes permissions of a role as they are, and the
    other way round: each app names only its own permissions (the apps' boundary)."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from themes import reference_data as themes_data

    def labels(role):
        group = Group.objects.get(name=role)
        return set(group.permissions.values_list("content_type__app_label", flat=True))

    reference_data.create_roles(apps)
    themes_data.create_roles(apps)
    assert labels("coordinator") == {"auth", "interviews", "themes"}
    reference_data.create_roles(apps)
    assert "themes" in labels("analyst")
    themes_data.create_roles(apps)
    assert "interviews" in labels("analyst")
    for granted, app in ((reference_data.PERMISSIONS, "themes"), (themes_data.PERMISSIONS, "auth")):
        assert not any(name.startswith(f"{app}.") for names in granted.values() for name in names)
