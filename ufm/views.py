"""The project's own pages: the start page, the health check and the favicon."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from interviews import permissions
from ufm.roles import Role, roles_of


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work is: interviewers to their interviews, analysts
    (who tag quotes) to the analysis home, the others to this page, which leads to the admin
    (or says they have no role yet)."""
    uses_admin = admin.site.has_permission(request)
    if request.user.has_perm(permissions.ENTER_INTERVIEWS) and not uses_admin:
        return redirect("interviews:my_interviews")
    if Role.ANALYST in roles_of(request.user) and uses_admin:
        return redirect("admin:themes_analysis_home")
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
