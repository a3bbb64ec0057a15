"""The filters of exchange.md as command options (``--where``, ``--from``, ``--to``), for every
command that writes a file of interviews: their arguments and their reading, in one place."""

from django.core.management.base import CommandError

from themes.export_filters import ExportFilters, FilterError


def add_filter_arguments(parser, *, where_note: str = "") -> None:
    """``--where VARIABLE=CODE`` (repeated: "and"), ``--from`` and ``--to`` (both days included).
    ``where_note``: a sentence the command adds to --where's help (what the filter changes)."""
    parser.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="VARIABLE=CODE",
        help="Only interviews with this answer to a demographic question of the "
        "evaluation (its code, then an answer code of it, e.g. borough=westminster; for a "
        "tick-all question: ticked it), or at this site (site=CODE, e.g. "
        f'site=pall_mall). Repeat to combine filters with "and".{where_note}',
    )
    parser.add_argument(
        "--from",
        dest="date_from",
        metavar="YYYY-MM-DD",
        help="Only interviews on or after this day (interview date, included).",
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        metavar="YYYY-MM-DD",
        help="Only interviews on or before this day (interview date, included); not before --from.",
    )


def filters_from_options(
    options: dict, *, evaluation, include_unverified: bool = False
) -> ExportFilters:
    """The filters the options ask for; CommandError with the reason when one is wrong."""
    try:
        return ExportFilters.parse(
            include_unverified=include_unverified,
            where=options["where"],
            date_from=options["date_from"],
            date_to=options["date_to"],
            evaluation=evaluation,
        )
    except FilterError as error:
        raise CommandError(str(error)) from error
