"""The error pages (400, 403, 404, 500, a failed CSRF check): the app's look, or the admin's."""

from __future__ import annotations

import sys

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from ufm.busy import busy_response, is_busy

ADMIN_PAGES = {
    403: (
        "You cannot do this here",
        "Your account is not allowed to open this page. If you think it should be, ask a "
        "coordinator.",
    ),
    404: (
        "We cannot find that page",
        "The address may be mistyped, or the record may have been deleted.",
    ),
    "csrf": (
        "This page had expired",
        "For safety, a form stops working when you log out, log in again, or leave the page "
        "open for a long time. Nothing from this form was saved: go back, reload the page and "
        "try again.",
    ),
}


def _in_the_admin(request: HttpRequest) -> bool:
    # Staff only: an interviewer who types an admin address is shown the app's page, the one
    # whose links lead somewhere they may go.
    user = getattr(request, "user", None)
    return request.path.startswith(reverse("admin:index")) and bool(user and user.is_staff)


def _admin_page(
    request: HttpRequest, kind: int | str, status: int, reason: str = ""
) -> HttpResponse:
    heading, explanation = ADMIN_PAGES[kind]
    context = {
        **admin.site.each_context(request),
        "title": heading,
        "explanation": reason or explanation,
    }
    return render(request, "admin/error_page.html", context, status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _in_the_admin(request):
        return _admin_page(request, 404, 404)
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The app's PermissionDenied messages are written for the person refused; Django's own
    # carry none, and the page then gives a general reason.
    reason = str(exception)
    if _in_the_admin(request):
        return _admin_page(request, 403, 403, reason)
    return render(request, "403.html", {"exception": reason}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW. Django's ``reason`` is for developers and is not shown."""
    if _in_the_admin(request):
        return _admin_page(request, "csrf", 403)
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # A busy database while the session was saved after the view: Django calls that a 400
    # ("the session was deleted"), but nothing was wrong with the request.
    if is_busy(exception):
        return busy_response(request, exception)
    # Without the request, as Django's own: it may be the request that is wrong (its host).
    return HttpResponse(render_to_string("400.html"), status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """A 500, or the busy page when the error was the database being busy outside a view (in
    other middleware): Django calls this while the exception is being handled."""
    error = sys.exc_info()[1]
    if error is not None and is_busy(error):
        return busy_response(request, error)
    # Static: no request and no context processors, which may be what failed.
    return HttpResponse(render_to_string("500.html"), status=500)
