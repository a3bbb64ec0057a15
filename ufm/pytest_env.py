"""Loaded by pytest (``-p ufm.pytest_env``) before Django reads its settings.

The suite runs with DEBUG off, as production does, so it needs a key of its own. Each run
keeps its counts (themes.counts_cache) in a folder of its own, made for it and readable by
nobody else: two runs side by side then never clear each other's.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-suite-only-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("STATIC_MANIFEST", "0")
if "COUNTS_CACHE_DIR" not in os.environ:
    os.environ["COUNTS_CACHE_DIR"] = tempfile.mkdtemp(prefix="ufm-counts-tests-")
    atexit.register(shutil.rmtree, os.environ["COUNTS_CACHE_DIR"], True)
