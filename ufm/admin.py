from django.contrib import admin
from django.http import HttpRequest

from ufm.roles import ADMIN_ROLES, has_role


class UFMAdminSite(admin.AdminSite):
    site_header = "UFM Interviews administration"
    site_title = "UFM Interviews"
    index_title = "Analysis and coordination"
    index_template = "admin/ufm_index.html"

    def has_permission(self, request: HttpRequest) -> bool:
        """Only analysts and coordinators (and superusers) use the admin; interviewers never."""
        user = request.user
        return user.is_active and (
            user.is_superuser or (user.is_staff and has_role(user, *ADMIN_ROLES))
        )

    def index(self, request: HttpRequest, extra_context=None):
        """The admin index, with the pages that are not model lists (exports, imports, review
        lists) linked at the top: each ModelAdmin offering ``index_tasks(request)`` lists the
        ones this user may open."""
        tasks = []
        for model_admin in self._registry.values():
            if hasattr(model_admin, "index_tasks"):
                tasks += model_admin.index_tasks(request)
        return super().index(request, {**(extra_context or {}), "tasks": tasks})
