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
from extraction import repository
from extraction.duplicates import (NEAR_DISTANCE, Finding, OtherDocument, duplicate_issue, fingerprint_rows, hamming,
                                   hash_bands, invoice_key, numbers_agree, page_numbers, picture_hash,
                                   same_document_reason)
from extraction.model import ExtractedField, ExtractionResult, Issue, word_json
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
                 timings: dict[str, float], page_hash: int | None = None) -> Extraction:
    """Keep the pages (words and page images) and the machine's extraction (version 1) of a processed document,
    with a warning for each earlier document it is likely a duplicate of (``page_hash``: its first page's picture
    hash, where the page was drawn; used when that page is a picture)."""
    _store_pages(session, document, result, image_keys)
    document.page_count = len(result.pages) or None
    document.doc_type = result.doc_type
    document.doc_type_confidence = result.doc_type_confidence
    document.timings = timings
    duplicates = record_duplicates(session, document, result, page_hash)
    extraction = Extraction(
        company_id=document.company_id, document_id=document.id, version=1, kind="machine",
        producer=result.producer, doc_type=result.doc_type,
        fields={name: f.as_json() for name, f in result.fields.items()}, line_items=result.line_items,
        validation=[issue.as_json() for issue in [*result.issues, *duplicates]],
    )
    session.add(extraction)
    session.flush()
    audit.record(session, company_id=document.company_id, actor=WORKER_ACTOR, action="document.extracted",
                 entity_type="document", entity_id=document.id,
                 data={"doc_type": result.doc_type, "fields": sorted(result.fields), "producer": result.producer,
                       **({"likely_duplicates": len(duplicates)} if duplicates else {})})
    return extraction


def _store_pages(session: Session, document: Document, result: ExtractionResult, image_keys: list[str | None]) -> None:
    """Each page is written and let go before the next is built, so a long dense document holds the stored form
    of one page's words at a time, not of all of them."""
    for page, image_key in zip(result.pages, image_keys, strict=True):
        row = Page(company_id=document.company_id, document_id=document.id, number=page.number, width=page.width,
                   height=page.height, source=page.source, image_key=image_key,
                   words=[word_json(word) for word in page.words])
        session.add(row)
        session.flush()
        session.expunge(row)


def record_duplicates(session: Session, document: Document, result: ExtractionResult,
                      page_hash: int | None) -> list[Issue]:
    """Find the company's earlier documents this one is likely a duplicate of, link them, and keep this one's
    fingerprints for the documents after it. Never drops or hides the document: the issues send it to review."""
    key = invoice_key(result.doc_type, {name: f.value for name, f in result.fields.items()})
    page_hash = picture_hash(result.pages, page_hash)
    findings = [Finding(other, same_document_reason(result.doc_type))
                for other in repository.documents_with(session, document.company_id, "invoice", [key] if key else [],
                                                       besides=document.id)]
    if page_hash is not None:
        numbers = page_numbers(result.pages[0].words)
        findings += _similar_pages(session, document, page_hash, numbers, {f.other_id for f in findings})
    repository.add_fingerprints(session, document, fingerprint_rows(key, page_hash))
    for finding in findings:
        repository.add_link(session, document, finding.other_id, finding.reason, finding.distance)
    others = repository.documents_by_id(session, document.company_id, [f.other_id for f in findings])
    return [duplicate_issue(finding, _described(others[finding.other_id])) for finding in findings]


def _similar_pages(session: Session, document: Document, page_hash: int, numbers: frozenset[str],
                   already: set[uuid.UUID]) -> list[Finding]:
    """Earlier documents whose first page is within ``NEAR_DISTANCE`` bits of this one's and prints the same
    numbers (where both were read)."""
    candidates = [other for other in repository.documents_with(session, document.company_id, "page_band",
                                                                hash_bands(page_hash), besides=document.id)
                  if other not in already]
    hashes = repository.page_hashes(session, document.company_id, candidates)
    near = [(other, hamming(hashes[other], page_hash)) for other in candidates if other in hashes]
    return [Finding(other, "similar_page", distance) for other, distance in near if distance <= NEAR_DISTANCE
            and numbers_agree(numbers, page_numbers(repository.first_page_words(session, other)))]


def _described(other: Document) -> OtherDocument:
    return OtherDocument(str(other.id), other.filename, other.created_at.date(), other.status)


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


