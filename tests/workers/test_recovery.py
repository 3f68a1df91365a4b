"""Nothing is lost when the queue loses jobs: stalled documents are found and queued again, once."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from rq.job import Job, JobStatus
from sqlalchemy import select, update

from core.audit import AuditEvent
from core.db import transaction, utcnow
from core.outbox import relay_pending
from core.queue import get_queue, get_redis, stale_heartbeat_seconds
from intake.service import stage_processing
from ledgerdesk.samples import SampleInvoice
from models import Document
from tests.helpers import upload_invoice
from tests.redis_guard import empty_test_database
from workers.recovery import requeue_lost_documents


def _age(document_id: str, seconds: int = 3600) -> None:
    with transaction() as session:
        session.execute(update(Document).where(Document.id == uuid.UUID(document_id))
                        .values(updated_at=utcnow() - timedelta(seconds=seconds)))


def test_a_document_whose_job_redis_lost_is_processed_after_recovery(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    created = upload_invoice(clerk)
    empty_test_database(get_redis())  # Redis restarted without persistence: the queued job is gone
    _age(created["id"])

    assert requeue_lost_documents() == 1
    assert relay_pending() == 1
    run_jobs()
    assert clerk.get(f"/api/v1/documents/{created['id']}").json()["status"] == "needs_review"


def test_documents_whose_job_is_queued_or_recent_are_left_alone(make_user, client_for):
    clerk = client_for(make_user("clerk"))
    queued = upload_invoice(clerk)
    _age(queued["id"])
    fresh = upload_invoice(clerk, SampleInvoice(invoice_number="F-1"))
    get_redis().delete(f"rq:job:process_document-{fresh['id']}-1")
    assert requeue_lost_documents() == 0


def test_a_superseded_job_steps_aside_and_the_document_is_processed_once(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    created = upload_invoice(clerk)  # its first job is in the queue
    with transaction() as session:
        stage_processing(session, session.get(Document, uuid.UUID(created["id"])))  # a second job supersedes it
    relay_pending()
    run_jobs()
    document = clerk.get(f"/api/v1/documents/{created['id']}").json()
    assert document["status"] == "needs_review" and document["extraction_version"] == 1
    first = Job.fetch(f"process_document-{created['id']}-1", connection=get_redis(), serializer=get_queue().serializer)
    assert first.return_value().startswith("skipped: already processed")


def test_a_document_that_keeps_killing_its_worker_fails_readably(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    created = upload_invoice(clerk)
    empty_test_database(get_redis())
    with transaction() as session:  # three starts, each ended by a killed worker
        session.execute(update(Document).where(Document.id == uuid.UUID(created["id"]))
                        .values(status="processing", attempts=3))
    _age(created["id"])
    assert requeue_lost_documents() == 1
    relay_pending()
    run_jobs()
    document = clerk.get(f"/api/v1/documents/{created['id']}").json()
    assert document["status"] == "failed" and "started 3 times without finishing" in document["failure_reason"]


def _start_job(job_id: str, heartbeat_seconds_ago: float) -> None:
    """Mark the queued job as running, last heard of that many seconds ago (as a worker would)."""
    job = Job.fetch(job_id, connection=get_redis(), serializer=get_queue().serializer)
    job.set_status(JobStatus.STARTED)
    job.heartbeat(datetime.now(timezone.utc) - timedelta(seconds=heartbeat_seconds_ago), ttl=600)


def test_a_document_whose_worker_died_mid_job_is_queued_again(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    alive, dead = upload_invoice(clerk), upload_invoice(clerk, SampleInvoice(invoice_number="DEAD-1"))
    for created, heard_ago in ((alive, 1), (dead, stale_heartbeat_seconds() + 1)):
        with transaction() as session:
            session.execute(update(Document).where(Document.id == uuid.UUID(created["id"])).values(status="processing"))
        _start_job(f"process_document-{created['id']}-1", heard_ago)
        _age(created["id"])
    assert requeue_lost_documents() == 1
    with transaction() as session:
        requeued = session.get(Document, uuid.UUID(dead["id"]))
        assert requeued.status == "received" and requeued.job_id.endswith("-2")
        event = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == dead["id"],
                                                         AuditEvent.action == "document.requeued")).one()
        assert event.data["was"] == "processing" and event.data["lost_job"].endswith("-1")


def test_a_lost_document_is_requeued_once_even_if_the_sweep_runs_twice(make_user, client_for):
    clerk = client_for(make_user("clerk"))
    created = upload_invoice(clerk)
    empty_test_database(get_redis())
    _age(created["id"])
    assert requeue_lost_documents() == 1
    assert requeue_lost_documents() == 0  # its new job waits in the outbox now


def test_a_lost_document_goes_ahead_of_the_waiting_ones(make_user, client_for):
    clerk = client_for(make_user("clerk"))
    lost = upload_invoice(clerk)
    empty_test_database(get_redis())  # its job is gone ...
    _age(lost["id"])
    waiting = [upload_invoice(clerk, SampleInvoice(invoice_number=f"W-{n}")) for n in range(3)]  # ... these wait
    assert requeue_lost_documents() == 1
    relay_pending()
    assert get_queue().job_ids[0] == f"process_document-{lost['id']}-2"
    assert len(get_queue().job_ids) == 1 + len(waiting)


def _retry_scheduled(document_id: str, seconds_from_now: float) -> None:
    """The document's job, failed once and waiting in rq's scheduled registry for its retry."""
    queue = get_queue()
    job = Job.fetch(f"process_document-{document_id}-1", connection=get_redis(), serializer=queue.serializer)
    queue.remove(job)
    queue.schedule_job(job, datetime.now(timezone.utc) + timedelta(seconds=seconds_from_now))


def test_a_retry_no_scheduler_moves_is_queued_again(make_user, client_for):
    """The worker holding rq's scheduler lock died: its retries would wait until rq's lock and maintenance
    come round (minutes); the sweep treats a retry long past its time as lost."""
    clerk = client_for(make_user("clerk"))
    stranded = upload_invoice(clerk)
    _retry_scheduled(stranded["id"], -(stale_heartbeat_seconds() + 5))
    _age(stranded["id"])
    assert requeue_lost_documents() == 1


def test_a_retry_waiting_for_its_time_is_left_alone(make_user, client_for):
    clerk = client_for(make_user("clerk"))
    waiting = upload_invoice(clerk)
    _retry_scheduled(waiting["id"], 30)
    _age(waiting["id"])
    assert requeue_lost_documents() == 0
