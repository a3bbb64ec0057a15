"""Accounts, roles, adduser, logging in and out."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from ufm.roles import Role

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a-long-enough-passphrase"


def test_the_three_roles_exist_with_permissions():
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions")}
    assert set(groups) >= set(Role.values)
    codenames = {name: {p.codename for p in g.permissions.all()} for name, g in groups.items()}
    assert "add_quote" in codenames["interviewer"]
    assert "add_tag" in codenames["analyst"]
    assert "change_quote" not in codenames["analyst"]
    assert "change_subtheme" in codenames["coordinator"]
    assert "change_subtheme" not in codenames["analyst"]


@pytest.mark.parametrize(
    ("role", "is_staff"),
    [("interviewer", False), ("analyst", True), ("coordinator", True)],
)
def test_adduser_creates_an_account_with_the_role(monkeypatch, role, is_staff):
    monkeypatch.setenv("UFM_PASSWORD", GOOD_PASSWORD)
    call_command("adduser", "sam", "--role", role)
    user = get_user_model().objects.get(username="sam")
    assert list(user.groups.values_list("name", flat=True)) == [role]
    assert user.is_staff is is_staff
    assert user.is_active
    assert user.check_password(GOOD_PASSWORD)


def test_adduser_gives_a_display_name(monkeypatch):
    monkeypatch.setenv("UFM_PASSWORD", GOOD_PASSWORD)
    call_command("adduser", "sam_p", "--role", "interviewer", "--display-name", "Sam P")
    user = get_user_model().objects.get(username="sam_p")
    assert user.first_name == "Sam P"
    assert not user.is_superuser
    assert user.history.latest().first_name == "Sam P"


def test_adduser_prompts_for_the_password_without_the_variable(monkeypatch):
    monkeypatch.delenv("UFM_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": GOOD_PASSWORD)
    call_command("adduser", "kim", "--role", "analyst")
    assert get_user_model().objects.get(username="kim").check_password(GOOD_PASSWORD)


def test_adduser_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("UFM_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("adduser", "sam", "--role", "interviewer")
    assert not get_user_model().objects.filter(username="sam").exists()


def test_adduser_refuses_an_existing_username(monkeypatch):
    monkeypatch.setenv("UFM_PASSWORD", GOOD_PASSWORD)
    call_command("adduser", "sam", "--role", "interviewer")
    with pytest.raises(CommandError, match="already exists"):
        call_command("adduser", "SAM", "--role", "analyst")


def test_adduser_refuses_an_unknown_role(monkeypatch):
    monkeypatch.setenv("UFM_PASSWORD", GOOD_PASSWORD)
    with pytest.raises(CommandError):
        call_command("adduser", "sam", "--role", "superhero")


def test_logging_in_and_out(client, interviewer):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Log in" in response.content
    response = client.post(
        reverse("login"), {"username": interviewer.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    response = client.get(reverse("home"), follow=True)
    assert f"Logged in as <strong>{interviewer.username}</strong> (Interviewer)" in (
        response.content.decode()
    )
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_gives_a_clear_message(client, interviewer):
    response = client.post(reverse("login"), {"username": interviewer.username, "password": "x"})
    assert response.status_code == 200
    assert b"The username or password is not right" in response.content


def test_repeated_failures_lock_the_account(client, interviewer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": interviewer.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": interviewer.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert b"Too many tries" in response.content
    assert b"locked for 15 minutes" in response.content


def test_the_lock_out_page_says_how_long_the_lock_lasts(client, interviewer, settings):
    settings.AXES_COOLOFF_TIME = 0.5  # hours
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": interviewer.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": interviewer.username, "password": "x"})
    assert b"locked for 30 minutes" in response.content


def test_the_header_shows_who_is_logged_in_and_their_role(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<strong>{coordinator.username}</strong> (Coordinator)" in html
    assert 'href="#main-content"' in html
    assert '<html lang="en-GB">' in html


def test_analysts_are_sent_to_the_analysis_home(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("admin:themes_analysis_home")


def test_interviewers_are_sent_to_their_interviews(client, interviewer):
    client.force_login(interviewer)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("interviews:my_interviews")


@pytest.mark.parametrize("fixture", ["analyst", "coordinator"])
def test_analysts_and_coordinators_reach_the_admin(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("admin:index")).status_code == 200


def test_interviewers_never_reach_the_admin(client, interviewer):
    interviewer.is_staff = True  # even if someone ticked "staff" by mistake
    interviewer.save()
    client.force_login(interviewer)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    ("fixture", "url"),
    [
        ("coordinator", "admin:interviews_site_changelist"),
        ("coordinator", "admin:interviews_consentformversion_changelist"),
        ("coordinator", "admin:themes_subtheme_changelist"),
        ("coordinator", "admin:themes_theme_changelist"),
        ("coordinator", "admin:auth_user_changelist"),
        ("analyst", "admin:interviews_interviewsession_changelist"),
        ("analyst", "admin:themes_tag_changelist"),
    ],
)
def test_the_admin_pages_of_each_role(client, request, fixture, url):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse(url)).status_code == 200


def test_analysts_cannot_edit_the_codebook(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("admin:themes_subtheme_add")).status_code == 403
