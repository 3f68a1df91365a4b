"""Finding real processes through /proc (Linux), and waiting for something to become true."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from core import embedded_redis

WAIT = 60.0
"""Generous: these waits only bound a failing test, they time nothing."""


def _stat_fields(pid: int) -> list[str]:
    """Fields of /proc/<pid>/stat after the command name: state, ppid, pgrp, ..."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def live_processes(where: Callable[[list[str]], bool] = lambda _: True) -> dict[int, str]:
    """pid -> command line of the live processes whose /proc stat fields satisfy ``where``."""
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            fields = _stat_fields(int(entry.name))
        except (ValueError, OSError, IndexError):
            continue  # not a process, or it ended meanwhile
        if fields[0] != "Z" and where(fields):  # a zombie has ended; only its exit status is left
            found[int(entry.name)] = _command_line(int(entry.name))
    return found


def children_of(parent: int) -> dict[int, str]:
    return live_processes(lambda fields: int(fields[1]) == parent)


def in_groups(groups: set[int]) -> dict[int, str]:
    """The live processes in any of the process groups ``groups``."""
    return live_processes(lambda fields: int(fields[2]) in groups)


def redis_servers_for(data_dir: Path) -> dict[int, str]:
    """The live redis-servers listening on ``data_dir``'s socket."""
    path = str(embedded_redis.socket_path(data_dir))
    return {pid: command for pid, command in live_processes().items() if "redis-server" in command and path in command}


def wait_for(condition: Callable[[], object], message: str | Callable[[], str], timeout: float = WAIT):
    """Poll ``condition`` until it returns something truthy, and return that; ``message`` (or what it returns,
    asked at the deadline) says what was still wrong."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, message() if callable(message) else message
        time.sleep(0.1)
    return result
