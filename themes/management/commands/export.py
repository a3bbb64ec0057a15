import sys

from django.core.management.base import BaseCommand, CommandError

from themes.exports import EXPORTS, ExportFilters, FilterError, export_stream
from themes.models import ExportRecord


class Command(BaseCommand):
    help = (
        "Write one of the CSV exports of exchange.md (interviews, quotes, counts, theme_counts) "
        "to a file or standard output: the same bytes as the download in the admin. Only "
        "verified interviews unless --include-unverified; withdrawn participants never."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=list(EXPORTS), help="Which file to export.")
        parser.add_argument("--out", metavar="FILE", help="Write here instead of standard output.")
        parser.add_argument(
            "--excel",
            action="store_true",
            help="Start with a UTF-8 byte-order mark so Excel reads accents and '£' right.",
        )
        parser.add_argument(
            "--include-unverified",
            action="store_true",
            help="Count and list interviews not yet verified too.",
        )
        parser.add_argument(
            "--where",
            action="append",
            default=[],
            metavar="VARIABLE=CODE",
            help="Only interviews with this demographic answer, e.g. borough=westminster. "
            'Repeat to combine filters with "and".',
        )

    def handle(self, *args, kind: str, out: str | None, excel: bool, **options) -> None:
        try:
            filters = ExportFilters.parse(
                include_unverified=options["include_unverified"], where=options["where"]
            )
        except FilterError as error:
            raise CommandError(str(error)) from error
        pieces = export_stream(
            kind=kind, filters=filters, excel=excel, user=None, channel=ExportRecord.Channel.COMMAND
        )
        if out:
            try:
                with open(out, "wb") as target:
                    for piece in pieces:
                        target.write(piece)
            except OSError as error:
                raise CommandError(f"Cannot write {out}: {error.strerror}") from error
            return
        target = self.stdout._out
        binary = getattr(target, "buffer", None)
        try:
            if binary is not None:
                # Bytes straight to a real standard output, whatever its locale's encoding.
                for piece in pieces:
                    binary.write(piece)
                binary.flush()
            else:
                for piece in pieces:
                    target.write(piece.decode("utf-8"))
        except BrokenPipeError:
            # The reader stopped early (e.g. `export quotes | head`): not an error of ours.
            sys.stderr.close()
