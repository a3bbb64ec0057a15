from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.http import require_http_methods

from interviews.views import offline
from ufm import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        # LoginView answers PUT as it answers POST: only the methods a log-in form sends.
        login_not_required(
            require_http_methods(["GET", "HEAD", "POST"])(
                auth_views.LoginView.as_view(
                    template_name="registration/login.html", redirect_authenticated_user=True
                )
            )
        ),
        name="login",
    ),
    path("logout/", offline.log_out, name="logout"),
    # At the root: a service worker's scope is the path it is served from and below.
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/", offline.offline, name="offline"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("interviews/", include("interviews.urls")),
    path("admin/", admin.site.urls),
]

# The error pages: ufm/error_pages.py (CSRF_FAILURE_VIEW in the settings is its neighbour).
handler400 = "ufm.error_pages.bad_request"
handler403 = "ufm.error_pages.permission_denied"
handler404 = "ufm.error_pages.page_not_found"
handler500 = "ufm.error_pages.server_error"
