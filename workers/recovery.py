"""Finding documents whose job the queue lost (e.g. Redis restarted without persistence) and queueing them again."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.orm import Session

from core.db import transaction, utcnow
from core.outbox import is_pending
from core.queue import job_is_alive
from core.settings import get_settings
from extraction import service as extraction_service
from intake import service as intake_service
from models import Document

log = logging.getLogger(__name__)


def requeue_lost_documents() -> int:
    """Stage a new job for every stalled document whose job is gone; returns how many were touched."""
    settings = get_settings()
    cutoff = utcnow() - timedelta(seconds=settings.stalled_after_seconds)
    with transaction() as session:
        lost = [d for d in intake_service.stalled_documents(session, older_than=cutoff) if _job_lost(session, d)]
        for document in lost:
            _recover(session, document, settings.max_processing_attempts)
    return len(lost)


def _job_lost(session: Session, document: Document) -> bool:
    if document.job_id is None:
        return True
    return not is_pending(session, document.job_id) and not job_is_alive(document.job_id)


def _recover(session: Session, document: Document, max_attempts: int) -> None:
    if document.attempts >= max_attempts:
        log.warning("document %s started %d times without finishing; failing it", document.id, document.attempts)
        extraction_service.mark_failed(
            session, document.id, f"Processing started {document.attempts} times without finishing (the worker may "
                                  "have run out of memory or been killed). Retry it, or report it if it keeps failing.")
        return
    log.warning("the queue lost the job of document %s; queueing it again", document.id)
    intake_service.stage_processing(session, document)
