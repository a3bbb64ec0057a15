"""Web processes asking for the same count at once count it once (themes.counts_cache): the
others wait for the first one's, on PostgreSQL, where several processes serve the pages."""

import threading

import pytest
from django.db import connection, connections

from themes.counts_cache import remembered

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("counts_stamp_row"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="one process serves SQLite: nothing to wait for"
    ),
]


def test_a_second_asker_waits_for_the_first_count_and_does_not_count_again():
    counting = threading.Event()
    finish = threading.Event()
    counted = []
    answers = {}

    def slow_count():
        counted.append(1)
        counting.set()
        assert finish.wait(10)
        return 42

    def ask(name, count):
        try:
            answers[name] = remembered("alone", ("same",), count)
        finally:
            connections.close_all()  # this thread's connection

    first = threading.Thread(target=ask, args=("first", slow_count))
    first.start()
    assert counting.wait(10)
    second = threading.Thread(target=ask, args=("second", lambda: counted.append(2) or 0))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the first count, not counting
    finish.set()
    first.join(10)
    second.join(10)
    assert answers == {"first": 42, "second": 42}
    assert counted == [1]


def test_a_count_that_fails_lets_the_next_asker_count():
    def failing():
        raise RuntimeError("the count failed")

    with pytest.raises(RuntimeError):
        remembered("alone", ("failing",), failing)
    result = {}

    def ask():
        try:
            result["value"] = remembered("alone", ("failing",), lambda: 7)
        finally:
            connections.close_all()

    other = threading.Thread(target=ask)
    other.start()
    other.join(10)
    assert not other.is_alive()  # the lock was let go
    assert result == {"value": 7}
