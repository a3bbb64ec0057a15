"""The admin site's app config: our site class, and our account admin in place of Django's."""

from django.contrib.admin.apps import AdminConfig


class UFMAdminConfig(AdminConfig):
    default_site = "ufm.admin.UFMAdminSite"

    def ready(self) -> None:
        super().ready()  # finds every app's admin.py, django.contrib.auth's among them
        # account_admin replaces the user and group admin that django.contrib.auth has just
        # registered; session_refresh's log-in receiver must be there before any request.
        from ufm import account_admin, session_refresh  # noqa: F401
