"""The ``report`` command: the report page's content as a Word document or a web page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interviews.management.evaluation_option import (
    add_evaluation_argument,
    evaluation_from_options,
)
from themes.management.filter_options import add_filter_arguments, filters_from_options
from themes.models import ExportRecord
from themes.report.files import report_file

KINDS = {".docx": "docx", ".html": "html", ".htm": "html"}


class Command(BaseCommand):
    help = (
        "Write the report of the verified interviews, as the report page shows it, to FILE: "
        "a Word document (.docx) or a web page (.html), by the file's extension. Small numbers "
        "are suppressed as on the page; quotes only of participants who agreed to be quoted; "
        "withdrawn participants never."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", metavar="FILE", required=True, help="FILE.docx or FILE.html.")
        add_evaluation_argument(parser)
        add_filter_arguments(parser)

    def handle(self, *args, out: str, **options) -> None:
        kind = KINDS.get(Path(out).suffix.lower())
        if kind is None:
            raise CommandError(
                f"--out must end in .docx (Word) or .html (a web page) (got '{out}')."
            )
        evaluation = evaluation_from_options(options)
        # A report is of verified interviews only.
        filters = filters_from_options(options, evaluation=evaluation)
        content, _ = report_file(
            kind=kind, filters=filters, user=None, channel=ExportRecord.Channel.COMMAND
        )
        try:
            Path(out).write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}") from error
        self.stdout.write(f"Wrote {out}.")
