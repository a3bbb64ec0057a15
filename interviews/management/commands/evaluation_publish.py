"""`manage.py evaluation_publish CODE`: an evaluation in design starts collecting; codes freeze."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from interviews.management.coordinator import add_user_argument, coordinator_named
from interviews.models import Evaluation
from interviews.services.evaluation_status import evaluation_publish


class Command(BaseCommand):
    help = (
        "Publish an evaluation that is being designed: it starts collecting interviews, and "
        "its codes can never change or disappear again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", help="The evaluation's code.")
        add_user_argument(parser)

    def handle(self, *args, code: str, user: str | None, **options) -> None:
        coordinator = coordinator_named(user)
        evaluation = Evaluation.objects.filter(code=code).first()
        if evaluation is None:
            raise CommandError(f"There is no evaluation '{code}'.")
        try:
            evaluation_publish(evaluation=evaluation, user=coordinator)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"{code} is published: it collects interviews now."))
