"""`manage.py import_interviews`: interviews.csv into the database, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand

from interviews.interview_import import interviews_import
from interviews.management.evaluation_option import (
    add_evaluation_argument,
    evaluation_from_options,
)
from ufm.import_rows import ImportFailed, command_error, command_text


class Command(BaseCommand):
    help = (
        "Import an evaluation's interviews.csv (exchange.md; its columns follow the evaluation's "
        "questions): each row becomes a verified interview with its consent, answers, ticks "
        "and quotes. All or nothing: every problem is listed "
        "and nothing is saved unless the whole file is right. Interviewer accounts must exist. "
        "Files over IMPORT_MAX_MEGABYTES (20 unless set) are refused."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The CSV file (UTF-8, with or without a BOM).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file without saving anything."
        )
        add_evaluation_argument(parser)

    def handle(self, *args, file: str, dry_run: bool, **options) -> None:
        evaluation = evaluation_from_options(options)
        text = command_text(file)
        try:
            result = interviews_import(
                text=text,
                file_name=Path(file).name,
                evaluation=evaluation,
                user=None,
                dry_run=dry_run,
            )
        except ImportFailed as failed:
            raise command_error(failed) from failed
        if dry_run:
            self.stdout.write(f"The file is fine: {result.rows} interview(s) would be imported.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {result.rows} interview(s)."))
