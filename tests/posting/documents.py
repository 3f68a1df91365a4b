"""Documents as the workers leave them (a row and its machine extraction), for tests of posting with a session."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from core.auth import Principal, principal_for
from core.db import transaction
from core.identity import User
from models import Document, Extraction, Voucher
from posting import service as posting_service

BOX = [0.6, 0.8, 0.9, 0.82]


def stored_document(company_id: uuid.UUID, doc_type: str = "invoice", items: tuple[dict, ...] = (), *,
                    uploaded_by: uuid.UUID | None = None, vendor_id: uuid.UUID | None = None,
                    **values: Any) -> uuid.UUID:
    """A processed document with ``values`` read on page 1 (every field in ``BOX``) and ``items``."""
    fields = {name: {"value": value, "confidence": 0.99, "page": 1, "bbox": BOX, "source": "pdf_text",
                     "evidence": name} for name, value in values.items()}
    with transaction() as session:
        document = Document(company_id=company_id, status="processing", doc_type=doc_type, filename="d.pdf",
                            media_type="application/pdf", size_bytes=1, uploaded_by_id=uploaded_by,
                            vendor_id=vendor_id, sha256=hashlib.sha256(uuid.uuid4().bytes).hexdigest())
        session.add(document)
        session.flush()
        session.add(Extraction(company_id=company_id, document_id=document.id, version=1, kind="machine",
                               producer="test", doc_type=doc_type, fields=fields, line_items=list(items)))
        return document.id


def route(document_id: uuid.UUID) -> list[str]:
    """Draft and route the document as the worker does; the review task's reasons ([] when straight through)."""
    with transaction() as session:
        document = session.get(Document, document_id)
        extraction = session.query(Extraction).filter_by(document_id=document_id).one()
        task = posting_service.draft_and_route(session, document, extraction.fields, extraction.validation,
                                               extraction.line_items)
        return task.reasons if task else []


def voucher_of(document_id: uuid.UUID) -> Voucher | None:
    with transaction() as session:
        return posting_service.current_voucher(session, document_id)  # its lines and their accounts load with it


def as_principal(user: User) -> Principal:
    with transaction() as session:
        return principal_for(session.get(User, user.id))
