"""The themes app: the codebook, tagging and exports; its system check on PostgreSQL."""

from django.apps import AppConfig
from django.core import checks


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = "Themes and tagging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from themes.summary import check_summary_objects

        # A database check: run by migrate and by `manage.py check --database default`.
        checks.register(check_summary_objects, checks.Tags.database)
