"""``ledgerdesk up``: run the API, the workers, the scheduler (and the embedded Redis) and keep them running.

A part that exits unexpectedly is started again after a pause that doubles with each quick failure (1 s, 2 s,
4 s ... 30 s) and is back to 1 s once the part has stayed up for a minute; a dead worker, scheduler or Redis
never stops the API. Ctrl-C or SIGTERM stops every part (SIGTERM, then SIGKILL after a grace period).

Each part runs in a process group of its own, so what it forks (rq work horses, rq's scheduler) is stopped
with it, and gets SIGTERM from the kernel if ``ledgerdesk up`` itself dies.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from core import embedded_redis
from core.processes import die_with_parent_hook
from core.queue import DEFAULT_QUEUE, QUEUES
from core.settings import Settings

log = logging.getLogger(__name__)

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
STABLE_AFTER = 60.0
"""Seconds after which a running part counts as healthy again: its next failure waits FIRST_DELAY."""
STOP_GRACE = 10.0
"""Seconds a part gets to finish after SIGTERM before it is killed."""
TICK = 0.2
CLI = [sys.executable, "-m", "ledgerdesk.cli"]


@dataclass
class Child:
    """One supervised part: what to run, its running process, and how it has fared."""

    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    failures: int = 0
    """Quick exits in a row; the restart delay grows with it."""
    started_at: float = 0.0
    next_start: float = 0.0
    """When (``time.monotonic()``) to start the part while it is not running."""


@dataclass
class StopFlag:
    """Raised by SIGINT or SIGTERM. A plain attribute: a signal handler may set it at any moment, where taking
    a lock (as ``threading.Event.set`` does) could deadlock."""

    raised: bool = False

    def raise_flag(self, *_signal_args) -> None:
        self.raised = True


# Decisions: pure functions.

def restart_delay(failures: int) -> float:
    """Seconds to wait before starting a part again after its ``failures``-th quick exit in a row."""
    return min(FIRST_DELAY * 2 ** min(failures - 1, 16), MAX_DELAY)


def failures_after_exit(previous: int, uptime: float) -> int:
    """The count of quick exits in a row once a part has exited after ``uptime`` seconds."""
    return 1 if uptime >= STABLE_AFTER else previous + 1


def describe_exit(returncode: int) -> str:
    """``exit status 1`` or ``signal SIGKILL``, from a returncode as ``Popen`` reports it."""
    if returncode >= 0:
        return f"exit status {returncode}"
    try:
        return f"signal {signal.Signals(-returncode).name}"
    except ValueError:
        return f"signal {-returncode}"


def worker_queues(index: int, count: int) -> tuple[str, ...]:
    """The queues of worker ``index`` (from 0) of ``count``, in order of priority.

    The first worker takes ordinary documents only, so one long document never holds them all up; the others
    take large ones too. A lone worker takes both.
    """
    return (DEFAULT_QUEUE,) if index == 0 and count > 1 else QUEUES


def planned_children(host: str, port: int, workers: int) -> list[Child]:
    """The API, ``workers`` rq workers and the scheduler, as ``ledgerdesk`` subcommands."""
    worker_children = [
        Child(f"worker-{index + 1}", [*CLI, "worker", *_queue_options(worker_queues(index, workers))])
        for index in range(workers)
    ]
    return [
        Child("api", [*CLI, "api", "--host", host, "--port", str(port)]),
        *worker_children,
        Child("scheduler", [*CLI, "scheduler"]),
    ]


def _queue_options(queues: tuple[str, ...]) -> list[str]:
    return [option for name in queues for option in ("--queue", name)]


def child_environment(settings: Settings, redis_url: str) -> dict[str, str]:
    """This process's environment, with the Redis every part shares (so none starts its own)."""
    return {**os.environ, "LEDGERDESK_REDIS_URL": redis_url, "LEDGERDESK_DATA_DIR": str(settings.data_dir.resolve())}


# The loop and the processes.

def run_all(settings: Settings, *, host: str, port: int, workers: int, on_ready: Callable[[], None]) -> int:
    """Start every part and keep it running until Ctrl-C or SIGTERM; then stop them all and return 0.

    ``on_ready`` is called once the API answers, so a URL printed there works.
    """
    stop = _stop_on_signals()
    redis = _embedded_redis_child(settings)
    redis_url = embedded_redis.url_for(settings.data_dir) if settings.uses_embedded_redis else settings.redis_url
    env = child_environment(settings, redis_url)
    parts = planned_children(host, port, workers)
    try:
        if redis:
            _start_redis_first(redis, env, settings)
        _announce_when_ready(_health_url(host, port), on_ready, stop)
        supervise([redis, *parts] if redis else parts, env, stop)
    finally:
        stop_children(parts)
        stop_children([redis] if redis else [])  # last: the others may still talk to it while they stop
    return 0


def supervise(children: list[Child], env: dict[str, str], stop: StopFlag) -> None:
    """Keep every child running until ``stop`` is raised."""
    while not stop.raised:
        for child in children:
            tend(child, env, time.monotonic())
        time.sleep(TICK)


def tend(child: Child, env: dict[str, str], now: float) -> None:
    """Start a child that is due, or notice that a running one has exited and plan its restart."""
    if child.process is None:
        if now >= child.next_start:
            start_child(child, env, now)
    elif child.process.poll() is not None:
        plan_restart(child, now)


def start_child(child: Child, env: dict[str, str], now: float) -> None:
    """Start ``child`` in a process group of its own, bound to die with this process."""
    child.process = subprocess.Popen(child.command, env=env, process_group=0, preexec_fn=die_with_parent_hook())
    child.started_at = now
    log.info("started %s (pid %d)", child.name, child.process.pid)


def plan_restart(child: Child, now: float) -> None:
    """Log how ``child`` ended, clear away what it left running, and set when it starts again."""
    pid, returncode, uptime = child.process.pid, child.process.returncode, now - child.started_at
    _signal_group(pid, signal.SIGKILL)  # its work horse or rq scheduler, orphaned with it
    child.failures = failures_after_exit(child.failures, uptime)
    delay = restart_delay(child.failures)
    child.process, child.next_start = None, now + delay
    log.warning("%s (pid %d) ended with %s after %.1fs; restarting it in %gs",
                child.name, pid, describe_exit(returncode), uptime, delay)


def stop_children(children: list[Child], grace: float = STOP_GRACE) -> None:
    """SIGTERM every running child and what it forked; SIGKILL whatever is left after ``grace`` seconds."""
    started = [child.process for child in children if child.process is not None]
    for process in started:
        if process.poll() is None:
            _signal_group(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in started:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("pid %d did not stop within %gs; killing it", process.pid, grace)
        _signal_group(process.pid, signal.SIGKILL)
        process.wait()


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        pass  # the group is empty: nothing left to stop


def _embedded_redis_child(settings: Settings) -> Child | None:
    """The embedded redis-server to supervise, or None when a Redis is configured.

    An embedded Redis that another process started belongs to that process: it would stop when that process
    ends, and nobody would restart it. So ``up`` refuses to start beside it.
    """
    if not settings.uses_embedded_redis:
        return None
    if embedded_redis.is_running(settings.data_dir):
        raise embedded_redis.EmbeddedRedisError(
            f"an embedded Redis already runs in {settings.data_dir} (started by another ledgerdesk process); "
            "stop that process first, or set LEDGERDESK_REDIS_URL")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Child("redis", embedded_redis.server_command(settings.data_dir))


def _start_redis_first(redis: Child, env: dict[str, str], settings: Settings) -> None:
    start_child(redis, env, time.monotonic())
    embedded_redis.wait_until_up(settings.data_dir, redis.process)


def _stop_on_signals() -> StopFlag:
    stop = StopFlag()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop.raise_flag)
    return stop


def _health_url(host: str, port: int) -> str:
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/healthz"


def _announce_when_ready(url: str, on_ready: Callable[[], None], stop: StopFlag) -> None:
    """Call ``on_ready`` (in a thread, so the supervision never waits) once the API answers ``url``."""

    def wait_then_announce() -> None:
        while not stop.raised:
            if _answers(url):
                on_ready()
                return
            time.sleep(TICK)

    threading.Thread(target=wait_then_announce, name="announce", daemon=True).start()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False
