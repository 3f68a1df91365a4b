"""The review API: decide a document, claim its task."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses
from intake.schemas import DocumentOut
from intake.service import get_document
from intake.views import document_out
from review_ui import service
from review_ui.schemas import ReviewIn

router = APIRouter(prefix="/api/v1/documents", tags=["review"], responses=API_ERRORS)


@router.post("/{document_id}/review", response_model=DocumentOut, responses=error_responses(400, 404, 409, 413))
def review_document(document_id: uuid.UUID, body: ReviewIn, principal: CurrentPrincipal,
                    session: SessionDep) -> DocumentOut:
    """Approve, reject or return a document, with optional field corrections."""
    decision = service.ReviewDecision(body.decision, body.corrections, body.comment)
    document = service.decide(session, principal, document_id, decision)
    return document_out(session, document)


@router.post("/{document_id}/claim", response_model=DocumentOut, responses=error_responses(404, 409))
def claim_document(document_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> DocumentOut:
    """Take the document's open review task."""
    service.claim(session, principal, document_id)
    return document_out(session, get_document(session, principal, document_id))
