"""Browser tests: Playwright driving Debian's chromium (headless) against the live server.

Without chromium they are skipped with a message saying how to install it, except under
CI=true, where a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.in_flight import RequestsInFlight
from tests.factories import TEST_PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# alongside it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
# WCAG 2.2 AA, and everything below it.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = (
            f"chromium not found at {CHROMIUM}: install Debian's package with "
            "`apt-get install chromium` (or set CHROMIUM_PATH) to run the browser tests"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    # CI machines are shared and slow at times: wait longer before calling a page broken.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """The live server needs real commits: see ``reference_data`` in tests/conftest.py."""


@pytest.fixture(scope="session")
def requests_in_flight(live_server) -> RequestsInFlight:
    server = live_server.thread.httpd
    if not isinstance(server.get_app(), RequestsInFlight):
        server.set_app(RequestsInFlight(server.get_app()))
    return server.get_app()


@pytest.fixture
def new_context(browser, live_server, requests_in_flight):
    """Make browser contexts (one per person or device); all are closed after the test, and
    the requests they left running finish before the test's data is flushed."""
    contexts = []

    def make(**kwargs):
        kwargs.setdefault("viewport", {"width": 800, "height": 1280})  # a 10-inch tablet, portrait
        kwargs.setdefault("locale", "en-GB")
        kwargs.setdefault("timezone_id", "Europe/London")
        kwargs.setdefault("base_url", live_server.url)  # or a proxy in front of it
        context = browser.new_context(**kwargs)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    requests_in_flight.wait()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def log_in(page, user, password: str = TEST_PASSWORD) -> None:
    """Log in through the real log-in page, as a person would."""
    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def check_accessibility(page, name: str) -> None:
    """Screenshot the page for people to look at, then fail on any axe-core violation."""
    from axe_playwright_python.sync_playwright import Axe

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def check_state(page, name: str, csp_violations: list[str]) -> None:
    """One state of a page, once it has settled: nothing blocked by the Content-Security-Policy
    since the last state, and no axe-core violation (``check_accessibility``)."""
    page.wait_for_load_state("networkidle")
    assert csp_violations == [], name
    check_accessibility(page, name)
    csp_violations.clear()


@pytest.fixture
def csp_violations(page):
    """Console errors about the Content-Security-Policy seen while the test ran."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return seen
