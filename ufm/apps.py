from django.contrib.admin.apps import AdminConfig


class UFMAdminConfig(AdminConfig):
    default_site = "ufm.admin.UFMAdminSite"
