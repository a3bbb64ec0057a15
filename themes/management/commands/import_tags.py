"""`manage.py import_tags`: the tags of an edited quotes.csv, all or nothing."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from interviews.management.evaluation_option import (
    add_evaluation_argument,
    evaluation_from_options,
)
from themes import permissions
from themes.rounds.services import may_code
from themes.tag_import import tags_import
from ufm.import_rows import ImportFailed, command_error, command_text


class Command(BaseCommand):
    help = (
        "Import quotes.csv with its tags column edited: each listed quote's tags become the "
        "listed sub-theme codes (joined by ';'), recorded as made by --user. All or nothing. "
        "With --round NAME the tags go into that coding round instead, as --user's codings "
        "(the round is made, open, if there is none; a listed quote with an empty tags cell "
        "is coded 'none of these', a quote not listed is not coded); the project's tags are "
        "untouched. Files over IMPORT_MAX_MEGABYTES (20 unless set) are refused."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="quotes.csv as exported, tags edited (UTF-8).")
        parser.add_argument("--user", required=True, help="The analyst the tags are made by.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file without saving anything."
        )
        parser.add_argument(
            "--round",
            dest="round_name",
            metavar="NAME",
            help="Load the file as --user's codings in this coding round of the evaluation.",
        )
        add_evaluation_argument(parser)

    def handle(
        self, *args, file: str, user: str, dry_run: bool, round_name: str | None, **options
    ) -> None:
        analyst = get_user_model().objects.filter(username=user, is_active=True).first()
        if round_name is not None:
            round_name = round_name.strip()
            if not round_name:
                raise CommandError("--round needs the name of a coding round.")
            if analyst is None or not may_code(analyst):
                raise CommandError(f"'{user}' is not an active account that may code in rounds.")
        elif analyst is None or not analyst.has_perm(permissions.TAG_QUOTES):
            raise CommandError(f"'{user}' is not an active account that may tag quotes.")
        evaluation = evaluation_from_options(options)
        text = command_text(file)
        try:
            result = tags_import(
                text=text,
                user=analyst,
                dry_run=dry_run,
                evaluation=evaluation,
                round_name=round_name,
            )
        except ImportFailed as failed:
            raise command_error(failed) from failed
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        summary = f"{result.rows} quote(s): {result.added} tag(s) added, {result.removed} removed."
        if round_name is not None:
            summary = f"round '{round_name}', {summary}"
        if dry_run:
            self.stdout.write(f"The file is fine. It would change {summary}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported tags for {summary}"))
