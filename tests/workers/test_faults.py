"""Faults with real parts: real ``ledgerdesk worker`` processes, a real Redis that is killed and restarted
empty, hostile documents. Every document ends processed exactly once, or failed with a readable reason, and
the worker goes on with the next one."""

from __future__ import annotations

import os
import signal
import struct
import uuid
import zlib

from fpdf import FPDF
from sqlalchemy import func, select

from core import embedded_redis
from core.db import transaction
from core.outbox import relay_pending
from core.queue import get_redis, reset_queue_cache
from core.settings import get_settings
from ledgerdesk.samples import SampleInvoice
from models import Document, Extraction
from tests.helpers import dense_pdf, upload, upload_invoice
from tests.workers.conftest import children, document_status, wait_for, wait_until_done
from workers.recovery import requeue_lost_documents

def plain_png(width: int, height: int) -> bytes:
    """A valid all-black RGB PNG of any size, compressed row by row (never held whole in memory here)."""
    compressor, row = zlib.compressobj(9), b"\x00" * (1 + 3 * width)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _set(monkeypatch, **settings: str) -> None:
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def machine_extractions(document_id: str) -> int:
    with transaction(read_only=True) as session:
        return session.scalar(select(func.count()).where(Extraction.document_id == uuid.UUID(document_id),
                                                         Extraction.kind == "machine"))


def _horse_of(worker_pid: int) -> int:
    """The work horse rq forked for the running job: the worker's child that leads a process group of its own
    (rq's scheduler, the other child, stays in the worker's group)."""
    def horse() -> int | None:
        return next((pid for pid in children(worker_pid) if _leads_its_group(pid)), None)
    return wait_for(horse, 30, "the worker to start the job")


def _leads_its_group(pid: int) -> bool:
    try:
        return os.getpgid(pid) == pid
    except ProcessLookupError:
        return False


def test_a_killed_work_horse_is_tried_again_and_the_document_processed_once(make_user, client_for, start_worker):
    clerk = client_for(make_user("clerk"))
    worker = start_worker()
    created = upload(clerk, dense_pdf(8))
    wait_for(lambda: document_status(created["id"]) == "processing", 30, "processing to start")
    os.kill(_horse_of(worker.pid), signal.SIGKILL)
    assert wait_until_done(created["id"]) == "needs_review"
    assert machine_extractions(created["id"]) == 1
    with transaction(read_only=True) as session:
        assert session.get(Document, uuid.UUID(created["id"])).attempts == 2


def test_a_document_whose_worker_was_killed_is_recovered_and_processed_once(make_user, client_for, start_worker,
                                                                           monkeypatch):
    _set(monkeypatch, LEDGERDESK_WORKER_HEARTBEAT_SECONDS="1", LEDGERDESK_STALLED_AFTER_SECONDS="0")
    clerk = client_for(make_user("clerk"))
    worker = start_worker(LEDGERDESK_WORKER_HEARTBEAT_SECONDS="1")
    created = upload(clerk, dense_pdf(8, seed=2))
    wait_for(lambda: document_status(created["id"]) == "processing", 30, "processing to start")
    horse = _horse_of(worker.pid)
    os.killpg(worker.pid, signal.SIGKILL)  # the worker's main process (and its group) is gone ...
    wait_for(lambda: not os.path.exists(f"/proc/{horse}"), 10, "the horse to die with its worker")
    start_worker(LEDGERDESK_WORKER_HEARTBEAT_SECONDS="1")  # ... and a new one is started, as `ledgerdesk up` does
    wait_for(lambda: requeue_lost_documents() == 1, 30, "the recovery sweep to find the lost job")
    relay_pending()
    assert wait_until_done(created["id"]) == "needs_review"
    assert machine_extractions(created["id"]) == 1


def test_redis_restarted_empty_loses_no_document(make_user, client_for, start_worker, monkeypatch, tmp_path):
    clerk = client_for(make_user("clerk"))
    redis_dir = tmp_path / "redis"
    server = embedded_redis.start(redis_dir)
    try:
        _set(monkeypatch, LEDGERDESK_REDIS_URL=embedded_redis.url_for(redis_dir), LEDGERDESK_STALLED_AFTER_SECONDS="0")
        reset_queue_cache()
        created = [upload_invoice(clerk, SampleInvoice(invoice_number=f"R-{n}")) for n in range(4)]
        assert get_redis().dbsize() > 0  # their jobs are queued
        server.kill()
        server.wait(10)
        for persisted in (embedded_redis.SNAPSHOT_FILE, embedded_redis.APPEND_ONLY_FILE):
            (redis_dir / persisted).unlink(missing_ok=True)
        server = embedded_redis.start(redis_dir)
        assert get_redis().dbsize() == 0  # restarted empty: the jobs are gone
        assert requeue_lost_documents() == 4
        relay_pending()
        start_worker(LEDGERDESK_REDIS_URL=embedded_redis.url_for(redis_dir))
        assert [wait_until_done(c["id"]) for c in created] == ["needs_review"] * 4
        assert [machine_extractions(c["id"]) for c in created] == [1] * 4
    finally:
        reset_queue_cache()
        embedded_redis.stop(server)


def test_a_document_over_the_memory_limit_fails_and_the_worker_goes_on(make_user, client_for, start_worker):
    clerk = client_for(make_user("clerk"))
    start_worker(LEDGERDESK_MAX_JOB_MEMORY_MB="200")
    hungry = upload(clerk, plain_png(7000, 7000), filename="poster.png")  # 147 MB once decoded, within the pixels
    assert wait_until_done(hungry["id"]) == "failed"
    document = clerk.get(f"/api/v1/documents/{hungry['id']}").json()
    assert "needed more than 200 MB of memory" in document["failure_reason"]
    assert wait_until_done(upload_invoice(clerk)["id"]) == "needs_review"


def test_a_document_over_the_time_limit_fails_and_the_worker_goes_on(make_user, client_for, start_worker,
                                                                     monkeypatch):
    _set(monkeypatch, LEDGERDESK_JOB_TIMEOUT_SECONDS="1")  # the limit travels with the job when it is queued
    clerk = client_for(make_user("clerk"))
    start_worker()
    slow = upload(clerk, dense_pdf(12, seed=3))
    status = wait_until_done(slow["id"])
    document = clerk.get(f"/api/v1/documents/{slow['id']}").json()
    assert status == "failed", (document["timings"], _job_story(slow["id"]))
    assert "took longer than 1 s" in document["failure_reason"]
    _set(monkeypatch, LEDGERDESK_JOB_TIMEOUT_SECONDS="60")  # the next job may take more than 1 s on a busy machine
    assert wait_until_done(upload_invoice(clerk)["id"]) == "needs_review"


def _job_story(document_id: str) -> list[tuple]:
    """Each job of the document: its timeout, status, worker and result (for a failing assertion's message)."""
    from rq.job import Job

    from core.queue import get_queue

    jobs = Job.fetch_many([f"process_document-{document_id}-{n}" for n in (1, 2, 3)], connection=get_redis(),
                          serializer=get_queue().serializer)
    return [(j.id, j.timeout, j.get_status(), j.worker_name, j.return_value()) for j in jobs if j is not None]


def long_pdf(pages: int) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.text(20, 20, f"Contract annex, page {number}")
    return bytes(pdf.output())


def test_a_long_document_waits_in_its_own_lane_while_the_others_flow(make_user, client_for, start_worker):
    clerk = client_for(make_user("clerk"))
    start_worker("--queue", "default")
    long = upload(clerk, long_pdf(get_settings().large_document_pages + 5), filename="annex.pdf")
    ordinary = [upload_invoice(clerk, SampleInvoice(invoice_number=f"L-{n}")) for n in range(2)]
    assert [wait_until_done(o["id"]) for o in ordinary] == ["needs_review"] * 2
    wait_for(lambda: _queued_on("large", long["id"]), 30, "the long document to move to the large queue")
    assert document_status(long["id"]) == "received"
    start_worker("--queue", "large")
    assert wait_until_done(long["id"]) == "needs_review"
    assert machine_extractions(long["id"]) == 1


def _queued_on(queue_name: str, document_id: str) -> bool:
    from core.queue import get_queue

    return any(document_id in job_id for job_id in get_queue(queue_name).job_ids)
