"""``ledgerdesk up``: migrate, then API, workers and scheduler as one process group."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from core import embedded_redis
from core.settings import Settings


def child_environment(settings: Settings, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["LEDGERDESK_REDIS_URL"] = redis_url
    env["LEDGERDESK_DATA_DIR"] = str(settings.data_dir.resolve())
    return env


def child_commands(host: str, port: int, workers: int) -> list[list[str]]:
    base = [sys.executable, "-m", "ledgerdesk.cli"]
    return [
        [*base, "api", "--host", host, "--port", str(port)],
        *([[*base, "worker"]] * workers),
        [*base, "scheduler"],
    ]


def run_all(settings: Settings, *, host: str, port: int, workers: int, on_ready) -> int:
    """Start everything; stop everything on Ctrl-C or when any part dies. Returns the exit code."""
    redis_child = None
    if settings.uses_embedded_redis:
        redis_child = embedded_redis.start(settings.data_dir)
        redis_url = embedded_redis.url_for(settings.data_dir)
    else:
        redis_url = settings.redis_url
    env = child_environment(settings, redis_url)
    children = [subprocess.Popen(command, env=env) for command in child_commands(host, port, workers)]
    stopping = False

    def _stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    if _wait_for_api(host, port, children[0]):
        on_ready()
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.3)
    finally:
        _terminate(children)
        embedded_redis.stop(redis_child)
    failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, -signal.SIGINT)]
    return 1 if failed and not stopping else 0


def _wait_for_api(host: str, port: int, api: subprocess.Popen, timeout: float = 60.0) -> bool:
    """Wait until the API answers /healthz, so the printed URL works when it is printed."""
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/healthz"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and api.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return response.status == 200
        except OSError:
            time.sleep(0.2)
    return False


def _terminate(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
