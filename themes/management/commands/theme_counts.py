"""manage.py theme_counts --check | --rebuild: PostgreSQL's theme-count summary table."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from themes import summary
from themes.services import theme_count_summary_rebuild


class Command(BaseCommand):
    help = (
        "PostgreSQL keeps every interview's tag counts in a summary table for theme_counts.csv, "
        "kept exact by triggers. --check compares it with a recount from the tags and fails on "
        "any difference; --rebuild recounts it (one transaction, safe at any time). On SQLite "
        "there is no such table: theme_counts.csv counts the tags directly."
    )

    def add_arguments(self, parser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--check",
            action="store_true",
            help="Compare the table with a recount; exit 1 and say what differs if it does.",
        )
        action.add_argument(
            "--rebuild", action="store_true", help="Recount the table from the tags."
        )

    def handle(self, *args, rebuild: bool, **options) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write(
                "The theme-count summary table is PostgreSQL's; this database "
                f"({connection.vendor}) has none, and theme_counts.csv counts the tags "
                "directly. Nothing to do."
            )
            return
        missing = summary.missing_objects()
        if missing:
            raise CommandError(f"{summary.missing_objects_message(missing)} {summary.MISSING_HINT}")
        comparison = (
            theme_count_summary_rebuild() if rebuild else summary.theme_count_summary_check()
        )
        for line in comparison.differences:
            self.stdout.write(line)
        if comparison.different > len(comparison.differences):
            self.stdout.write(f"… and {comparison.different - len(comparison.differences)} more.")
        size = f"{_many(comparison.rows, 'row')} for {_many(comparison.interviews, 'interview')}"
        if rebuild:
            fixed = (
                f"{comparison.different} were different" if comparison.different else "none changed"
            )
            self.stdout.write(
                self.style.SUCCESS(f"Recounted the theme-count summary: {size}; {fixed}.")
            )
        elif comparison.different:
            raise CommandError(
                f"{_many(comparison.different, 'row')} of the theme-count summary "
                f"{'differs' if comparison.different == 1 else 'differ'} from a recount from the "
                "tags. `manage.py theme_counts --rebuild` recounts the table."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"The theme-count summary matches a recount from the tags: {size}."
                )
            )


def _many(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"
