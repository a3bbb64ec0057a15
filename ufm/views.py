"""The project's own pages: the start page, the health check and the favicon."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from interviews import permissions


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work is: interviewers to their interviews, the others
    to this page, which leads to the admin (or says they have no role yet)."""
    may_enter = request.user.has_perm(permissions.ENTER_INTERVIEWS)
    if may_enter and not admin.site.has_permission(request):
        return redirect("interviews:my_interviews")
    return render(request, "home.html")


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to: send them to the icon."""
    return redirect(static("favicon.svg"))
