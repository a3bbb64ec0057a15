"""Loaded by pytest (``-p ufm.pytest_env``) before Django reads its settings.

The suite runs with DEBUG off, as production does, so it needs a key of its own.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("STATIC_MANIFEST", "0")
