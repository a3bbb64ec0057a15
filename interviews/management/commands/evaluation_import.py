"""`manage.py evaluation_import FILE.xlsx [--dry-run]`: stores an evaluation from its workbook."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interviews.management.coordinator import add_user_argument, coordinator_named
from interviews.services.evaluations import evaluation_import
from interviews.workbooks import WorkbookInvalid, read_workbook, size_check


class Command(BaseCommand):
    help = (
        "Create an evaluation from its workbook (shared/spec/evaluation.md), or update the one "
        "with its form_id while its codes are not frozen. Every problem is listed by sheet, "
        "row and column, and nothing is saved (exit 1) if there is any. --dry-run checks and "
        "says what would be done, saving nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The workbook (.xlsx).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report only; save nothing."
        )
        add_user_argument(parser)

    def handle(self, *args, file: str, dry_run: bool, user: str | None, **options) -> None:
        coordinator = coordinator_named(user)
        path = Path(file)
        try:
            size_check(path.stat().st_size)
            design = read_workbook(path.read_bytes())
            result = evaluation_import(design, dry_run=dry_run, user=coordinator)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except WorkbookInvalid as invalid:
            raise CommandError(
                f"The workbook has {len(invalid.problems)} problem(s), nothing was saved:\n"
                + "\n".join(invalid.lines())
            ) from invalid
        self.stdout.write(self.style.SUCCESS(result.summary))
