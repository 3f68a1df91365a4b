"""Enqueue after commit: an upload while Redis is unreachable is kept and processed once Redis is back."""

from __future__ import annotations

import threading
import time

from core.db import transaction
from core.outbox import pending_count
from core.queue import reset_queue_cache
from tests.helpers import upload_invoice
from workers.runner import run_scheduler


def test_upload_survives_an_unreachable_queue(make_user, client_for, run_jobs, monkeypatch):
    clerk = client_for(make_user("clerk"))
    real_url = __import__("os").environ["LEDGERDESK_REDIS_URL"]

    monkeypatch.setenv("LEDGERDESK_REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    from core.settings import get_settings

    get_settings.cache_clear()
    reset_queue_cache()
    created = upload_invoice(clerk)
    assert created["status"] == "received"
    with transaction() as session:
        assert pending_count(session) == 1
    ready = clerk.get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["queue"].startswith("unreachable")

    monkeypatch.setenv("LEDGERDESK_REDIS_URL", real_url)
    get_settings.cache_clear()
    reset_queue_cache()
    _sweep_until_empty()
    run_jobs()
    assert clerk.get(f"/api/v1/documents/{created['id']}").json()["status"] == "needs_review"


def _sweep_until_empty(timeout: float = 10.0) -> None:
    """Run the real scheduler loop until the outbox is empty."""
    stop = threading.Event()
    sweeper = threading.Thread(target=run_scheduler, args=(stop,), daemon=True)
    sweeper.start()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with transaction() as session:
                if pending_count(session) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError("the scheduler did not empty the outbox")
    finally:
        stop.set()
        sweeper.join(5)


def test_running_a_job_twice_does_nothing_the_second_time(make_user, client_for, run_jobs):
    from workers.jobs import process_document

    clerk = client_for(make_user("clerk"))
    created = upload_invoice(clerk)
    run_jobs()
    before = clerk.get(f"/api/v1/documents/{created['id']}").json()
    assert process_document(created["id"]).startswith("skipped: already processed")
    after = clerk.get(f"/api/v1/documents/{created['id']}").json()
    assert after["extraction_version"] == before["extraction_version"] == 1
    assert after["voucher_id"] == before["voucher_id"]
