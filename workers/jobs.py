"""Job functions, enqueued by name (``workers.jobs.<name>``). They take IDs and reload their rows."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import date

from rq import get_current_job

from core.blobs import get_blob_store
from core.db import transaction
from core.errors import UnreadableDocument
from core.metrics import observe_job_duration
from core.settings import get_settings
from extraction import service as extraction_service
from extraction.pipeline import extract
from models import Document
from posting import service as posting_service

log = logging.getLogger(__name__)


def process_document(document_id: str) -> str:
    """Read, extract, draft and route one document. Safe to run again: finished documents are skipped."""
    started = time.perf_counter()
    try:
        outcome = _process(uuid.UUID(document_id), started)
    except Exception as exc:
        _fail_if_last_attempt(uuid.UUID(document_id), exc)
        raise
    observe_job_duration("process_document", time.perf_counter() - started)
    return outcome


def _process(document_id: uuid.UUID, started: float) -> str:
    with transaction() as session:
        document_input = extraction_service.claim_for_processing(session, document_id, _current_job_id())
    if document_input is None:
        return "skipped: already processed"
    try:
        data = get_blob_store().get(document_input.blob_key)
        read_started = time.perf_counter()
        result = extract(data, document_input, max_pages=get_settings().max_pdf_pages, today=date.today())
        extract_seconds = time.perf_counter() - read_started
    except UnreadableDocument as exc:
        with transaction() as session:
            extraction_service.mark_failed(session, document_id, exc.detail)
        return f"failed: {exc.detail}"
    with transaction() as session:
        extraction = extraction_service.store_result(session, document_id, result)
        document = session.get(Document, document_id)
        posting_service.draft_and_route(session, document, extraction.fields, extraction.validation)
        document.timings = {"extract": round(extract_seconds, 3), "total": round(time.perf_counter() - started, 3)}
        return document.status


def _current_job_id() -> str | None:
    job = get_current_job()
    return job.id if job else None


def _fail_if_last_attempt(document_id: uuid.UUID, exc: Exception) -> None:
    """After the last retry, leave the document ``failed`` with a readable reason."""
    job = get_current_job()
    if job is not None and (job.retries_left or 0) > 0:
        log.warning("process_document %s will be retried: %s", document_id, exc)
        return
    with transaction() as session:
        extraction_service.mark_failed(
            session, document_id, f"Processing stopped after repeated errors ({type(exc).__name__}: {exc}). "
                                  "Retry it, or report it if it keeps failing.")
