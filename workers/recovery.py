"""Finding documents whose job was lost (Redis restarted empty, a worker killed mid-job) and queueing them again.

The queue is asked outside any transaction; each document is then queued again in its own short transaction,
and only if it still waits for the very job that was found lost.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from core import audit
from core.audit import WORKER_ACTOR
from core.db import transaction, utcnow
from core.outbox import pending_job_ids
from core.queue import live_job_ids
from core.settings import get_settings
from extraction.service import CLAIMABLE
from intake import service as intake_service
from models import Document

log = logging.getLogger(__name__)
BATCH = 500


@dataclass(frozen=True)
class Waiting:
    """A document waiting for (or in) processing, and the job that alone may process it."""

    document_id: uuid.UUID
    job_id: str | None
    status: str


def requeue_lost_documents() -> int:
    """Queue again every document whose job is gone; returns how many were queued."""
    waiting = _waiting_documents()
    lost = _lost(waiting)
    return sum(_requeue(document) for document in lost)


def _waiting_documents() -> list[Waiting]:
    """Documents waiting longer than a short grace period, with the jobs still in the outbox left out."""
    cutoff = utcnow() - timedelta(seconds=get_settings().stalled_after_seconds)
    with transaction(read_only=True) as session:
        documents = intake_service.stalled_documents(session, older_than=cutoff, limit=BATCH)
        in_outbox = pending_job_ids(session, [d.job_id for d in documents if d.job_id])
    return [Waiting(d.id, d.job_id, d.status) for d in documents if d.job_id not in in_outbox]


def _lost(waiting: list[Waiting]) -> list[Waiting]:
    """Those whose job the queue no longer holds, or holds as running without a living worker."""
    alive = live_job_ids([w.job_id for w in waiting if w.job_id]) if waiting else set()
    return [w for w in waiting if w.job_id not in alive]


def _requeue(lost: Waiting) -> bool:
    with transaction() as session:
        document = session.get(Document, lost.document_id, with_for_update=True, populate_existing=True)
        if document is None or document.status not in CLAIMABLE or document.job_id != lost.job_id:
            return False  # it moved on while the queue was asked
        log.warning("the job of document %s (%s) was lost; queueing it again", document.id, lost.job_id)
        intake_service.stage_processing(session, document, at_front=True)  # it has waited long enough
        audit.record(session, company_id=document.company_id, actor=WORKER_ACTOR, action="document.requeued",
                     entity_type="document", entity_id=document.id,
                     data={"lost_job": lost.job_id, "was": lost.status, "job": document.job_id})
    return True
