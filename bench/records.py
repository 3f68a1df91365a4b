"""What the service's database says about the benchmark's documents: read-only queries, SQLite or PostgreSQL.

A document was *processed* when its worker stored the machine's extraction: one ``extractions`` row of kind
``machine`` and one ``document.extracted`` audit event, written in the same transaction (or, for a document
that cannot be read, one ``document.failed`` event and no extraction). Processed *once* means exactly one of
these. ``document.requeued`` events name the documents whose job was lost and queued again by recovery.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from core.audit import AuditEvent
from core.settings import normalize_database_url
from models import Document, Extraction

PENDING = ("received", "processing")
PROCESSED_EVENT = "document.extracted"
FAILED_EVENT = "document.failed"
REQUEUED_EVENT = "document.requeued"
POLL_EVERY = 0.25


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    sha256: str
    status: str
    attempts: int
    job_id: str | None
    failure_reason: str | None
    changed_at: float
    """``time.time()`` of the last change (when it finished, once it is no longer pending)."""
    timings: dict
    machine_extractions: int
    events: Counter
    requeued_at: tuple[float, ...]

    @property
    def pending(self) -> bool:
        return self.status in PENDING

    @property
    def processed_once(self) -> bool:
        """Finished with exactly one result: one extraction and its event, or (failed) one failure event."""
        if self.status == "failed":
            return self.events[FAILED_EVENT] == 1 and self.machine_extractions == 0 and not self.events[PROCESSED_EVENT]
        return (not self.pending and self.machine_extractions == 1 and self.events[PROCESSED_EVENT] == 1
                and not self.events[FAILED_EVENT])


    @property
    def processed_more_than_once(self) -> bool:
        return self.machine_extractions > 1 or self.events[PROCESSED_EVENT] + self.events[FAILED_EVENT] > 1


class Records:
    """Read-only queries on the service's database (its URL as the service is configured)."""

    def __init__(self, database_url: str):
        self._engine = create_engine(normalize_database_url(database_url))

    def __enter__(self) -> Records:
        return self

    def __exit__(self, *_exc) -> None:
        self._engine.dispose()

    def status_counts(self) -> Counter:
        with Session(self._engine) as session:
            query = select(Document.status, func.count()).group_by(Document.status)
            return Counter(dict(session.execute(query).tuples().all()))

    def copies_by_sha256(self) -> Counter:
        """How many ``documents`` rows hold each file (by its SHA-256)."""
        with Session(self._engine) as session:
            query = select(Document.sha256, func.count()).group_by(Document.sha256)
            return Counter(dict(session.execute(query).tuples().all()))

    def documents(self) -> dict[str, DocumentRecord]:
        """Every document with its extraction and audit counts, by id."""
        with Session(self._engine) as session:
            rows = session.execute(select(Document.id, Document.sha256, Document.status, Document.attempts,
                                          Document.job_id, Document.failure_reason, Document.updated_at,
                                          Document.timings)).all()
            extractions = Counter({str(document_id): count for document_id, count in session.execute(
                select(Extraction.document_id, func.count()).where(Extraction.kind == "machine")
                .group_by(Extraction.document_id))})
            events: dict[str, Counter] = {}
            requeued: dict[str, list[float]] = {}
            for entity_id, action, at in session.execute(
                    select(AuditEvent.entity_id, AuditEvent.action, AuditEvent.at)
                    .where(AuditEvent.action.in_((PROCESSED_EVENT, FAILED_EVENT, REQUEUED_EVENT)))):
                events.setdefault(entity_id, Counter())[action] += 1
                if action == REQUEUED_EVENT:
                    requeued.setdefault(entity_id, []).append(at.timestamp())
        return {str(id_): DocumentRecord(str(id_), sha, status, attempts, job_id, reason, changed.timestamp(),
                                         timings or {}, extractions[str(id_)], events.get(str(id_), Counter()),
                                         tuple(sorted(requeued.get(str(id_), ()))))
                for id_, sha, status, attempts, job_id, reason, changed, timings in rows}

    def wait_until_settled(self, expected: int, timeout: float) -> float | None:
        """Wait until at least ``expected`` documents exist and none is received or processing; returns
        ``time.time()`` then, or None if ``timeout`` seconds passed first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            counts = self.status_counts()
            if sum(counts.values()) >= expected and not any(counts[status] for status in PENDING):
                return time.time()
            time.sleep(POLL_EVERY)
        return None

    def wait_until_finished(self, document_ids: set[str], timeout: float) -> float | None:
        """Like :meth:`wait_until_settled`, for the documents ``document_ids`` alone."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._pending_among(document_ids):
                return time.time()
            time.sleep(POLL_EVERY)
        return None

    def _pending_among(self, document_ids: set[str]) -> bool:
        with Session(self._engine) as session:
            rows = session.execute(select(Document.id).where(Document.status.in_(PENDING))).scalars()
            return any(str(document_id) in document_ids for document_id in rows)
