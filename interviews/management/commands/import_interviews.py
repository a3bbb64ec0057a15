"""`manage.py import_interviews`: interviews.csv into the database, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interviews.interview_import import interviews_import
from ufm.import_rows import FileTooLarge, ImportFailed, decode, size_check


class Command(BaseCommand):
    help = (
        "Import interviews.csv (exchange.md): each row becomes a verified interview with its "
        "consent, answers, quotes and demographics. All or nothing: every problem is listed "
        "and nothing is saved unless the whole file is right. Interviewer accounts must exist. "
        "Files over IMPORT_MAX_MEGABYTES (20 unless set) are refused."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The CSV file (UTF-8, with or without a BOM).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file without saving anything."
        )

    def handle(self, *args, file: str, dry_run: bool, **options) -> None:
        path = Path(file)
        try:
            size_check(path.stat().st_size)
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except FileTooLarge as error:
            raise CommandError(f"Nothing was imported. {error.message}") from error
        try:
            result = interviews_import(
                text=decode(data), file_name=path.name, user=None, dry_run=dry_run
            )
        except ImportFailed as failed:
            raise CommandError(
                "Nothing was imported. Problems:\n" + "\n".join(failed.lines())
            ) from failed
        if dry_run:
            self.stdout.write(f"The file is fine: {result.rows} interview(s) would be imported.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {result.rows} interview(s)."))
