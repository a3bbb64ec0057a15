"""`manage.py evaluation_export CODE --out FILE.xlsx`: writes a stored evaluation's workbook."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interviews.evaluation_design import design_from_db
from interviews.models import Evaluation
from interviews.workbooks import write_workbook


class Command(BaseCommand):
    help = (
        "Write an evaluation's workbook (shared/spec/evaluation.md) as it is stored: the same "
        "sheets and rows that evaluation_import read."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", help="The evaluation's code, e.g. loneliness-2018.")
        parser.add_argument("--out", required=True, help="The workbook to write (.xlsx).")

    def handle(self, *args, code: str, out: str, **options) -> None:
        evaluation = Evaluation.objects.filter(code=code).first()
        if evaluation is None:
            known = ", ".join(Evaluation.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"There is no evaluation '{code}' (there are: {known}).")
        data = write_workbook(design_from_db(evaluation))
        try:
            Path(out).write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}") from error
        self.stdout.write(self.style.SUCCESS(f"Wrote {evaluation.code} to {out}."))
