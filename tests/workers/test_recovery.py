"""Nothing is lost when the queue loses jobs: stalled documents are found and queued again, once."""

from __future__ import annotations

import uuid
from datetime import timedelta

from rq.job import Job
from sqlalchemy import update

from core.db import transaction, utcnow
from core.outbox import relay_pending
from core.queue import get_queue, get_redis
from intake.service import stage_processing
from ledgerdesk.samples import SampleInvoice
from models import Document
from tests.helpers import upload_invoice
from workers.recovery import requeue_lost_documents


def _age(document_id: str, seconds: int = 3600) -> None:
    with transaction() as session:
        session.execute(update(Document).where(Document.id == uuid.UUID(document_id))
                        .values(updated_at=utcnow() - timedelta(seconds=seconds)))


def test_a_document_whose_job_redis_lost_is_processed_after_recovery(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    created = upload_invoice(clerk)
    get_redis().flushdb()  # Redis restarted without persistence: the queued job is gone
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
    assert first.return_value() == "skipped: already processed"


def test_a_document_that_keeps_killing_its_worker_fails_readably(make_user, client_for):
    clerk = client_for(make_user("clerk"))
    created = upload_invoice(clerk)
    get_redis().flushdb()
    with transaction() as session:
        session.execute(update(Document).where(Document.id == uuid.UUID(created["id"]))
                        .values(status="processing", attempts=3))
    _age(created["id"])
    assert requeue_lost_documents() == 1
    document = clerk.get(f"/api/v1/documents/{created['id']}").json()
    assert document["status"] == "failed" and "started 3 times without finishing" in document["failure_reason"]
