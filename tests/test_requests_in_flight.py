"""The browser tests' count of the live server's requests still being answered
(tests/browser/in_flight.py): a test's end waits for them, and for no longer."""

import threading
import time

import pytest

from tests.browser.in_flight import RequestsInFlight


def test_waiting_lasts_until_the_running_request_returns():
    release = threading.Event()

    def slow_application(environ, start_response):
        release.wait(5)
        return [b"done"]

    counted = RequestsInFlight(slow_application)
    answer = []
    request = threading.Thread(target=lambda: answer.append(counted({}, None)))
    request.start()
    while not counted.running:
        time.sleep(0.001)
    threading.Timer(0.2, release.set).start()
    started = time.monotonic()
    counted.wait(seconds=5)
    assert time.monotonic() - started >= 0.15
    assert counted.running == 0
    request.join()
    assert answer == [[b"done"]]


def test_a_request_that_fails_is_finished_too():
    def failing_application(environ, start_response):
        raise ValueError("broken")

    counted = RequestsInFlight(failing_application)
    with pytest.raises(ValueError, match="broken"):
        counted({}, None)
    assert counted.running == 0


def test_waiting_gives_up_after_its_time():
    counted = RequestsInFlight(lambda environ, start_response: [])
    counted.running = 1  # a request that never returns
    started = time.monotonic()
    counted.wait(seconds=0.1)
    assert 0.1 <= time.monotonic() - started < 2
