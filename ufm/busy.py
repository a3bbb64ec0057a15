"""A busy database (another save holds the lock too long) answered as "try again", never a 500."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

logger = logging.getLogger("ufm.busy")

# How long the page, or the autosave script, waits before trying again.
RETRY_AFTER_SECONDS = 5

BUSY_MESSAGE = (
    "The database is busy with another save just now, so this was not saved yet. "
    "Nothing is lost: try again in a few seconds."
)

# SQLite's result codes (the low byte of an extended code): SQLITE_BUSY, another connection
# holds the write lock past the busy timeout; SQLITE_LOCKED, a table in this one is in use.
_SQLITE_BUSY_CODES = {5, 6}
# The same words, for a driver that does not carry the code (sqlite3 before Python 3.11).
_SQLITE_BUSY_WORDS = ("database is locked", "database table is locked")
# PostgreSQL: lock_not_available (lock_timeout), serialization_failure, deadlock_detected.
# Each means "another transaction was in the way"; the same request a moment later succeeds.
_POSTGRES_BUSY_STATES = {"55P03", "40001", "40P01"}


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` means "the database was busy", not any other operational failure
    (a missing table, a lost connection, a full disk: those stay 500s, and are seen)."""
    return _busy_error(error) is not None


def _busy_error(error: BaseException | None) -> OperationalError | None:
    # The errors a busy database led to count too: Django's session store answers it with
    # UpdateError, and the session middleware that with SessionInterrupted (a 400).
    seen: list[BaseException] = []
    while error is not None and len(seen) < 10 and error not in seen:
        seen.append(error)
        if isinstance(error, OperationalError) and (
            _says_busy(error) or (error.__cause__ is not None and _says_busy(error.__cause__))
        ):
            return error
        error = error.__cause__ or error.__context__
    return None


def _says_busy(error: BaseException) -> bool:
    # Django wraps the driver's error, keeping the driver's as the cause: its code is there.
    if getattr(error, "sqlstate", None) in _POSTGRES_BUSY_STATES:
        return True
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _SQLITE_BUSY_CODES
    return str(error).strip().lower() in _SQLITE_BUSY_WORDS


def wants_json(request: HttpRequest) -> bool:
    """The autosave script (and the admin's autocomplete) send or ask for JSON; pages do not."""
    return request.content_type == "application/json" or "application/json" in request.headers.get(
        "Accept", ""
    )


def busy_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """503 with Retry-After: JSON for scripts, a calm page for people.

    Rendered without the request's context: the context processors would read the database
    that is busy. Logged with the path and method only: the error's text is SQLite's or
    PostgreSQL's words about locks, never the request's data.
    """
    busy = _busy_error(error) or error
    logger.warning(
        "Database busy (%s.%s) on %s %s: answered 503",
        type(busy.__cause__ or busy).__module__,
        type(busy.__cause__ or busy).__name__,
        request.method,
        request.path,
    )
    if wants_json(request):
        response: HttpResponse = JsonResponse(
            {"error": BUSY_MESSAGE, "busy": True, "retry_after": RETRY_AFTER_SECONDS},
            status=503,
        )
    else:
        response = HttpResponse(
            render_to_string(
                "503.html",
                {
                    "retry_after": RETRY_AFTER_SECONDS,
                    "was_a_post": request.method == "POST",
                    "back_url": _way_back(request),
                },
            ),
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _way_back(request: HttpRequest) -> str | None:
    """The page to try again from: this address for a page view, the page that posted for a
    form (only when it is one of ours)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return None


class BusyDatabaseMiddleware:
    """Turns a busy database met by a view into ``busy_response``. What the other middleware
    meet (the session saved after the view) reaches Django's 400 and 500 handlers instead,
    which ask the same question: see ``ufm.error_pages``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_busy(exception):
            return busy_response(request, exception)
        return None
