"""Counts kept in memory between requests for as long as the data they count stays the same:
each is filed under the database's counts stamp (``themes.models.CountsStamp``), which changes
with every change to what is counted, so a count is never shown after its data has changed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.core.cache import caches
from django.db import connection

from themes.models import CountsStamp

T = TypeVar("T")
CACHE = "counts"  # settings.CACHES: numbers, labels and links only, never participants' words
_MISSING = object()


def counts_stamp() -> int | None:
    """The stamp's token now (one query), or None without its row (nothing is then kept)."""
    return CountsStamp.objects.values_list("token", flat=True).first()


def _cache_key(name: str, key: tuple, stamp: int) -> tuple[str, str]:
    # The database's name too: two databases (a test run beside a served copy) may share
    # the files, and their tokens mean nothing to each other.
    digest = hashlib.sha256(repr((connection.settings_dict["NAME"], key)).encode()).hexdigest()
    return f"{name}:{stamp}:{digest}", digest


def kept(name: str, key: tuple, stamp: int):
    """What ``remembered`` keeps for ``name`` and ``key`` under ``stamp``, or None when nothing
    is kept: never counted here."""
    found = caches[CACHE].get(_cache_key(name, key, stamp)[0], _MISSING)
    return None if found is _MISSING else found


def remembered(
    name: str,
    key: tuple,
    count: Callable[[], T],
    *,
    from_kept: Callable[[int], T | None] | None = None,
) -> T:
    """What ``count()`` gives, counted again only when the data has changed since it was last
    kept for ``name`` and ``key`` (a tuple whose repr names what is counted). ``from_kept``,
    given the stamp, may give the same number from other counts kept under it (``kept``), or
    None; then ``count()`` counts it."""
    # The stamp is read before counting: the count is then of this state or a later one, and
    # a later change gives a new stamp, so what is kept is never older than its stamp says.
    stamp = counts_stamp()
    if stamp is None:
        return count()
    cache_key, digest = _cache_key(name, key, stamp)
    cache = caches[CACHE]
    found = cache.get(cache_key, _MISSING)
    if found is not _MISSING:
        return found
    value = from_kept(stamp) if from_kept else None
    if value is not None:
        cache.set(cache_key, value)
        return value
    with _counting_alone(digest):
        # Whoever waited for the lock finds what the one before them kept.
        found = cache.get(cache_key, _MISSING)
        if found is not _MISSING:
            return found
        value = count()
        cache.set(cache_key, value)
    return value


@contextmanager
def _counting_alone(digest: str) -> Iterator[None]:
    """Held while counting: the web processes asking for the same count at once wait for the
    first one's (a PostgreSQL advisory lock, released with the connection if the process
    dies) instead of all counting it. SQLite serves one process, which needs none."""
    if connection.vendor != "postgresql":
        yield
        return
    lock = int(digest[:15], 16)  # fits PostgreSQL's bigint
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])
