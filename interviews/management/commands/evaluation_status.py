"""`manage.py evaluation_status CODE {analysing,closed,collecting}`: an evaluation moves on."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from interviews.management.coordinator import add_user_argument, coordinator_named
from interviews.models import Evaluation
from interviews.services.evaluation_status import evaluation_status_change

CHOICES = [Evaluation.Status.COLLECTING, Evaluation.Status.ANALYSING, Evaluation.Status.CLOSED]


class Command(BaseCommand):
    help = (
        "Move a published evaluation on: 'analysing' stops new interviews (drafts may still be "
        "finished and checked), 'closed' ends it, 'collecting' starts interviews again while "
        "it is analysed. Publish a design with evaluation_publish."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", help="The evaluation's code.")
        parser.add_argument("status", choices=[str(c) for c in CHOICES])
        add_user_argument(parser)

    def handle(self, *args, code: str, status: str, user: str | None, **options) -> None:
        coordinator = coordinator_named(user)
        evaluation = Evaluation.objects.filter(code=code).first()
        if evaluation is None:
            raise CommandError(f"There is no evaluation '{code}'.")
        try:
            evaluation = evaluation_status_change(
                evaluation=evaluation, status=status, user=coordinator
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(f"{code} is now {evaluation.get_status_display().lower()}.")
        )
