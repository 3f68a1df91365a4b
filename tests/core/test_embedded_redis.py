"""The embedded Redis keeps its queue across restarts, a crash included (real redis-server processes)."""

from __future__ import annotations

from pathlib import Path

import redis

from core import embedded_redis


def _connect(data_dir: Path) -> redis.Redis:
    return redis.Redis(unix_socket_path=str(embedded_redis.socket_path(data_dir)), socket_timeout=5)


def test_what_was_written_before_a_kill_9_is_there_after_a_restart(tmp_path: Path):
    crashed = embedded_redis.start(tmp_path)
    _connect(tmp_path).rpush("queue", "job-1")
    crashed.kill()
    crashed.wait()

    restarted = embedded_redis.start(tmp_path)
    try:
        assert _connect(tmp_path).lrange("queue", 0, -1) == [b"job-1"]
    finally:
        embedded_redis.stop(restarted)


def test_a_stopped_redis_leaves_its_append_only_file_and_a_snapshot(tmp_path: Path):
    child = embedded_redis.start(tmp_path)
    _connect(tmp_path).rpush("queue", "job-1")
    embedded_redis.stop(child)

    assert (tmp_path / embedded_redis.APPEND_ONLY_FILE).stat().st_size > 0
    assert (tmp_path / embedded_redis.SNAPSHOT_FILE).stat().st_size > 0
