"""``manage.py adduser``: an account with one role, through the same service as the admin."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from interviews.services.accounts import account_create
from ufm.roles import Role


class Command(BaseCommand):
    help = (
        "Create an account with one role. The password comes from the environment variable "
        "UFM_PASSWORD, or is asked for."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--display-name",
            default="",
            help="the name other people see on their pages, for example 'Sam P' "
            "(the username when left out)",
        )

    def handle(self, *args, username: str, role: str, display_name: str, **options) -> None:
        password = os.environ.get("UFM_PASSWORD")
        if not password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords are not the same.")
        try:
            account_create(
                username=username, role=role, password=password, display_name=display_name
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {role} account '{username}'."))
