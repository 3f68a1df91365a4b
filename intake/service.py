"""Intake use cases: receive a file, find documents (scoped to the caller's company), retry."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, outbox
from core.auth import Principal
from core.blobs import StagedBlob
from core.db import insert_ignoring_conflicts
from core.errors import Conflict, IdempotencyKeyReused, InvalidStatusTransition, NotFound
from core.pagination import page_of, paginate
from core.queue import DEFAULT_QUEUE
from core.permissions import Permission, has_permission
from intake.sniff import check_not_empty, sniff_media_type
from models import Document, DocumentStatus, Page

PROCESS_JOB = "process_document"
PENDING_STATUSES = (DocumentStatus.RECEIVED, DocumentStatus.PROCESSING)


@dataclass(frozen=True)
class Upload:
    """A file as a channel hands it over: received into the blob store, not yet committed there."""

    filename: str
    file: StagedBlob
    source: str = "api"
    external_id: str | None = None
    declared_doc_type: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Received:
    """What an upload gave: a new document, or the one that already holds the same bytes."""

    document_id: uuid.UUID
    status: str
    sha256: str
    created: bool
    duplicate_of: uuid.UUID | None

    @classmethod
    def existing(cls, document: Document, *, replay: bool = False) -> Received:
        """An idempotent replay answers as the first upload did; the same bytes again name their original."""
        return cls(document.id, document.status, document.sha256, created=replay,
                   duplicate_of=None if replay else document.id)


def process_job_id(document_id: uuid.UUID, number: int) -> str:
    """Deterministic rq job id: ``process_document-<id>-<n>``, n counting the times it was queued."""
    return f"process_document-{document_id}-{number}"


def next_process_job_id(document: Document) -> str:
    staged = int(document.job_id.rpartition("-")[2]) if document.job_id else 0
    return process_job_id(document.id, staged + 1)


def stage_processing(session: Session, document: Document, queue_name: str = DEFAULT_QUEUE, *,
                     at_front: bool = False) -> None:
    """Make the document ``received`` with a new job that alone may process it, enqueued after commit."""
    document.status, document.failure_reason = DocumentStatus.RECEIVED, None
    document.job_id = next_process_job_id(document)
    outbox.stage_job(session, PROCESS_JOB, [str(document.id)], document.job_id, queue_name, at_front=at_front)


def receive(session: Session, *, principal: Principal, upload: Upload) -> Received:
    """Store the file durably, create the ``Document`` and stage its processing job.

    The same bytes again in the same company give the existing document, marked as a duplicate; a concurrent
    upload of the same bytes gives one document (the insert that loses the race inserts nothing).
    """
    principal.require(Permission.UPLOAD)
    check_not_empty(upload.file.size)
    with upload.file.reader() as stream:
        media_type = sniff_media_type(stream)
    sha = upload.file.commit()  # before any query: the fsync happens outside the database transaction
    replay = _idempotent_replay(session, principal.company_id, upload.idempotency_key, sha)
    if replay:
        return replay
    document_id = _insert_document(session, principal, upload, sha, media_type)
    if document_id is None:
        return _existing(session, principal.company_id, upload.idempotency_key, sha)
    return Received(document_id, DocumentStatus.RECEIVED, sha, created=True, duplicate_of=None)


def _insert_document(session: Session, principal: Principal, upload: Upload, sha: str,
                     media_type: str) -> uuid.UUID | None:
    """Insert the document with its first job and audit event; None when the same bytes (or idempotency key)
    are there already. Plain inserts: the hottest write of the system takes no ORM unit of work."""
    document_id, filename = uuid.uuid4(), _safe_filename(upload.filename)
    job_id = process_job_id(document_id, 1)
    inserted = session.scalar(insert_ignoring_conflicts(session, Document, returning=("id",)), {
        "id": document_id, "company_id": principal.company_id, "uploaded_by_id": principal.user_id,
        "status": DocumentStatus.RECEIVED, "attempts": 0, "filename": filename, "media_type": media_type,
        "size_bytes": upload.file.size, "sha256": sha, "source": upload.source, "external_id": upload.external_id,
        "idempotency_key": upload.idempotency_key, "declared_doc_type": upload.declared_doc_type, "job_id": job_id,
        "timings": {}})
    if inserted is None:
        return None
    outbox.stage_job(session, PROCESS_JOB, [str(document_id)], job_id)
    audit.record(session, company_id=principal.company_id, actor=principal.actor, action="document.received",
                 entity_type="document", entity_id=document_id,
                 data={"sha256": sha, "filename": filename, "media_type": media_type,
                       "size_bytes": upload.file.size, "source": upload.source})
    return document_id


def _existing(session: Session, company_id: uuid.UUID, key: str | None, sha: str) -> Received:
    """The document that made the insert step aside: one with the same bytes, or (a concurrent request with
    the same idempotency key) the replay or refusal of that key."""
    document = _by_sha(session, company_id, sha)
    if document is not None:
        return Received.existing(document)
    replay = _idempotent_replay(session, company_id, key, sha)
    if replay is None:
        raise Conflict("A concurrent upload changed this document; send it again.")
    return replay


def _idempotent_replay(session: Session, company_id: uuid.UUID, key: str | None, sha: str) -> Received | None:
    if not key:
        return None
    document = session.scalars(
        select(Document).where(Document.company_id == company_id, Document.idempotency_key == key)).first()
    if document is None:
        return None
    if document.sha256 != sha:
        raise IdempotencyKeyReused(f"The Idempotency-Key {key!r} was already used for a different file; "
                                   "use a new key for a new upload.")
    return Received.existing(document, replay=True)


def _by_sha(session: Session, company_id: uuid.UUID, sha: str) -> Document | None:
    return session.scalars(select(Document).where(Document.company_id == company_id, Document.sha256 == sha)).first()


def _safe_filename(name: str | None) -> str:
    base = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = "".join(ch for ch in base if ch.isprintable())[:255]
    return cleaned or "upload"


def get_document(session: Session, principal: Principal, document_id: uuid.UUID) -> Document:
    """The document if the caller may see it; otherwise ``NotFound`` (never a hint that it exists)."""
    document = session.get(Document, document_id)
    if document is None or not _may_see(principal, document):
        raise NotFound(f"Document {document_id} does not exist.")
    return document


def page_image_key(session: Session, principal: Principal, document_id: uuid.UUID, number: int) -> str:
    """The blob key of a page's image, which the worker drew when it processed the document."""
    document = get_document(session, principal, document_id)
    key = session.scalar(select(Page.image_key).where(Page.document_id == document.id, Page.number == number))
    if key:
        return key
    if document.status in PENDING_STATUSES:
        raise NotFound(f"The page images of document {document_id} are drawn while it is processed; "
                       "ask again in a moment.")
    if document.page_count:
        raise NotFound(f"The document has {document.page_count} page(s); there is no page {number}.")
    raise NotFound(f"Document {document_id} has no page images ({document.failure_reason or document.media_type}).")


def _may_see(principal: Principal, document: Document) -> bool:
    if document.company_id != principal.company_id:
        return False
    if has_permission(principal.role, Permission.VIEW_ALL_DOCUMENTS):
        return True
    return has_permission(principal.role, Permission.VIEW_OWN_DOCUMENTS) and document.uploaded_by_id == principal.user_id


def list_documents(session: Session, principal: Principal, *, status: str | None, doc_type: str | None, limit: int,
                   cursor: str | None) -> tuple[list[Document], str | None]:
    query = select(Document).where(Document.company_id == principal.company_id)
    if not has_permission(principal.role, Permission.VIEW_ALL_DOCUMENTS):
        principal.require(Permission.VIEW_OWN_DOCUMENTS)
        query = query.where(Document.uploaded_by_id == principal.user_id)
    if status:
        query = query.where(Document.status == status)
    if doc_type:
        query = query.where(Document.doc_type == doc_type)
    rows = list(session.scalars(paginate(query, Document, limit=limit, cursor=cursor)))
    return page_of(rows, limit)


def retry(session: Session, principal: Principal, document_id: uuid.UUID) -> Document:
    """Send a ``failed`` document through processing again."""
    principal.require(Permission.REVIEW)
    document = get_document(session, principal, document_id)
    if document.status != DocumentStatus.FAILED:
        raise InvalidStatusTransition(f"Only failed documents are retried; this one is {document.status}.")
    stage_processing(session, document)
    audit.record(session, company_id=document.company_id, actor=principal.actor, action="document.retried",
                 entity_type="document", entity_id=document.id, data={})
    return document


def count_by_status(session: Session) -> dict[str, int]:
    """How many documents (of every company) are in each status, for the metrics."""
    counts = dict(session.execute(select(Document.status, func.count()).group_by(Document.status)).all())
    return {status.value: counts.get(status.value, 0) for status in DocumentStatus}


def stalled_documents(session: Session, *, older_than: datetime, limit: int = 100) -> list[Document]:
    """Documents waiting to be processed (or in processing) since before ``older_than``, oldest first."""
    query = (select(Document).where(Document.status.in_(PENDING_STATUSES), Document.updated_at < older_than)
             .order_by(Document.updated_at).limit(limit))
    return list(session.scalars(query))
