"""Request and response shapes of the documents API (DESIGN.md section 4)."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel


class DocumentCreated(BaseModel):
    id: uuid.UUID
    status: str
    sha256: str
    duplicate_of: uuid.UUID | None


class ValidationIssueOut(BaseModel):
    rule: str
    severity: str
    message: str


class DuplicateOut(BaseModel):
    """An earlier document this one is likely a duplicate of, found after extraction (not the same bytes: those
    are ``duplicate_of``)."""

    document_id: uuid.UUID
    reason: str
    """``same_invoice`` (same vendor, invoice number and total), ``same_receipt`` (same merchant, date, time and
    total) or ``similar_page`` (a nearly identical first page, such as a photo sent again re-encoded)."""
    distance: int | None = None
    """For ``similar_page``: how many of the 64 bits of the first pages' picture hashes differ."""


class VendorProposalOut(BaseModel):
    name: str
    tax_id: str | None = None
    iban: str | None = None


class VendorMatchOut(BaseModel):
    """The document's vendor in the vendor master and why it matched; or, when none did, the vendor to create
    (``POST /api/v1/vendors`` with ``{"document_id": ...}`` creates it)."""

    vendor_id: uuid.UUID | None = None
    vendor_name: str | None = None
    score: float | None = None
    via: str | None = None
    """``tax_id``, ``iban``, ``name`` or ``alias``."""
    reason: str | None = None
    proposal: VendorProposalOut | None = None


class PageOut(BaseModel):
    number: int
    source: str
    """Where the words came from: ``pdf_text`` (the PDF's text layer), ``ocr``, or ``image`` (not read)."""
    width: float
    height: float
    words: int
    image_url: str | None


class DocumentOut(BaseModel):
    id: uuid.UUID
    status: str
    filename: str
    media_type: str
    source: str
    external_id: str | None
    sha256: str
    doc_type: str | None
    doc_type_confidence: float | None
    page_count: int | None
    pages: list[PageOut]
    fields: dict[str, dict[str, Any]]
    line_items: list[dict[str, Any]]
    validation: list[ValidationIssueOut]
    review_reasons: list[str]
    extraction_version: int | None
    voucher_id: uuid.UUID | None
    duplicate_of: uuid.UUID | None
    duplicates: list[DuplicateOut]
    vendor: VendorMatchOut | None = None
    failure_reason: str | None
    timings: dict[str, float]
    created_at: str
    updated_at: str


class ExtractionVersionOut(BaseModel):
    version: int
    kind: str
    producer: str
    created_by_id: uuid.UUID | None
    created_at: str
    fields: dict[str, dict[str, Any]]
    validation: list[ValidationIssueOut]
    comment: str | None


class ExtractionVersionList(BaseModel):
    items: list[ExtractionVersionOut]
    next_cursor: None = None


class DocumentSummary(BaseModel):
    id: uuid.UUID
    status: str
    filename: str
    doc_type: str | None
    sha256: str
    failure_reason: str | None
    created_at: str


class DocumentList(BaseModel):
    items: list[DocumentSummary]
    next_cursor: str | None
