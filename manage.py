#!/usr/bin/env python
import os
import secrets
import sys

# Commands that only compare the models with the migrations: they sign, serve and store
# nothing, so on a checkout without a SECRET_KEY they run with a key made for this run alone.
# Everything else still refuses to start without a real key (ufm/settings.py).
KEYLESS_COMMANDS = {"makemigrations"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ufm.settings")
    if sys.argv[1:2] and sys.argv[1] in KEYLESS_COMMANDS and not os.environ.get("SECRET_KEY"):
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
