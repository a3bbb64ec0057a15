"""The rule for a SECRET_KEY good enough to run with DEBUG off."""

from __future__ import annotations

import re

MAKE_ONE = 'python -c "import secrets; print(secrets.token_urlsafe(50))"'
MIN_LENGTH = 50
MIN_DISTINCT = 5
# Words of keys copied from an example instead of made: .env.example's "change-me-…",
# Django's "django-insecure-…" of startproject. Compared without case, "-", "_" or spaces.
PLACEHOLDER_WORDS = ("changeme", "placeholder", "insecure")
# DEBUG only: it is in the repository for anyone to read.
DEVELOPMENT_KEY = "development-only-key-never-use-in-production-0123456789abcdefghijkl"


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` must not sign sessions in production, with how to make one; None if fine.

    Anyone who knows or guesses the key can forge a log-in as any coordinator.
    """
    squashed = re.sub(r"[-_\s]", "", key.lower())
    if not key:
        problem = "SECRET_KEY must be set when DEBUG is off."
    elif key == DEVELOPMENT_KEY or any(word in squashed for word in PLACEHOLDER_WORDS):
        problem = "SECRET_KEY is a placeholder or an example, not a key of your own."
    elif len(key) < MIN_LENGTH:
        problem = f"SECRET_KEY is {len(key)} characters long: it needs at least {MIN_LENGTH}."
    elif len(set(key)) < MIN_DISTINCT:
        problem = f"SECRET_KEY has fewer than {MIN_DISTINCT} different characters."
    else:
        return None
    return f"{problem} Make one with: {MAKE_ONE}"
