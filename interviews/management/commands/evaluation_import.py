"""`manage.py evaluation_import FILE.xlsx [--dry-run]`: stores an evaluation from its workbook."""

from django.core.management.base import BaseCommand

from interviews.management.coordinator import add_user_argument, coordinator_named
from interviews.management.workbook_file import design_from_file, problems_error
from interviews.services.evaluations import evaluation_import
from interviews.workbooks import WorkbookInvalid

NOTHING_SAVED = ", nothing was saved"


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
        design = design_from_file(file, outcome=NOTHING_SAVED)
        try:
            result = evaluation_import(design, dry_run=dry_run, user=coordinator)
        except WorkbookInvalid as invalid:  # codes the stored evaluation has frozen
            raise problems_error(invalid, outcome=NOTHING_SAVED) from invalid
        self.stdout.write(self.style.SUCCESS(result.summary))
