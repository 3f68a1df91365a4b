"""Job functions, enqueued by name (``workers.jobs.<name>``). They take IDs and reload their rows.

A job raises only for transient trouble (database or queue unreachable, a disk hiccup), which rq retries as
declared at enqueue time. Anything about the document itself (damaged, too large, too slow, too hungry, or a
reader's bug on these bytes) would fail the same way again: the document fails at once with a readable reason.
"""

from __future__ import annotations

import logging
import math
import resource
import time
import uuid
from dataclasses import dataclass
from datetime import date

from rq import get_current_job
from rq.timeouts import JobTimeoutException

from core.blobs import get_blob_store
from core.db import DATABASE_DOWN, transaction
from core.errors import NotFound, UnreadableDocument
from core.metrics import observe_job_duration
from core.outbox import relay_after_commit
from core.queue import DEFAULT_QUEUE, LARGE_QUEUE, QUEUE_DOWN
from core.settings import get_settings
from extraction import service as extraction_service
from extraction.model import ExtractionResult, PageText
from extraction.pipeline import DocumentInput, analyse
from extraction.einvoice.reader import read_einvoice
from extraction.reading import PageReader, ReadLimits, count_pages, read_document
from intake import service as intake_service
from posting import service as posting_service
from posting.suggestions import service as suggestions_service
from workers import matching, webhooks
from workers.ocr_process import page_reader

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = (*DATABASE_DOWN, *QUEUE_DOWN, OSError)
"""Trouble around the document, not in it: the job raises and rq tries again later."""


def process_document(document_id: str) -> str:
    """Read, extract, draft and route one document. Safe to run again: finished documents are skipped."""
    started = time.perf_counter()
    job_id = _current_job_id()
    try:
        outcome = _process(uuid.UUID(document_id), job_id, started)
    except TRANSIENT_ERRORS as exc:
        _fail_if_last_attempt(uuid.UUID(document_id), job_id, exc)
        raise
    observe_job_duration("process_document", time.perf_counter() - started)
    return outcome


def learn_confirmed_voucher(voucher_id: str) -> str:
    """Remember an approved voucher's expense lines for the account suggestions of the drafts to come: read, embedded
    outside any transaction (the worker's encoder is loaded before its first job), kept in a short one."""
    with transaction(read_only=True) as session:
        lines = suggestions_service.lines_to_learn(session, uuid.UUID(voucher_id))
    if not lines:
        return "nothing to learn"
    vectors = suggestions_service.embed(lines)
    with transaction() as session:
        kept = suggestions_service.remember_learned(session, uuid.UUID(voucher_id), lines, vectors)
    return f"{kept} line(s) learned"


def deliver_webhook(delivery_id: str, attempt: int) -> str:
    """Attempt ``attempt`` of a webhook delivery: its receiver's trouble is kept on the delivery and retried on the
    delivery's own schedule (``posting.webhooks``); only the database's or the queue's is raised, for rq to retry."""
    return webhooks.deliver(delivery_id, attempt)


@dataclass
class Reading:
    """What reading a document gave: its pages, where their images are stored, and how long it took."""

    pages: list[PageText]
    image_keys: list[str | None]
    seconds: float
    first_page_hash: int | None = None
    """The first page's picture hash, to find it again re-encoded (``extraction.duplicates``)."""


def _process(document_id: uuid.UUID, job_id: str | None, started: float) -> str:
    with transaction() as session:
        claimed = extraction_service.claim_for_processing(session, document_id, job_id,
                                                          get_settings().max_processing_attempts)
    if claimed is None:
        return "skipped: already processed, superseded or failed"
    try:
        data = get_blob_store().get(claimed.blob_key)
        if _belongs_in_large_lane(data, claimed):
            return _move_to_large_queue(document_id, job_id)
        structured = read_einvoice(data, claimed.media_type)  # before any OCR: the XML, where there is one, rules
        ocr = None if structured.einvoice else page_reader()
        reading = _read(data, claimed, ocr, deadline=started + _time_limit())
        analysing = time.perf_counter()
        result = analyse(reading.pages, claimed, today=date.today(), structured=structured)
        return _store(document_id, job_id, result, reading, started, analysed=time.perf_counter() - analysing)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:  # the document itself (too many words to store, say): trying again would fail again
        return _fail(document_id, job_id, permanent_reason(exc), _timings(started))


def _limits() -> ReadLimits:
    settings = get_settings()
    return ReadLimits(max_pages=settings.max_pages, max_pixels=settings.max_image_pixels, ocr_dpi=settings.ocr_dpi)


def _belongs_in_large_lane(data: bytes, claimed: DocumentInput) -> bool:
    """A long document met on the ordinary queue (checked before any page is read)."""
    job = get_current_job()
    on_default_queue = job is not None and job.origin == DEFAULT_QUEUE
    return on_default_queue and count_pages(data, claimed.media_type, _limits()) > get_settings().large_document_pages


def _move_to_large_queue(document_id: uuid.UUID, job_id: str | None) -> str:
    with transaction() as session:
        document = extraction_service.owned_document(session, document_id, job_id)
        if document is None:
            return "skipped: superseded"
        document.attempts -= 1  # moving it was not an attempt at reading it
        intake_service.stage_processing(session, document, LARGE_QUEUE)
    relay_after_commit()
    return "moved to the large-documents queue"


def _read(data: bytes, claimed: DocumentInput, ocr: PageReader | None, deadline: float) -> Reading:
    """Read page by page; each page image is stored as soon as it is drawn, so one page's pixels are held.

    The time limit is also checked after every page: rq's alarm can be lost when it strikes inside code that
    swallows exceptions (a connection pool's cleanup, say), and the worker's own watch comes a minute late.
    """
    started, blobs = time.perf_counter(), get_blob_store()
    pages, keys, first_page_hash = [], [], None
    for page in read_document(data, claimed.media_type, _limits(), ocr):
        pages.append(page.text)
        keys.append(blobs.put(page.png) if page.png is not None else None)
        first_page_hash = page.image_hash if len(pages) == 1 else first_page_hash
        if time.perf_counter() > deadline:
            raise JobTimeoutException(f"past the time limit after page {len(pages)}")
    return Reading(pages, keys, time.perf_counter() - started, first_page_hash)


def _time_limit() -> float:
    """Seconds this job may take (rq's -1: no limit)."""
    job = get_current_job()
    seconds = job.timeout if job is not None and job.timeout else get_settings().job_timeout_seconds
    return float(seconds) if seconds > 0 else math.inf


def _store(document_id: uuid.UUID, job_id: str | None, result: ExtractionResult, reading: Reading,
           started: float, analysed: float) -> str:
    with transaction() as session:
        document = extraction_service.owned_document(session, document_id, job_id)
        if document is None:
            return "skipped: superseded while it was read"
        timings = _timings(started, read=reading.seconds, analyse=analysed, pages=len(reading.pages))
        extraction = extraction_service.store_result(session, document, result, reading.image_keys, timings,
                                                     page_hash=reading.first_page_hash)
        posting_service.draft_and_route(session, document, extraction.fields, extraction.validation,
                                        extraction.line_items)
        return document.status


def _fail(document_id: uuid.UUID, job_id: str | None, reason: str, timings: dict[str, float]) -> str:
    with transaction() as session:
        document = extraction_service.owned_document(session, document_id, job_id)
        if document is None:
            return "skipped: superseded"
        extraction_service.mark_failed(session, document, reason, timings)
    return f"failed: {reason}"


def permanent_reason(exc: Exception) -> str:
    """Why a document cannot be processed, for the person who will read it."""
    settings = get_settings()
    if isinstance(exc, (UnreadableDocument, NotFound)):
        return exc.detail
    if isinstance(exc, JobTimeoutException):
        return (f"Reading the document took longer than {settings.job_timeout_seconds} s, the limit for one "
                "document. Split it into smaller files, or ask an administrator to raise the limit.")
    if isinstance(exc, MemoryError):
        return (f"Reading the document needed more than {settings.max_job_memory_mb} MB of memory, the limit for "
                "one document. Split it or scan it at a lower resolution.")
    log.exception("unexpected failure while reading a document")
    return (f"The document could not be read ({type(exc).__name__}: {exc}). The original is kept; retry it, "
            "or report the problem if it fails again.")


def _timings(started: float, **measured: float) -> dict[str, float]:
    """Seconds taken and the peak memory of this process (the work horse) in MB."""
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {name: round(value, 3) for name, value in measured.items()}
    return figures | {"total": round(time.perf_counter() - started, 3), "peak_memory_mb": round(peak_mb, 1)}


def _current_job_id() -> str | None:
    job = get_current_job()
    return job.id if job else None


def _fail_if_last_attempt(document_id: uuid.UUID, job_id: str | None, exc: Exception) -> None:
    """After the last retry of a transient error, leave the document ``failed`` with a readable reason."""
    job = get_current_job()
    if job is not None and (job.retries_left or 0) > 0:
        log.warning("process_document %s will be retried: %s", document_id, exc)
        return
    reason = (f"Processing stopped after repeated errors ({type(exc).__name__}: {exc}). "
              "Retry it, or report it if it keeps failing.")
    with transaction() as session:
        if document := extraction_service.owned_document(session, document_id, job_id):
            extraction_service.mark_failed(session, document, reason)


def match_statement(statement_id: str, requested_by: str) -> str:
    """Match a bank statement's unmatched lines to open items (``workers.matching``), in the name of whoever
    imported it or asked again. Safe to run again: lines matched meanwhile are left alone."""
    return matching.match_statement(uuid.UUID(statement_id), uuid.UUID(requested_by))
