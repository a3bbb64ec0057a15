"""`manage.py evaluation_check FILE.xlsx`: reads an evaluation workbook and lists its problems."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interviews.workbooks import QuestionKind, WorkbookInvalid, read_workbook, size_check


class Command(BaseCommand):
    help = (
        "Check an evaluation workbook (shared/spec/evaluation.md) without saving anything: "
        "every problem is listed by sheet, row and column, and the command fails (exit 1) "
        "if there is any."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The workbook (.xlsx).")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        try:
            size_check(path.stat().st_size)
            design = read_workbook(path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except WorkbookInvalid as invalid:
            raise CommandError(
                f"The workbook has {len(invalid.problems)} problem(s):\n"
                + "\n".join(invalid.lines())
            ) from invalid
        questions = [q for q in design.questions() if q.kind != QuestionKind.NOTE]
        self.stdout.write(
            self.style.SUCCESS(
                f"The workbook is fine: {design.settings.form_id} "
                f"({design.settings.title}), {len(design.sections)} section(s), "
                f"{len(questions)} question(s), {len(design.consent)} consent statement(s), "
                f"{sum(len(t.subthemes) for t in design.codebook)} sub-theme(s)."
            )
        )
