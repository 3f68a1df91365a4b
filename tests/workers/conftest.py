"""Real ``ledgerdesk worker`` processes (rq workers that fork a work horse per job) for the fault tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rq import Worker

from core.db import transaction
from core.queue import get_redis
from models import Document

PENDING = ("received", "processing")


def children(pid: int) -> set[int]:
    """The direct children of process ``pid`` (Linux /proc)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def wait_for(condition: Callable[[], object], timeout: float, what: str, every: float = 0.05):
    """Poll ``condition`` until it returns something true; fail the test naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(every)
    pytest.fail(f"waited {timeout:g} s for {what}", pytrace=False)


def document_status(document_id: str) -> str:
    with transaction(read_only=True) as session:
        return session.get(Document, uuid.UUID(document_id)).status


def wait_until_done(document_id: str, timeout: float = 60) -> str:
    return wait_for(lambda: (s := document_status(document_id)) not in PENDING and s, timeout,
                    f"document {document_id} to be processed")


@pytest.fixture
def start_worker() -> Iterator[Callable[..., subprocess.Popen]]:
    """``start_worker(LEDGERDESK_X="...")``: a real ``ledgerdesk worker`` on the tests' database and Redis,
    registered and listening when it is returned; every one is stopped (with its process group) afterwards."""
    started: list[subprocess.Popen] = []

    def _start(**settings: str) -> subprocess.Popen:
        before = len(Worker.all(connection=get_redis()))
        process = subprocess.Popen([sys.executable, "-m", "ledgerdesk.cli", "worker"], env=os.environ | settings,
                                   process_group=0, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(process)
        wait_for(lambda: len(Worker.all(connection=get_redis())) > before, 30, "the worker to start")
        return process

    yield _start
    for process in started:
        _stop_group(process)


def _stop_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(10)
