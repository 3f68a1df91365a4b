"""When a work horse dies under a document (killed at its time limit, or out of memory), the document fails
with the reason instead of being tried again: the same bytes would end the same way."""

from __future__ import annotations

import logging
import os
import uuid

from rq.job import Job

from core.db import transaction, utcnow
from core.processes import memory_in_use_mb
from core.settings import get_settings
from extraction import service as extraction_service

log = logging.getLogger(__name__)
MEMORY_NEAR_LIMIT = 0.9


def horse_died(job: Job, _pid: int, status: int, rusage) -> None:
    """rq's hook in the worker: the horse running ``job`` ended by a signal or a crash."""
    # the horse started with the worker's loaded models resident; what the document took is the rest
    peak_mb = max(0.0, rusage.ru_maxrss / 1024 - memory_in_use_mb("VmRSS")) if rusage else 0.0
    log.warning("work horse of %s ended (status %s, peak %.0f MB)", job.id, status, peak_mb)
    reason = death_reason(_running_seconds(job), job.timeout, peak_mb, get_settings().max_job_memory_mb, status)
    if reason and job.func_name.endswith("process_document"):
        _fail_document(uuid.UUID(job.args[0]), job.id, reason, peak_mb)


def death_reason(seconds: float, timeout: int | None, peak_mb: float, limit_mb: int, status: int) -> str | None:
    """Why the horse died, when the document caused it; None for anything else (rq tries the job again)."""
    if timeout and timeout > 0 and seconds >= timeout:
        return (f"Reading the document took longer than {timeout} s, the limit for one document. Split it into "
                "smaller files, or ask an administrator to raise the limit.")
    if peak_mb >= MEMORY_NEAR_LIMIT * limit_mb:
        signal_name = f" (signal {os.WTERMSIG(status)})" if os.WIFSIGNALED(status) else ""
        return (f"Reading the document needed more than {limit_mb} MB of memory, the limit for one document, and "
                f"its worker stopped{signal_name}. Split it or scan it at a lower resolution.")
    return None


def _running_seconds(job: Job) -> float:
    return (utcnow() - job.started_at).total_seconds() if job.started_at else 0.0


def _fail_document(document_id: uuid.UUID, job_id: str, reason: str, peak_mb: float) -> None:
    with transaction() as session:
        if document := extraction_service.owned_document(session, document_id, job_id):
            extraction_service.mark_failed(session, document, reason, {"peak_memory_mb": round(peak_mb, 1)})
