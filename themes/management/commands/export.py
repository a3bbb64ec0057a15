"""The ``export`` command: any export of exchange.md to a file or standard output."""

import sys
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError

from interviews.management.evaluation_option import (
    add_evaluation_argument,
    evaluation_from_options,
)
from themes.exports import EXPORTS, export_stream
from themes.exports_xlsx import WorkbookError, export_workbook
from themes.management.filter_options import add_filter_arguments, filters_from_options
from themes.models import CodingRound, ExportRecord
from themes.rounds.files import KIND as AGREEMENT
from themes.rounds.files import agreement_stream, agreement_workbook

PIECE_BYTES = 64 * 1024


class Command(BaseCommand):
    help = (
        "Write one of the exports of exchange.md (interviews, quotes, counts, theme_counts) "
        "to a file or standard output: the same file as the download in the admin; or "
        "agreement (agreement.csv of the coding round --round NAME: its kept figures once "
        "closed, else its codings now, which only this command shows while the round is "
        "open). Only "
        "verified interviews unless --include-unverified; withdrawn participants, and anyone "
        "who said no to a statement needed to take part, never."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=[*EXPORTS, AGREEMENT], help="Which file to export.")
        parser.add_argument(
            "--round",
            dest="round_name",
            metavar="NAME",
            help="With agreement: the coding round (of the evaluation) whose figures to write.",
        )
        add_evaluation_argument(parser)
        parser.add_argument("--out", metavar="FILE", help="Write here instead of standard output.")
        form = parser.add_mutually_exclusive_group()
        form.add_argument(
            "--excel",
            action="store_true",
            help="Start with a UTF-8 byte-order mark so Excel reads accents and '£' right.",
        )
        form.add_argument(
            "--xlsx",
            action="store_true",
            help="Write an Excel workbook instead of CSV: every cell text or a number, never "
            "a formula, codes never dates, and a sheet of labels. The safe choice for Excel.",
        )
        parser.add_argument(
            "--include-unverified",
            action="store_true",
            help="Count and list interviews not yet verified too.",
        )
        add_filter_arguments(
            parser, where_note=" counts.csv's base is then the interviews that match."
        )

    def handle(self, *args, kind: str, out: str | None, excel: bool, xlsx: bool, **options) -> None:
        evaluation = evaluation_from_options(options)
        if kind == AGREEMENT or options["round_name"] is not None:
            self._agreement(evaluation, kind, out, excel, xlsx, options)
            return
        filters = filters_from_options(
            options, evaluation=evaluation, include_unverified=options["include_unverified"]
        )
        target = self.stdout._out
        binary = getattr(target, "buffer", None)
        if xlsx and not out and binary is None:
            raise CommandError("A workbook is not text: write it to a file with --out FILE.")
        channel = ExportRecord.Channel.COMMAND
        if xlsx:
            try:
                workbook, _ = export_workbook(
                    kind=kind, filters=filters, user=None, channel=channel
                )
            except WorkbookError as error:
                raise CommandError(error.message) from error
            with workbook:
                self._write(iter(lambda: workbook.read(PIECE_BYTES), b""), out, target, binary)
        else:
            pieces = export_stream(
                kind=kind, filters=filters, excel=excel, user=None, channel=channel
            )
            self._write(pieces, out, target, binary)

    def _agreement(self, evaluation, kind: str, out, excel: bool, xlsx: bool, options) -> None:
        """agreement.csv of the round --round names: no other option of the row exports."""
        name = (options["round_name"] or "").strip()
        if kind != AGREEMENT:
            raise CommandError("--round goes with the agreement export only.")
        if not name:
            raise CommandError("export agreement needs --round NAME (the coding round).")
        if options["where"] or options["date_from"] or options["date_to"]:
            raise CommandError("export agreement takes no --where, --from or --to.")
        if options["include_unverified"]:
            raise CommandError("export agreement takes no --include-unverified.")
        coding_round = (
            CodingRound.objects.of(evaluation)
            .select_related("evaluation")
            .filter(name=name)
            .first()
        )
        if coding_round is None:
            known = ", ".join(
                CodingRound.objects.of(evaluation).order_by("name").values_list("name", flat=True)
            )
            raise CommandError(
                f"--round: there is no coding round '{name}' in {evaluation.code} "
                f"(there are: {known or 'none'})."
            )
        target = self.stdout._out
        binary = getattr(target, "buffer", None)
        channel = ExportRecord.Channel.COMMAND
        if xlsx:
            if not out and binary is None:
                raise CommandError("A workbook is not text: write it to a file with --out FILE.")
            workbook = agreement_workbook(coding_round=coding_round, user=None, channel=channel)
            with workbook:
                self._write(iter(lambda: workbook.read(PIECE_BYTES), b""), out, target, binary)
            return
        pieces = agreement_stream(
            coding_round=coding_round, excel=excel, user=None, channel=channel
        )
        self._write(pieces, out, target, binary)

    def _write(self, pieces: Iterator[bytes], out: str | None, target, binary) -> None:
        if out:
            try:
                with open(out, "wb") as file:
                    for piece in pieces:
                        file.write(piece)
            except OSError as error:
                raise CommandError(f"Cannot write {out}: {error.strerror}") from error
            return
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
