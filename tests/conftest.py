"""Real parts for every test: a migrated database (SQLite, or PostgreSQL when configured), a real Redis
(embedded, or the one configured) and a real rq worker. Tables and the suite's own Redis database are emptied
before each test."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn

_TMP = Path(tempfile.mkdtemp(prefix="ledgerdesk-tests-"))
os.environ["LEDGERDESK_ENV"] = "test"
os.environ["LEDGERDESK_DATA_DIR"] = str(_TMP / "var")
os.environ.setdefault("LEDGERDESK_OUTBOX_SWEEP_SECONDS", "0.2")

from fastapi.testclient import TestClient  # noqa: E402
from tests.redis_guard import (  # noqa: E402
    RedisNotForTests, claim_test_database, empty_test_database, with_test_database)
from rq import SimpleWorker  # noqa: E402
from sqlalchemy import make_url, text  # noqa: E402

import models  # noqa: E402
from core import embedded_redis  # noqa: E402
from core.blobs import get_blob_store  # noqa: E402
from core.db import get_engine, reset_engine_cache, transaction  # noqa: E402
from core.identity import Company, User  # noqa: E402
from core.queue import get_queue, get_redis, reset_queue_cache  # noqa: E402
from core.settings import get_settings  # noqa: E402
from ledgerdesk.admin import create_token, create_user, get_or_create_company  # noqa: E402
from ledgerdesk.app import create_app  # noqa: E402
from models.migrate import upgrade_to_head  # noqa: E402

PASSWORD = "correct horse battery staple"
START_TIMEOUT_SECONDS = 15


def _reset_caches() -> None:
    get_settings.cache_clear()
    reset_engine_cache()
    reset_queue_cache()
    get_blob_store.cache_clear()


def _prepare_database() -> None:
    url = get_settings().resolved_database_url
    if url.startswith("postgresql"):
        database = make_url(url).database or ""
        if "test" not in database:
            raise RuntimeError(f"refusing to reset database {database!r}: its name must contain 'test'")
        with get_engine().begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        reset_engine_cache()
    upgrade_to_head(url)


@pytest.fixture(scope="session", autouse=True)
def infrastructure() -> Iterator[None]:
    """Migrated database and a running Redis for the whole run."""
    redis_child = None
    if not os.environ.get("LEDGERDESK_REDIS_URL"):
        redis_child = embedded_redis.start(_TMP / "var")
        os.environ["LEDGERDESK_REDIS_URL"] = embedded_redis.url_for(_TMP / "var")
    os.environ["LEDGERDESK_REDIS_URL"] = with_test_database(os.environ["LEDGERDESK_REDIS_URL"])
    _reset_caches()
    try:
        claim_test_database(get_redis())
    except RedisNotForTests as refusal:
        pytest.exit(str(refusal), returncode=3)
    _prepare_database()
    yield
    empty_test_database(get_redis())  # leave nothing behind: the next run finds its own marked, empty database
    reset_engine_cache()
    reset_queue_cache()
    embedded_redis.stop(redis_child)


@pytest.fixture(autouse=True)
def clean_state() -> Iterator[None]:
    """Every test starts with empty tables and an empty Redis database."""
    _reset_caches()
    tables = [t.name for t in reversed(models.Base.metadata.sorted_tables)]
    with get_engine().begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
    empty_test_database(get_redis())
    yield


@pytest.fixture
def company() -> Company:
    with transaction() as session:
        return get_or_create_company(session, "acme", "Acme Ltd")


@pytest.fixture
def make_user(company: Company) -> Callable[..., User]:
    """``make_user("clerk")`` or ``make_user("admin", company_slug="other")``."""
    counter = iter(range(1000))

    def _make(role: str = "clerk", company_slug: str | None = None) -> User:
        with transaction() as session:
            owner = get_or_create_company(session, company_slug) if company_slug else company
            return create_user(session, company=owner, email=f"{role}{next(counter)}@{owner.slug}.test", role=role,
                               password=PASSWORD)

    return _make


@pytest.fixture
def app():
    return create_app()


@pytest.fixture
def client_for(app) -> Callable[[User], TestClient]:
    """An HTTP client that acts as ``user`` with a real API token."""

    def _client(user: User) -> TestClient:
        with transaction() as session:
            token = create_token(session, user=session.get(User, user.id), name="tests")
        return TestClient(app, headers={"Authorization": f"Bearer {token}"})

    return _client


@pytest.fixture
def anonymous(app) -> TestClient:
    return TestClient(app)


@pytest.fixture
def run_jobs() -> Callable[[], None]:
    """Work every queued job with a real rq worker (burst mode), in this process."""

    def _run() -> None:
        worker = SimpleWorker([get_queue()], connection=get_redis(), serializer=get_queue().serializer)
        worker.work(burst=True)

    return _run


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _wait_until_healthy(base_url: str, thread: threading.Thread) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if not thread.is_alive():
            pytest.fail("the test web server stopped while starting; see the log above", pytrace=False)
        try:
            with opener.open(f"{base_url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"the test web server did not answer {base_url}/healthz within {START_TIMEOUT_SECONDS}s",
                pytrace=False)


@pytest.fixture(scope="session")
def live_server(infrastructure) -> Iterator[str]:
    """Base URL of ``create_app()`` served by uvicorn in a background thread, for the whole run."""
    sock = _free_socket()
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        _wait_until_healthy(base_url, thread)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
