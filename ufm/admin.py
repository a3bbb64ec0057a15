from django.contrib import admin
from django.http import HttpRequest

from ufm.roles import ADMIN_ROLES, has_role


class UFMAdminSite(admin.AdminSite):
    site_header = "UFM Interviews administration"
    site_title = "UFM Interviews"
    index_title = "Analysis and coordination"

    def has_permission(self, request: HttpRequest) -> bool:
        """Only analysts and coordinators (and superusers) use the admin; interviewers never."""
        user = request.user
        return user.is_active and (
            user.is_superuser or (user.is_staff and has_role(user, *ADMIN_ROLES))
        )
