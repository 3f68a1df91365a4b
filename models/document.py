"""Documents as received, their pages (words with boxes) and versioned extractions."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin, utcnow


DOC_TYPES = ("invoice", "receipt", "contract", "expense_claim", "bank_statement", "other")
"""What a document can be; an upload may declare one, classification decides otherwise."""


class DocumentStatus(StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    NEEDS_REVIEW = "needs_review"
    AUTO_APPROVED = "auto_approved"
    AWAITING_APPROVAL = "awaiting_approval"
    """Its fields are confirmed (or needed no review) and its voucher waits at a step of its approval route."""
    APPROVED = "approved"
    POSTED = "posted"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    FAILED = "failed"


class Document(IdMixin, TimestampMixin, Base):
    """A file as it arrived, and where it stands in the flow."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("company_id", "sha256"),
        UniqueConstraint("company_id", "idempotency_key"),
        Index("ix_documents_company_status_created", "company_id", "status", "created_at"),
        Index("ix_documents_status_updated", "status", "updated_at"),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default=DocumentStatus.RECEIVED)
    doc_type: Mapped[str | None] = mapped_column(String(30))
    doc_type_confidence: Mapped[float | None]
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(30), default="api")
    external_id: Mapped[str | None] = mapped_column(String(200))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    declared_doc_type: Mapped[str | None] = mapped_column(String(30))
    duplicate_of_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id"))
    vendor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vendors.id"), index=True)
    """The vendor of the master the document was matched to (``extraction.vendors``), by the worker or after a
    clerk's correction."""
    vendor_match: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """Why it matched (``{vendor_id, vendor_name, score, via, reason}``), or the vendor to create
    (``{proposal: {name, tax_id, iban}, reason}``)."""
    failure_reason: Mapped[str | None] = mapped_column(Text)
    page_count: Mapped[int | None]
    attempts: Mapped[int] = mapped_column(default=0)
    job_id: Mapped[str | None] = mapped_column(String(200))
    """The rq job that may process this document now; any other job for it steps aside."""
    timings: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Page(IdMixin, Base):
    """One page's words: ``[{"text", "bbox": [x0, y0, x1, y1] (page fraction), "confidence"}]``, and the page
    image the worker drew for the review page (a PNG in the blob store)."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id"), index=True)
    number: Mapped[int]
    width: Mapped[float]
    height: Mapped[float]
    source: Mapped[str] = mapped_column(String(20))
    image_key: Mapped[str | None] = mapped_column(String(64))
    words: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class Extraction(IdMixin, TimestampMixin, Base):
    """One version of a document's fields: version 1 from the machine, later ones from people."""

    __tablename__ = "extractions"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id"), index=True)
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))  # machine | human
    producer: Mapped[str] = mapped_column(String(100))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    doc_type: Mapped[str | None] = mapped_column(String(30))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    line_items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    validation: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    comment: Mapped[str | None] = mapped_column(Text)


class DocumentFingerprint(IdMixin, Base):
    """A value a document is found again by, to spot likely duplicates (``extraction.duplicates``): ``invoice`` (a
    digest of vendor, number and total), ``page`` (its first page's 64-bit picture hash, in hex) and ``page_band``
    (one band of that hash, ``"<band>:<hex>"``, looked up by equality)."""

    __tablename__ = "document_fingerprints"
    __table_args__ = (Index("ix_document_fingerprints_lookup", "company_id", "kind", "value"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"))
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(64))


class DuplicateLink(IdMixin, TimestampMixin, Base):
    """``document_id`` is likely a duplicate of the earlier ``duplicate_of_id``, found after extraction. Both
    documents stay; the later one goes to review with the link and a person decides."""

    __tablename__ = "duplicate_links"
    __table_args__ = (UniqueConstraint("document_id", "duplicate_of_id", "reason"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id"), index=True)
    duplicate_of_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id"), index=True)
    reason: Mapped[str] = mapped_column(String(30))
    """``same_invoice``, ``same_receipt`` or ``similar_page``."""
    distance: Mapped[int | None]
    """Bits by which the first pages' picture hashes differ (``similar_page``)."""
