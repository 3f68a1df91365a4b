"""The suite never empties a Redis database it does not own."""

from __future__ import annotations

import os

import pytest
import redis

from core.queue import get_redis
from tests.redis_guard import (
    MARKER_KEY, RedisNotForTests, claim_test_database, empty_test_database, with_test_database)


def test_urls_point_at_the_suites_own_database_number():
    assert with_test_database("redis://127.0.0.1:6379/0", 15) == "redis://127.0.0.1:6379/15"
    assert with_test_database("redis://:pw@host:6380", 9) == "redis://:pw@host:6380/9"
    assert with_test_database("unix:///tmp/var/redis.sock?db=0", 15) == "unix:///tmp/var/redis.sock?db=15"


def test_the_suite_runs_in_a_database_it_marked():
    assert get_redis().connection_pool.connection_kwargs["db"] == 15
    assert get_redis().exists(MARKER_KEY)


def _database(number: int) -> redis.Redis:
    database = redis.Redis.from_url(with_test_database(os.environ["LEDGERDESK_REDIS_URL"], number))
    if database.dbsize():
        pytest.skip(f"database {number} is in use on this server; the suite leaves it alone")
    return database


def test_a_database_with_data_that_is_not_the_suites_is_refused():
    other = _database(14)
    try:
        other.set("someone:else", "precious")
        with pytest.raises(RedisNotForTests):
            claim_test_database(other)
        assert other.get("someone:else") == b"precious"
    finally:
        other.delete("someone:else")


def test_an_empty_database_is_claimed():
    empty = _database(13)
    claim_test_database(empty)
    assert empty.exists(MARKER_KEY)
    empty.delete(MARKER_KEY)


def test_a_database_emptied_by_a_test_stays_the_suites():
    empty_test_database(get_redis())  # as a test that loses every queued job on purpose does
    get_redis().set("rq:queue:default", "a job queued afterwards")
    claim_test_database(get_redis())  # the next run still knows the database as its own
