"""Extraction use cases with a session: claim a document, store results, record corrections."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, true, update
from sqlalchemy.orm import Session

from core import audit
from core.audit import WORKER_ACTOR
from core.auth import Principal
from core.db import utcnow
from extraction.model import ExtractedField, ExtractionResult, word_json
from extraction.pipeline import DocumentInput
from models import Document, DocumentStatus, Extraction, Page

CLAIMABLE = (DocumentStatus.RECEIVED, DocumentStatus.PROCESSING)


def claim_for_processing(session: Session, document_id: uuid.UUID, job_id: str | None,
                         max_attempts: int) -> DocumentInput | None:
    """Mark the document ``processing`` and describe it, or None when there is nothing to do.

    Only the document's current job may claim it (``job_id`` None: whichever that is), in one atomic
    UPDATE, so a stale or duplicate job for the same document steps aside. A document started more than
    ``max_attempts`` times without finishing (its worker was killed each time) fails instead.
    """
    claim = (update(Document)
             .where(Document.id == document_id, Document.status.in_(CLAIMABLE),
                    Document.job_id == job_id if job_id else true())
             .values(status=DocumentStatus.PROCESSING, attempts=Document.attempts + 1, updated_at=utcnow())
             .execution_options(synchronize_session=False))
    if session.execute(claim).rowcount != 1:
        return None
    document = session.get(Document, document_id, populate_existing=True)
    if document.attempts > max_attempts:
        mark_failed(session, document, f"Processing started {document.attempts - 1} times without finishing (the "
                                       "worker may have run out of memory or been killed). Retry it, or report it "
                                       "if it keeps failing.")
        return None
    return DocumentInput(str(document.id), str(document.company_id), document.sha256, document.media_type,
                         document.declared_doc_type)


def owned_document(session: Session, document_id: uuid.UUID, job_id: str | None) -> Document | None:
    """The document, locked, if job ``job_id`` still owns its processing (None when it was superseded,
    e.g. queued again while this job ran); every later change of the job's transaction is then safe."""
    document = session.get(Document, document_id, with_for_update=True, populate_existing=True)
    if document is None or document.status != DocumentStatus.PROCESSING:
        return None
    return document if job_id is None or document.job_id == job_id else None


def store_result(session: Session, document: Document, result: ExtractionResult, image_keys: list[str | None],
                 timings: dict[str, float]) -> Extraction:
    """Keep the pages (words and page images) and the machine's extraction (version 1) of a processed document.

    Each page is written and let go before the next is built, so a long dense document holds the stored form
    of one page's words at a time, not of all of them."""
    for page, image_key in zip(result.pages, image_keys, strict=True):
        row = Page(company_id=document.company_id, document_id=document.id, number=page.number, width=page.width,
                   height=page.height, source=page.source, image_key=image_key,
                   words=[word_json(word) for word in page.words])
        session.add(row)
        session.flush()
        session.expunge(row)
    document.page_count = len(result.pages) or None
    document.doc_type = result.doc_type
    document.doc_type_confidence = result.doc_type_confidence
    document.timings = timings
    extraction = Extraction(
        company_id=document.company_id, document_id=document.id, version=1, kind="machine",
        producer=result.producer, doc_type=result.doc_type,
        fields={name: f.as_json() for name, f in result.fields.items()}, line_items=result.line_items,
        validation=[issue.as_json() for issue in result.issues],
    )
    session.add(extraction)
    session.flush()
    audit.record(session, company_id=document.company_id, actor=WORKER_ACTOR, action="document.extracted",
                 entity_type="document", entity_id=document.id,
                 data={"doc_type": result.doc_type, "fields": sorted(result.fields), "producer": result.producer})
    return extraction


def mark_failed(session: Session, document: Document, reason: str, timings: dict[str, float] | None = None) -> None:
    """Leave the document ``failed`` with a reason a person can read; the original stays stored."""
    document.status = DocumentStatus.FAILED
    document.failure_reason = reason
    if timings:
        document.timings = timings
    audit.record(session, company_id=document.company_id, actor=WORKER_ACTOR, action="document.failed",
                 entity_type="document", entity_id=document.id, data={"reason": reason})


def latest_extraction(session: Session, document_id: uuid.UUID) -> Extraction | None:
    query = select(Extraction).where(Extraction.document_id == document_id).order_by(Extraction.version.desc())
    return session.scalars(query.limit(1)).first()


def record_correction(
    session: Session, *, document: Document, principal: Principal, corrections: dict[str, Any],
    issues: list[dict[str, str]], comment: str | None,
) -> Extraction:
    """A new human version of the fields: the latest version with ``corrections`` applied."""
    previous = latest_extraction(session, document.id)
    fields = dict(previous.fields) if previous else {}
    for name, value in corrections.items():
        fields[name] = corrected_field(fields.get(name), value, principal.email)
    extraction = Extraction(
        company_id=document.company_id, document_id=document.id, version=(previous.version + 1) if previous else 1,
        kind="human", producer=f"human:{principal.email}", created_by_id=principal.user_id,
        doc_type=document.doc_type, fields=fields, line_items=previous.line_items if previous else [],
        validation=issues, comment=comment,
    )
    session.add(extraction)
    session.flush()
    return extraction


def corrected_field(previous: dict[str, Any] | None, value: Any, email: str) -> dict[str, Any]:
    """A field as a person set it; the box of the machine's reading is kept so it stays traceable."""
    was = previous.get("value") if previous else None
    return ExtractedField(
        value=value, confidence=1.0, page=previous.get("page") if previous else None,
        bbox=tuple(previous["bbox"]) if previous and previous.get("bbox") else None, source="human",
        evidence=f"set by {email}" + (f" (machine read {was!r})" if was not in (None, value) else ""),
    ).as_json()


