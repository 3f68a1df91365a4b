"""The real stack for a benchmark: embedded Redis, migrated SQLite, the API in a thread, rq workers in
subprocesses, and an API token.

Import this module only after ``LEDGERDESK_*`` variables point at the benchmark's data dir (``bench.run``
does that): settings are read once, at first use.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from rq import Worker

from core import embedded_redis
from core.db import reset_engine_cache, transaction
from core.permissions import Role
from core.queue import get_redis, reset_queue_cache
from core.settings import get_settings
from ledgerdesk.admin import create_token, create_user, get_or_create_company
from ledgerdesk.app import create_app
from models.migrate import upgrade_to_head

WORKER_COMMAND = [sys.executable, "-m", "ledgerdesk.cli", "worker"]


@dataclass
class Stack:
    """Everything the benchmark started, so that ``stop`` can end exactly that."""

    data_dir: Path
    redis_child: subprocess.Popen | None = None
    server: uvicorn.Server | None = None
    server_thread: threading.Thread | None = None
    base_url: str = ""
    workers: list[subprocess.Popen] = field(default_factory=list)
    worker_log: Path | None = None

    def stop(self) -> None:
        """Stop workers (warm shutdown), the API server and Redis, in that order."""
        _stop_processes(self.workers)
        if self.server is not None:
            self.server.should_exit = True
        if self.server_thread is not None:
            self.server_thread.join(timeout=10)
        reset_engine_cache()
        reset_queue_cache()
        embedded_redis.stop(self.redis_child)


def describe() -> str:
    """Which database and queue this process uses, e.g. ``sqlite + redis (unix socket)``."""
    settings = get_settings()
    database = settings.resolved_database_url.split(":", 1)[0].split("+", 1)[0]
    queue = "embedded redis" if settings.redis_url and settings.redis_url.startswith("unix://") else "redis"
    return f"{database} + {queue}"


def start_redis(stack: Stack) -> str:
    """The embedded redis-server for the data dir; its URL is exported for this process and the workers."""
    stack.redis_child = embedded_redis.start(stack.data_dir)
    url = embedded_redis.url_for(stack.data_dir)
    os.environ["LEDGERDESK_REDIS_URL"] = url
    get_settings.cache_clear()
    return url


def migrate() -> None:
    upgrade_to_head(get_settings().resolved_database_url)


def start_api(stack: Stack, timeout: float = 20.0) -> str:
    """uvicorn serving ``create_app()`` on a free local port, in a daemon thread."""
    app = create_app()
    logging.getLogger().setLevel(logging.WARNING)  # create_app configures INFO; keep the tables readable
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    stack.server = uvicorn.Server(config)
    stack.server_thread = threading.Thread(target=stack.server.run, kwargs={"sockets": [listener]},
                                           name="bench-api", daemon=True)
    stack.server_thread.start()
    _wait_for(lambda: stack.server.started, timeout, "the API server did not start")
    stack.base_url = f"http://127.0.0.1:{port}"
    return stack.base_url


def start_workers(stack: Stack, count: int, timeout: float = 30.0) -> None:
    """``ledgerdesk worker`` subprocesses with this process's environment; returns once all are registered."""
    stack.worker_log = stack.data_dir / "worker.log"
    log = stack.worker_log.open("ab")
    for _ in range(count):
        stack.workers.append(subprocess.Popen(WORKER_COMMAND, env=dict(os.environ), stdout=log,
                                              stderr=subprocess.STDOUT))
    log.close()

    def registered() -> bool:
        if any(worker.poll() is not None for worker in stack.workers):
            raise RuntimeError(f"a worker exited at start; see {stack.worker_log}")
        return len(Worker.all(connection=get_redis())) >= count

    _wait_for(registered, timeout, f"the workers did not register; see {stack.worker_log}")


def create_api_token() -> str:
    """A company with the default chart, a clerk in it, and a token acting as that clerk."""
    with transaction() as session:
        company = get_or_create_company(session, "bench", "Benchmark Ltd")
        clerk = create_user(session, company=company, email="clerk@bench.invalid", role=Role.CLERK, password=None,
                            full_name="Benchmark clerk")
        return create_token(session, user=clerk, name="benchmark")


def _stop_processes(children: list[subprocess.Popen], timeout: float = 15.0) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()  # rq: warm shutdown, the current job finishes
    deadline = time.monotonic() + timeout
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _wait_for(ready, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError(message)
        time.sleep(0.05)
