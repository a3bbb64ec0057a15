"""`manage.py maintenance`: the hourly clean-up of what must not linger (sessions, import files)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from ufm.pending_imports import pending_imports_purge


class Command(BaseCommand):
    help = (
        "The app's hourly clean-up; run it every hour (cron, or a scheduled "
        "`docker compose exec web python manage.py maintenance`). It deletes expired log-in "
        "sessions (Django's clearsessions: otherwise they stay in the database for good) and "
        "removes files checked for an import that were left waiting for Import over an hour. "
        "Safe to run at any time, as often as you like."
    )

    def handle(self, *args, **options) -> None:
        call_command("clearsessions")
        removed = pending_imports_purge()
        self.stdout.write(
            f"Expired sessions deleted; {removed} import file(s) left waiting removed."
        )
