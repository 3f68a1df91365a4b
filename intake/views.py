"""Read models of documents: everything the API and the pages show about one document."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.schemas import (DocumentOut, DocumentSummary, DuplicateOut, ExtractionVersionOut, PageOut,
                            VendorMatchOut)
from models import Document, DuplicateLink, Extraction, Page, ReviewTask, Voucher


def document_out(session: Session, document: Document) -> DocumentOut:
    extraction = _latest(session, Extraction, document, Extraction.version.desc())
    task = _latest(session, ReviewTask, document, ReviewTask.created_at.desc())
    voucher = _latest(session, Voucher, document, Voucher.created_at.desc())
    return DocumentOut(
        id=document.id, status=document.status, filename=document.filename, media_type=document.media_type,
        source=document.source, external_id=document.external_id, sha256=document.sha256,
        doc_type=document.doc_type, doc_type_confidence=document.doc_type_confidence, page_count=document.page_count,
        pages=document_pages(session, document),
        fields=extraction.fields if extraction else {}, line_items=extraction.line_items if extraction else [],
        validation=extraction.validation if extraction else [], review_reasons=task.reasons if task else [],
        extraction_version=extraction.version if extraction else None, voucher_id=voucher.id if voucher else None,
        duplicate_of=document.duplicate_of_id, duplicates=likely_duplicates(session, document),
        vendor=VendorMatchOut.model_validate(document.vendor_match) if document.vendor_match else None,
        failure_reason=document.failure_reason, timings=document.timings or {},
        created_at=document.created_at.isoformat(), updated_at=document.updated_at.isoformat(),
    )


def document_pages(session: Session, document: Document) -> list[PageOut]:
    """Each page: where its words came from, how many, and its image."""
    word_count = func.coalesce(func.json_array_length(Page.words), 0)  # counted by the database: never loaded
    query = (select(Page.number, Page.source, Page.width, Page.height, Page.image_key, word_count.label("words"))
             .where(Page.document_id == document.id).order_by(Page.number))
    return [PageOut(number=p.number, source=p.source, width=p.width, height=p.height, words=p.words,
                    image_url=f"/api/v1/documents/{document.id}/pages/{p.number}.png" if p.image_key else None)
            for p in session.execute(query)]


def likely_duplicates(session: Session, document: Document) -> list[DuplicateOut]:
    """The earlier documents this one is likely a duplicate of, with the reason each was found."""
    query = (select(DuplicateLink).where(DuplicateLink.company_id == document.company_id,
                                         DuplicateLink.document_id == document.id)
             .order_by(DuplicateLink.created_at, DuplicateLink.reason))
    return [DuplicateOut(document_id=link.duplicate_of_id, reason=link.reason, distance=link.distance)
            for link in session.scalars(query)]


def extraction_versions(session: Session, document: Document) -> list[ExtractionVersionOut]:
    """Every version of the document's fields, newest first: the machine's and each person's."""
    query = select(Extraction).where(Extraction.document_id == document.id).order_by(Extraction.version.desc())
    return [ExtractionVersionOut(version=e.version, kind=e.kind, producer=e.producer, created_by_id=e.created_by_id,
                                 created_at=e.created_at.isoformat(), fields=e.fields, validation=e.validation,
                                 comment=e.comment)
            for e in session.scalars(query)]


def document_summary(document: Document) -> DocumentSummary:
    return DocumentSummary(id=document.id, status=document.status, filename=document.filename,
                           doc_type=document.doc_type, sha256=document.sha256,
                           failure_reason=document.failure_reason, created_at=document.created_at.isoformat())


def _latest(session: Session, model, document: Document, order):
    return session.scalars(select(model).where(model.document_id == document.id).order_by(order).limit(1)).first()
