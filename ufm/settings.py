"""Settings for UFM Interviews, read from the environment (see README, "Environment variables")."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from ufm.secret_key import DEVELOPMENT_KEY, secret_key_problem

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not DEBUG and (problem := secret_key_problem(SECRET_KEY)):
    # A guessable key lets anyone forge sessions: never run in production with one.
    raise ImproperlyConfigured(problem)
SECRET_KEY = SECRET_KEY or DEVELOPMENT_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ufm.apps.UFMAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "interviews",
    "themes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and authentication: a NUL in the session cookie is refused, not looked up.
    "ufm.middleware.RefuseNulMiddleware",
    # A busy database is a 503 "try again" (JSON for autosave), not a 500; see ufm/busy.py.
    "ufm.busy.BusyDatabaseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Moves a session's expiry on at most once a minute, not with a write per request.
    "ufm.session_refresh.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication (see django-axes docs).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ufm.urls"
WSGI_APPLICATION = "ufm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ufm.context_processors.roles",
            ],
        },
    },
]

# Unset: an SQLite file in the project folder. Set: e.g. postgres://user:pass@host:5432/ufm.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # secure_delete: what is deleted (a withdrawal) is overwritten with zeros, not left in
        # the file's free pages; SQLite builds differ in whether this is on by default.
        # WAL: readers never wait for the writer, so one device's page view does not wait
        # for the other's autosave.
        "init_command": "PRAGMA secure_delete = ON; PRAGMA journal_mode = WAL",
        # Two devices saving at once: a deferred transaction that reads and then writes cannot
        # wait for the other's lock (SQLite answers "database is locked" at once to avoid a
        # deadlock); one that takes the write lock when it begins just waits its turn.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests get a file, not the in-memory default: with an in-memory database the browser
    # tests' live server shares the test's own connection across threads, and a check made by
    # the test while the page is still saving can trip over the server's transaction.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the app's queries are short or are counts the planner overrates, and
    # compiling one cost seconds of CPU that autosaves were waiting for (bench/RESULTS.md).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The analysis home's and quotes list's counts (themes.counts_cache): numbers, labels and
    # links only, filed under the database's counts stamp, so never out of date. In files, so
    # that the web processes of one machine count once between them, not once each.
    "counts": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        # The project's own folder, not a shared temporary one: the files are unpickled,
        # so nobody else may write there.
        "LOCATION": os.environ.get("COUNTS_CACHE_DIR", str(BASE_DIR / "var" / "counts-cache")),
        # Kept no longer than this even when nothing changes: a bound on memory, not on
        # freshness, which the stamp gives.
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

# The theme-count summary is PostgreSQL's triggers' to fill: never dumped or loaded.
DATABASE_ROUTERS = ["themes.routers.ThemeCountSummaryRouter"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ufm.roles.RoleBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after this many idle minutes: a shared CMHT computer must not stay logged in.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = False  # ufm.session_refresh moves the expiry on
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_FAILURE_VIEW = "ufm.error_pages.csrf_failure"
CSRF_COOKIE_HTTPONLY = False  # the autosave script reads the token from the cookie
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Everything the pages need is vendored under static/: no outside origin is ever allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Lock an account and address out after repeated failed log-ins.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
# The pair, never the username alone: anyone could then lock anyone out from anywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# How many proxies (the load balancer) stand between the internet and the app. Behind them every
# request comes from a proxy's address, so the lock-out would count everyone as one person;
# ufm/client_address.py reads the client's address from X-Forwarded-For instead, and only then.
_proxies = os.environ.get("TRUSTED_PROXY_COUNT", "0").strip() or "0"
if not _proxies.isdecimal():
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT must be a whole number (0, 1, 2…), not {_proxies!r}."
    )
TRUSTED_PROXY_COUNT = int(_proxies)
AXES_CLIENT_IP_CALLABLE = "ufm.client_address.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# The admin's history pages show past versions; nobody reverts to one from there (a revert
# would bypass the services that write through the pages). See ufm.admin.HistoryAdmin.
SIMPLE_HISTORY_REVERT_DISABLED = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names need `collectstatic`; development and tests skip it.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The largest request body a page may send (autosave posts are far smaller).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(
    os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024))
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Imports (ufm/import_rows.py): the largest file taken, and where a checked file waits for
# "Import" (ufm/pending_imports.py): never in the session, and outside the web root.
IMPORT_MAX_MEGABYTES = int(os.environ.get("IMPORT_MAX_MEGABYTES", "20"))
IMPORT_DIR = os.environ.get("IMPORT_DIR") or str(BASE_DIR / "var" / "imports")
