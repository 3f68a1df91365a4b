"""``ledgerdesk up`` keeps its parts running, and no part outlives the process that started it.

Real ``ledgerdesk`` subprocesses in temporary data dirs (SQLite + embedded Redis), killed with real signals;
processes are found through /proc.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
from rq import Queue, Worker
from rq.serializers import JSONSerializer

from core import embedded_redis
from ledgerdesk.supervisor import (
    MAX_DELAY,
    STABLE_AFTER,
    describe_exit,
    failures_after_exit,
    planned_children,
    restart_delay,
    worker_queues,
)
from tests.ledgerdesk.processes import WAIT, children_of, in_groups, redis_servers_for, wait_for

CLI = [sys.executable, "-m", "ledgerdesk.cli"]


# The backoff and the plan: pure functions.

def test_restart_delay_doubles_from_one_second_up_to_the_cap():
    assert [restart_delay(failures) for failures in range(1, 9)] == [1, 2, 4, 8, 16, 30, 30, 30]
    assert restart_delay(10_000) == MAX_DELAY


def test_a_part_that_stayed_up_a_minute_starts_its_backoff_again():
    assert failures_after_exit(0, uptime=0.5) == 1
    assert failures_after_exit(4, uptime=0.5) == 5
    assert failures_after_exit(4, uptime=STABLE_AFTER - 1) == 5
    assert failures_after_exit(4, uptime=STABLE_AFTER) == 1


def test_exits_are_described_by_status_or_signal():
    assert describe_exit(3) == "exit status 3"
    assert describe_exit(-signal.SIGKILL) == "signal SIGKILL"


def test_the_first_worker_keeps_to_ordinary_documents_unless_it_is_alone():
    assert worker_queues(0, 1) == ("default", "large")
    assert [worker_queues(index, 3) for index in range(3)] == [("default",), ("default", "large"), ("default", "large")]


def test_up_plans_the_api_each_worker_lane_and_the_scheduler():
    commands = {child.name: child.command[3:] for child in planned_children("127.0.0.1", 8123, workers=2)}
    assert commands == {
        "api": ["api", "--host", "127.0.0.1", "--port", "8123"],
        "worker-1": ["worker", "--queue", "default"],
        "worker-2": ["worker", "--queue", "default", "--queue", "large"],
        "scheduler": ["scheduler"],
    }


# `ledgerdesk up` in a temporary data dir.

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEDGERDESK_")}
    return env | {"LEDGERDESK_DATA_DIR": str(data_dir), "LEDGERDESK_ENV": "development"}


@dataclass
class Up:
    process: subprocess.Popen
    base_url: str
    data_dir: Path
    log: Path

    def children(self) -> dict[int, str]:
        return children_of(self.process.pid)

    def child_running(self, role: str, other_than: int | None = None) -> int | None:
        """The pid of the child whose command ends with ``role`` (e.g. ``worker --queue default``)."""
        return next((pid for pid, command in self.children().items()
                     if command.endswith(role) and pid != other_than), None)

    def answers(self, path: str = "/healthz") -> bool:
        try:
            return httpx.get(f"{self.base_url}{path}", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    def redis(self) -> redis.Redis:
        return redis.Redis(unix_socket_path=str(embedded_redis.socket_path(self.data_dir)), socket_timeout=5)


def _start_up(tmp_path: Path, workers: int) -> Up:
    data_dir, log = tmp_path / "var", tmp_path / "up.log"
    port = _free_port()
    with log.open("wb") as stderr:
        process = subprocess.Popen([*CLI, "up", "--port", str(port), "--workers", str(workers)],
                                   env=_environment(data_dir), stdout=subprocess.DEVNULL, stderr=stderr,
                                   start_new_session=True)
    up = Up(process, f"http://127.0.0.1:{port}", data_dir, log)
    expected = 3 + workers  # redis, api, scheduler and the workers
    wait_for(lambda: up.answers("/readyz") and len(up.children()) == expected, f"up did not start; see {log}")
    return up


@pytest.fixture(scope="module")
def up(tmp_path_factory) -> Iterator[Up]:
    """One `ledgerdesk up` with two workers, shared by the tests that leave it running; SIGTERM stops all of it."""
    running = _start_up(tmp_path_factory.mktemp("up"), workers=2)
    yield running
    groups = set(running.children())  # each part leads a process group of its own
    running.process.send_signal(signal.SIGTERM)
    assert running.process.wait(timeout=WAIT) == 0
    assert in_groups(groups) == {}


def test_up_runs_a_lane_for_ordinary_documents_and_one_for_all(up: Up):
    def lanes() -> set[tuple[str, ...]]:
        return {tuple(worker.queue_names()) for worker in Worker.all(connection=up.redis())}

    wait_for(lambda: len(lanes()) == 2, "the workers did not register")
    assert lanes() == {("default",), ("default", "large")}


def test_a_killed_worker_is_restarted_while_the_api_keeps_answering(up: Up):
    role = "worker --queue default"
    killed = up.child_running(role)
    os.kill(killed, signal.SIGKILL)

    def restarted_while_api_answers() -> int | None:
        assert up.answers(), "the API stopped answering when a worker died"
        return up.child_running(role, other_than=killed)

    wait_for(restarted_while_api_answers, f"the worker was not restarted; see {up.log}")
    assert up.answers() and up.process.poll() is None
    assert f"worker-1 (pid {killed}) ended with signal SIGKILL" in up.log.read_text()


def test_a_killed_redis_comes_back_with_its_queue(up: Up):
    def queue() -> Queue:
        return Queue("kept-by-test", connection=up.redis(), serializer=JSONSerializer)

    queue().enqueue_call("workers.jobs.nothing", args=[1], job_id="queued-before-the-crash")
    killed = up.child_running("redis.sock")
    os.kill(killed, signal.SIGKILL)

    wait_for(lambda: up.child_running("redis.sock", other_than=killed), f"redis was not restarted; see {up.log}")
    wait_for(lambda: up.answers("/readyz"), f"the API did not see the queue again; see {up.log}")
    assert queue().job_ids == ["queued-before-the-crash"]


def test_nothing_outlives_a_killed_up(tmp_path: Path):
    up = _start_up(tmp_path, workers=1)
    groups = set(up.children())
    up.process.kill()
    up.process.wait()
    wait_for(lambda: not in_groups(groups), lambda: f"parts of up outlived it: {in_groups(groups)}")


def test_up_refuses_to_start_beside_an_embedded_redis_that_another_process_owns(tmp_path: Path):
    other = embedded_redis.start(tmp_path / "var")
    try:
        up = subprocess.run([*CLI, "up", "--port", str(_free_port())], env=_environment(tmp_path / "var"),
                            capture_output=True, text=True, timeout=WAIT)
    finally:
        embedded_redis.stop(other)
    assert up.returncode == 2
    assert up.stderr.splitlines()[-1].startswith("error: an embedded Redis already runs in ")


# Standalone parts that start an embedded Redis stop it when they end.

def _start_part(tmp_path: Path, *command: str) -> tuple[subprocess.Popen, Path]:
    data_dir = tmp_path / "var"
    with (tmp_path / "part.log").open("wb") as stderr:
        process = subprocess.Popen([*CLI, *command], env=_environment(data_dir), stdout=subprocess.DEVNULL,
                                   stderr=stderr)
    return process, data_dir


def test_a_burst_worker_stops_the_redis_it_started(tmp_path: Path):
    process, data_dir = _start_part(tmp_path, "worker", "--burst")
    assert process.wait(timeout=WAIT) == 0, (tmp_path / "part.log").read_text()
    assert (data_dir / embedded_redis.APPEND_ONLY_FILE).exists()  # it did start one
    assert redis_servers_for(data_dir) == {}


@pytest.mark.parametrize("command, signum", [
    (("api", "--port", "0"), signal.SIGTERM),
    (("worker",), signal.SIGKILL),
])
def test_a_stopped_or_killed_part_leaves_no_redis_behind(tmp_path: Path, command, signum):
    process, data_dir = _start_part(tmp_path, *command)
    try:
        wait_for(lambda: embedded_redis.is_running(data_dir), f"{command[0]} did not start its embedded Redis")
        process.send_signal(signum)
        process.wait(timeout=WAIT)
    finally:
        process.kill()
    wait_for(lambda: not redis_servers_for(data_dir), "the embedded redis-server outlived the part that started it")
