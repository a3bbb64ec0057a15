"""The interviews app's config: it also has every audit-history row note where it was made."""

from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ufm.history import connect_change_source

        connect_change_source()
