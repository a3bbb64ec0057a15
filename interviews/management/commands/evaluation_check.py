"""`manage.py evaluation_check FILE.xlsx`: reads an evaluation workbook and lists its problems."""

from django.core.management.base import BaseCommand

from interviews.management.workbook_file import design_from_file
from interviews.workbooks import QuestionKind


class Command(BaseCommand):
    help = (
        "Check an evaluation workbook (shared/spec/evaluation.md) without saving anything: "
        "every problem is listed by sheet, row and column, and the command fails (exit 1) "
        "if there is any."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The workbook (.xlsx).")

    def handle(self, *args, file: str, **options) -> None:
        design = design_from_file(file)
        questions = [q for q in design.questions() if q.kind != QuestionKind.NOTE]
        self.stdout.write(
            self.style.SUCCESS(
                f"The workbook is fine: {design.settings.form_id} "
                f"({design.settings.title}), {len(design.sections)} section(s), "
                f"{len(questions)} question(s), {len(design.consent)} consent statement(s), "
                f"{sum(len(t.subthemes) for t in design.codebook)} sub-theme(s)."
            )
        )
