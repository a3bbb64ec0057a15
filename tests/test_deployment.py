"""docker-compose.yml, the env example and the settings agree; settings refuse unsafe starts."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from ufm.secret_key import DEVELOPMENT_KEY, MAKE_ONE, secret_key_problem

ROOT = Path(settings.BASE_DIR)
SETTINGS_SOURCE = (ROOT / "ufm" / "settings.py").read_text()
# dj_database_url.config() reads DATABASE_URL; the rest are read by name.
VARIABLES_READ = {"DATABASE_URL"} | set(
    re.findall(r"""(?:environ\.get|env_bool|env_list)\(\s*["'](\w+)["']""", SETTINGS_SOURCE)
)


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgres_16_with_a_named_volume_and_healthcheck():
    db = compose()["services"]["db"]
    assert db["image"] == "postgres:16"
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose()["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_compose_web_runs_migrations_then_gunicorn_on_port_8000():
    web = compose()["services"]["web"]
    assert "migrate" in web["command"]
    assert "gunicorn -c gunicorn.conf.py" in web["command"]
    assert web["command"].index("migrate") < web["command"].index("gunicorn")
    assert web["ports"] == ["8000:8000"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["env_file"] == ".env"


def test_compose_and_env_example_only_set_variables_the_settings_read():
    web = compose()["services"]["web"]
    assert set(web["environment"]) <= VARIABLES_READ
    assert "DATABASE_URL" in web["environment"]
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    example = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert example - {"POSTGRES_PASSWORD"} <= VARIABLES_READ
    assert {"SECRET_KEY", "ALLOWED_HOSTS"} <= example


def test_dj_database_url_is_read_by_the_settings():
    assert "dj_database_url.config" in SETTINGS_SOURCE
    assert "DATABASE_URL" in (ROOT / "README.md").read_text()


def test_gunicorn_port_matches_compose():
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)
    assert namespace["bind"].endswith(":8000")
    assert namespace["wsgi_app"] == "ufm.wsgi:application"


def import_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "ufm.settings", **env},
        capture_output=True,
        text=True,
    )


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = import_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def manage(*args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_the_migrations_check_runs_without_a_key_and_nothing_else_does():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    refused = manage("check")
    assert refused.returncode != 0
    assert "SECRET_KEY must be set" in refused.stderr


def test_settings_start_with_a_secret_key_or_in_debug():
    assert import_settings(SECRET_KEY=secrets.token_urlsafe(50)).returncode == 0
    assert import_settings(DEBUG="1").returncode == 0


def env_example_key() -> str:
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith("SECRET_KEY="):
            return line.split("=", 1)[1]
    raise AssertionError(".env.example has no SECRET_KEY")


def test_settings_refuse_the_env_examples_placeholder_and_say_how_to_make_a_key():
    result = import_settings(SECRET_KEY=env_example_key())
    assert result.returncode != 0
    assert "placeholder" in result.stderr
    assert 'python -c "import secrets; print(secrets.token_urlsafe(50))"' in result.stderr


def test_a_weak_key_is_accepted_in_debug_only():
    assert import_settings(SECRET_KEY="short", DEBUG="1").returncode == 0


STRONG = secrets.token_urlsafe(50)
WEAK_KEYS = {
    "placeholder": "change-me-" + STRONG,
    "changeme": "CHANGEME" + STRONG,
    "change_me": "please_change_me_" + STRONG,
    "the word placeholder": "placeholder" + STRONG,
    "insecure": STRONG + "-insecure",
    "django's startproject prefix": "django-insecure-" + STRONG,
    "the built-in development key": DEVELOPMENT_KEY,
    "49 characters": STRONG[:49],
    "4 distinct characters": "abcd" * 20,
    "one character": "x" * 60,
}


@pytest.mark.parametrize("key", WEAK_KEYS.values(), ids=WEAK_KEYS.keys())
def test_weak_keys_are_refused(key):
    problem = secret_key_problem(key)
    assert problem is not None
    assert MAKE_ONE in problem


# The keys the project's own scripts start the app with, DEBUG off.
SCRIPTS = ["ufm/pytest_env.py", "bench/run.py", "bench/generate.py", "tests/test_backup_restore.py"]


@pytest.mark.parametrize("path", SCRIPTS)
def test_the_keys_of_the_projects_own_scripts_pass(path):
    keys = re.findall(r"""["']SECRET_KEY["'],?:?\s*["']([^"']+)["']""", (ROOT / path).read_text())
    assert keys, path
    for key in keys:
        assert secret_key_problem(key) is None, (path, key)


def test_the_generated_keys_of_ci_bench_and_the_image_pass():
    # .ci/run and the Dockerfile make one with the command the message gives.
    for path in (".ci/run", "Dockerfile"):
        assert "secrets.token_urlsafe(50)" in (ROOT / path).read_text(), path
    assert secret_key_problem(secrets.token_urlsafe(50)) is None
    # bench/load.py's fallback, when SECRET_KEY is not already set.
    assert secret_key_problem("bench-" * 10) is None


def test_the_readme_documents_every_variable_the_settings_read():
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in VARIABLES_READ if f"`{name}`" not in readme]
    assert not missing


def test_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.TIME_ZONE == "Europe/London"
