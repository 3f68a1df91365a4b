"""Infrastructure down, with real parts: the database and Redis made unreachable (settings pointed at a port nothing
listens on), the real app answering. Every failure is the JSON error (an HTML page for a browser asking for a page)
with its status: 503 and ``Retry-After`` when a dependency is down, 500 ``InternalError`` for the unexpected."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
import redis
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from core.db import DatabaseBusy, reset_engine_cache
from core.embedded_redis import EmbeddedRedisError
from core.errors import DatabaseUnavailable, QueueUnavailable
from core.queue import get_queue, reset_queue_cache
from core.settings import get_settings
from core.web import dependency_unavailable
from ledgerdesk.app import create_app
from ledgerdesk.samples import SampleInvoice, render_invoice_pdf
from tests.conftest import PASSWORD, _free_socket, _wait_until_healthy
from tests.helpers import upload_invoice

UNREACHABLE_DATABASE = "postgresql://ledgerdesk@127.0.0.1:1/unreachable_test"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
"""Port 1: nothing listens there, so every connection is refused at once."""


def _point_settings_at(monkeypatch, variable: str, url: str) -> None:
    monkeypatch.setenv(variable, url)
    get_settings.cache_clear()
    reset_engine_cache()
    reset_queue_cache()


@pytest.fixture
def database_down(monkeypatch) -> Iterator[None]:
    _point_settings_at(monkeypatch, "LEDGERDESK_DATABASE_URL", UNREACHABLE_DATABASE)
    yield
    monkeypatch.undo()
    get_settings.cache_clear()
    reset_engine_cache()


@pytest.fixture
def redis_down(monkeypatch) -> Iterator[None]:
    _point_settings_at(monkeypatch, "LEDGERDESK_REDIS_URL", UNREACHABLE_REDIS)
    yield
    monkeypatch.undo()
    get_settings.cache_clear()
    reset_queue_cache()


def assert_unavailable(response, error: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"] == error and set(response.json()) == {"error", "detail"}
    assert "try again" in response.json()["detail"].lower()
    assert int(response.headers["retry-after"]) > 0


@pytest.fixture
def clerk_before_the_outage(make_user, client_for) -> TestClient:
    """A clerk with a real token, made while the database still answered."""
    return client_for(make_user("clerk"))


def test_every_kind_of_request_answers_503_json_without_the_database(clerk_before_the_outage, database_down):
    clerk = clerk_before_the_outage
    assert_unavailable(clerk.get("/api/v1/documents"), "DatabaseUnavailable")
    upload = clerk.post("/api/v1/documents", files={"file": ("i.pdf", render_invoice_pdf(SampleInvoice()))})
    assert_unavailable(upload, "DatabaseUnavailable")
    assert_unavailable(clerk.get("/metrics"), "DatabaseUnavailable")
    assert_unavailable(clerk.post("/login", data={"email": "a@b.test", "password": PASSWORD}), "DatabaseUnavailable")


def test_a_browser_gets_a_503_page_without_the_database(anonymous, database_down):
    page = anonymous.post("/login", data={"email": "a@b.test", "password": PASSWORD}, headers={"Accept": "text/html"})
    assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
    assert int(page.headers["retry-after"]) > 0
    assert "DatabaseUnavailable" in page.text and "Try again" in page.text


def test_readiness_names_the_unreachable_database(anonymous, database_down):
    ready = anonymous.get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["database"].startswith("unreachable")
    assert int(ready.headers["retry-after"]) > 0


def test_uploads_go_on_while_redis_is_unreachable(clerk_before_the_outage, redis_down):
    clerk = clerk_before_the_outage
    assert upload_invoice(clerk)["status"] == "received"  # kept in the outbox until the queue is back
    ready = clerk.get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["queue"].startswith("unreachable")
    metrics = clerk.get("/metrics")
    assert metrics.status_code == 200 and 'ledgerdesk_documents{status="received"} 1.0' in metrics.text
    assert "ledgerdesk_queue_depth" not in metrics.text


def test_a_request_that_needs_redis_answers_503_json_while_it_is_unreachable(redis_down):
    app = create_app()
    app.add_api_route("/api/v1/queue-depth", lambda: {"waiting": get_queue().count})  # the real queue, nothing faked
    assert_unavailable(TestClient(app).get("/api/v1/queue-depth"), "QueueUnavailable")


def test_a_method_a_path_does_not_take_gets_405_with_allow(anonymous):
    refused = anonymous.put("/api/v1/documents")
    assert refused.status_code == 405 and refused.json()["error"] == "MethodNotAllowed"
    assert refused.headers["allow"] == "GET, POST"  # both routes of the path, not only the first one


@pytest.fixture
def app_with_a_bug():
    """The real app and two routes with a bug (made before the test: ``create_app`` sets up the root logger)."""
    app = create_app()

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/v1/broken", broken)
    app.add_api_route("/broken-page", broken)
    return app


def test_an_unexpected_error_is_a_json_500(app_with_a_bug):
    client = TestClient(app_with_a_bug, raise_server_exceptions=False)
    answer = client.get("/api/v1/broken")
    assert answer.status_code == 500 and answer.json()["error"] == "InternalError"
    page = client.get("/broken-page", headers={"Accept": "text/html"})
    assert page.status_code == 500 and "InternalError" in page.text


def test_an_unexpected_error_is_logged_with_its_traceback_by_the_server(app_with_a_bug, caplog):
    """As ``ledgerdesk api`` runs uvicorn: its log records reach ours (``log_config=None``)."""
    sock = _free_socket()
    server = uvicorn.Server(uvicorn.Config(app_with_a_bug, log_config=None, access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        _wait_until_healthy(base_url, thread)
        answer = httpx.get(f"{base_url}/api/v1/broken", trust_env=False)
    finally:  # the server logs after it answered: the log is complete once it stopped
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
    assert answer.status_code == 500 and answer.json()["error"] == "InternalError"
    logged = [r for r in caplog.records if r.exc_info and isinstance(r.exc_info[1], RuntimeError)]
    assert logged and str(logged[0].exc_info[1]) == "a bug"


@pytest.mark.parametrize("failure, unavailable", [
    (OperationalError("SELECT 1", {}, Exception("connection refused")), DatabaseUnavailable),
    (InterfaceError("SELECT 1", {}, Exception("connection closed")), DatabaseUnavailable),
    (PoolTimeout("QueuePool limit reached"), DatabaseUnavailable),
    (DatabaseBusy("no write turn within 30 s"), DatabaseUnavailable),
    (redis.ConnectionError("refused"), QueueUnavailable),
    (redis.TimeoutError("timed out"), QueueUnavailable),
    (EmbeddedRedisError("did not start"), QueueUnavailable),
])
def test_each_dependency_failure_has_its_503(failure, unavailable):
    error = dependency_unavailable(failure)
    assert type(error) is unavailable and error.status_code == 503 and int(error.headers["Retry-After"]) > 0
