"""The test suite empties Redis before every test, so it works only in a Redis database it owns.

It uses its own database number (``LEDGERDESK_TEST_REDIS_DB``, default 15) of whatever server
``LEDGERDESK_REDIS_URL`` names, and claims it only when it is empty or already carries the suite's marker:
a database holding someone else's data is refused, never flushed.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis

MARKER_KEY = "ledgerdesk:test-suite"
DEFAULT_TEST_DB = 15


class RedisNotForTests(RuntimeError):
    """The Redis database the suite would use holds data that is not the suite's."""


def test_database_number() -> int:
    return int(os.environ.get("LEDGERDESK_TEST_REDIS_DB", DEFAULT_TEST_DB))


def with_test_database(url: str, number: int | None = None) -> str:
    """``url`` pointing at the suite's database number instead of the one it names."""
    number = test_database_number() if number is None else number
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "db"] + [("db", str(number))]
        return f"unix://{parts.path}?{urlencode(query)}"
    return urlunsplit(parts._replace(path=f"/{number}"))


def claim_test_database(connection: redis.Redis) -> None:
    """Mark the database as the suite's; refuse one that holds data without the mark."""
    if connection.dbsize() and not connection.exists(MARKER_KEY):
        raise RedisNotForTests(
            f"Redis database {connection.connection_pool.connection_kwargs.get('db')} holds data that the test "
            "suite did not write; it is never flushed. Set LEDGERDESK_TEST_REDIS_DB to an empty database number.")
    _mark(connection)


def empty_test_database(connection: redis.Redis) -> None:
    """Empty the suite's database and mark it again: a test that loses every queued job on purpose (Redis
    restarted empty) must not leave the database unmarked for the next run."""
    connection.flushdb()
    _mark(connection)


def _mark(connection: redis.Redis) -> None:
    connection.set(MARKER_KEY, "the ledgerdesk test suite empties this database before every test")
