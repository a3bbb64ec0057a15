"""The pages' JavaScript that can be checked apart from a page, with ``node --test tests/js/``."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

TESTS = Path(__file__).parent / "js"


def test_the_javascript_tests_pass():
    node = shutil.which("node")
    if node is None:
        message = "node not found: install Node.js 18 or later to run tests/js/"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(
        [node, "--test", *sorted(str(path) for path in TESTS.glob("*.test.mjs"))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
