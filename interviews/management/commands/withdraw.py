"""`manage.py withdraw`: a participant withdraws; the same service as the coordinators' page."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from interviews.management.evaluation_option import (
    add_evaluation_argument,
    evaluation_from_options,
)
from interviews.participant_codes import participant_code_find, participant_code_normalise
from interviews.permissions import RECORD_WITHDRAWAL
from interviews.services.withdrawal import (
    participant_withdraw,
    withdrawal_check,
    withdrawal_preview,
)


class Command(BaseCommand):
    help = (
        "Withdraw a participant: delete their coded answers, ticks, quotes, tags and every copy "
        "in the audit history, keeping the participant code, the consent record and the "
        "withdrawal. Without --yes it only shows what would be deleted. The same service as the "
        "coordinators' withdrawal page."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("participant_code", help="for example LSI-023")
        parser.add_argument(
            "--date", required=True, help="the date the participant withdrew, YYYY-MM-DD"
        )
        parser.add_argument("--how", required=True, help="how the participant asked to withdraw")
        parser.add_argument(
            "--yes", action="store_true", help="really withdraw (otherwise only show what)"
        )
        parser.add_argument(
            "--user",
            help="the coordinator's username, recorded as who withdrew the participant "
            "(left empty when not given)",
        )
        add_evaluation_argument(parser)

    def handle(self, *args, participant_code: str, date: str, how: str, yes: bool, user, **options):
        try:
            withdrawal_date = datetime.date.fromisoformat(date)
        except ValueError as error:
            raise CommandError(f"--date: give the date as YYYY-MM-DD (got '{date}').") from error
        if not how.strip():
            raise CommandError("--how: say how the participant asked to withdraw.")
        recorded_by = self._coordinator(user) if user else None
        evaluation = evaluation_from_options(options)
        code = participant_code_normalise(participant_code)
        session, problem = participant_code_find(code)
        if problem:
            raise CommandError(problem)
        # Codes are unique across evaluations today; the option makes sure of whose it is.
        if session.evaluation_id != evaluation.pk:
            raise CommandError(
                f"The interview with participant code {code} is not of evaluation "
                f"{evaluation.code}: check the code, or name its evaluation with --evaluation."
            )
        try:
            withdrawal_check(session=session, withdrawal_date=withdrawal_date)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        preview = withdrawal_preview(session, withdrawal_date=withdrawal_date)
        self.stdout.write(
            f"Participant {code}: interview on {session.interview_date:%Y-%m-%d}.\n"
            f"{'Deleting' if yes else 'Would delete'}: {_counted(preview.answers, 'answer')}, "
            f"{_counted(preview.ticks, 'tick')}, {_counted(preview.quotes, 'quote')}, "
            f"{_counted(preview.tags, 'tag')}, and {_counted(preview.history_rows, 'copy')} "
            "in the audit history.\n"
            "Kept: the participant code, the consent record and the withdrawal.\n"
            "Exports already made cannot be recalled."
        )
        if preview.memos_with_words:
            self.stdout.write(
                "Note: analysts' memos that repeat words of these quotes: "
                f"{preview.memos_with_words}. Memos are kept; each will say so on its page."
            )
        if preview.outside_window:
            self.stdout.write(
                f"Note: {preview.days_since_consent} days after consent; the consent form said "
                f"{preview.window_days} days."
            )
        if not yes:
            self.stdout.write("Nothing changed. Run again with --yes to withdraw.")
            return
        try:
            participant_withdraw(
                session=session,
                withdrawal_date=withdrawal_date,
                how_requested=how,
                recorded_by=recorded_by,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Participant {code} has withdrawn."))

    def _coordinator(self, username: str):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--user: there is no active account called '{username}'.")
        if not user.has_perm(RECORD_WITHDRAWAL):
            raise CommandError(f"--user: '{username}' is not a coordinator.")
        return user


def _counted(number: int, word: str) -> str:
    """ "1 tick", "2 ticks", "3 copies"."""
    if number == 1:
        return f"1 {word}"
    return f"{number} {word[:-1]}ies" if word.endswith("y") else f"{number} {word}s"
