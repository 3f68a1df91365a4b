"""Queries of the extraction service that grew: the fingerprints and links of likely duplicates, the vendor master
and what was learned about each vendor's documents. Every query is scoped by company."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from extraction.model import PageText, Word, word_from_json
from models import Document, DocumentFingerprint, DuplicateLink, Page, Vendor, VendorFieldMemory


def documents_with(session: Session, company_id: uuid.UUID, kind: str, values: Collection[str], *,
                   besides: uuid.UUID) -> list[uuid.UUID]:
    """The company's other documents with a fingerprint of ``kind`` equal to any of ``values``, oldest first."""
    if not values:
        return []
    query = (select(DocumentFingerprint.document_id, Document.created_at)
             .join(Document, Document.id == DocumentFingerprint.document_id)
             .where(DocumentFingerprint.company_id == company_id, DocumentFingerprint.kind == kind,
                    DocumentFingerprint.value.in_(list(values)), DocumentFingerprint.document_id != besides)
             .distinct().order_by(Document.created_at))
    return [row.document_id for row in session.execute(query)]


def page_hashes(session: Session, company_id: uuid.UUID, document_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The first-page picture hash of each of ``document_ids`` that has one."""
    if not document_ids:
        return {}
    query = select(DocumentFingerprint.document_id, DocumentFingerprint.value).where(
        DocumentFingerprint.company_id == company_id, DocumentFingerprint.kind == "page",
        DocumentFingerprint.document_id.in_(list(document_ids)))
    return {row.document_id: int(row.value, 16) for row in session.execute(query)}


def first_page_words(session: Session, document_id: uuid.UUID) -> list[Word]:
    words = session.scalar(select(Page.words).where(Page.document_id == document_id, Page.number == 1))
    return [word_from_json(word) for word in words or []]


def add_fingerprints(session: Session, document: Document, fingerprints: list[tuple[str, str]]) -> None:
    """Replace the document's fingerprints by ``(kind, value)`` pairs."""
    session.execute(DocumentFingerprint.__table__.delete().where(DocumentFingerprint.document_id == document.id))
    session.add_all(DocumentFingerprint(company_id=document.company_id, document_id=document.id, kind=kind, value=value)
                    for kind, value in fingerprints)


def add_link(session: Session, document: Document, other_id: uuid.UUID, reason: str, distance: int | None) -> None:
    session.add(DuplicateLink(company_id=document.company_id, document_id=document.id, duplicate_of_id=other_id,
                              reason=reason, distance=distance))


def documents_by_id(session: Session, company_id: uuid.UUID, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Document]:
    if not ids:
        return {}
    query = select(Document).where(Document.company_id == company_id, Document.id.in_(list(ids)))
    return {document.id: document for document in session.scalars(query)}



def company_vendors(session: Session, company_id: uuid.UUID) -> list[Vendor]:
    """The company's vendor master, by name."""
    return list(session.scalars(select(Vendor).where(Vendor.company_id == company_id).order_by(Vendor.name)))


def vendor_by_name(session: Session, company_id: uuid.UUID, name: str) -> Vendor | None:
    return session.scalars(select(Vendor).where(Vendor.company_id == company_id, Vendor.name == name)).first()


def vendor_memories(session: Session, company_id: uuid.UUID, vendor_id: uuid.UUID) -> list[VendorFieldMemory]:
    """What was learned about the vendor's documents, one row per field."""
    query = select(VendorFieldMemory).where(VendorFieldMemory.company_id == company_id,
                                            VendorFieldMemory.vendor_id == vendor_id)
    return list(session.scalars(query.order_by(VendorFieldMemory.field)))


def document_pages(session: Session, document_id: uuid.UUID, numbers: Collection[int]) -> list[PageText]:
    """Pages ``numbers`` of a document with their words, as the pipeline saw them."""
    rows = session.scalars(select(Page).where(Page.document_id == document_id, Page.number.in_(list(numbers)))
                           .order_by(Page.number))
    return [PageText(row.number, row.width, row.height, row.source, tuple(word_from_json(w) for w in row.words or []))
            for row in rows]
