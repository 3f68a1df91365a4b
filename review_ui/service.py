"""Review use cases: the queue, claiming a task, and deciding a document (approve, reject, return)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.auth import Principal
from core.db import utcnow
from core.errors import InvalidRequest, InvalidStatusTransition
from core.permissions import Permission, has_permission
from extraction import service as extraction_service
from extraction.fields import normalize_correction
from extraction.validate import item_values, revalidated
from intake import service as intake_service
from models import Document, DocumentStatus, Extraction, ReviewTask, ReviewTaskStatus, Voucher, VoucherStatus
from posting import service as posting_service
from posting.approvals import service as approval_service
from posting.drafting import CannotDraft

DECISIONS = ("approve", "reject", "return")
REVIEWABLE = (DocumentStatus.NEEDS_REVIEW, DocumentStatus.AUTO_APPROVED)


@dataclass(frozen=True)
class ReviewDecision:
    decision: str
    corrections: dict[str, Any] = field(default_factory=dict)
    comment: str | None = None


def queue(session: Session, principal: Principal, limit: int = 200) -> list[tuple[ReviewTask, Document]]:
    """Open tasks of the caller's company, oldest first."""
    principal.require(Permission.REVIEW)
    query = (select(ReviewTask, Document).join(Document, Document.id == ReviewTask.document_id)
             .where(ReviewTask.company_id == principal.company_id, ReviewTask.status == ReviewTaskStatus.OPEN)
             .order_by(ReviewTask.created_at).limit(limit))
    return [(task, document) for task, document in session.execute(query)]


def open_task(session: Session, document_id: uuid.UUID) -> ReviewTask | None:
    query = select(ReviewTask).where(ReviewTask.document_id == document_id, ReviewTask.status == ReviewTaskStatus.OPEN)
    return session.scalars(query.limit(1)).first()


def claim(session: Session, principal: Principal, document_id: uuid.UUID) -> ReviewTask | None:
    """Assign the document's open task to the caller (taking it over from anyone else)."""
    principal.require(Permission.REVIEW)
    intake_service.get_document(session, principal, document_id)
    task = open_task(session, document_id)
    if task is not None and task.assigned_to_id != principal.user_id:
        task.assigned_to_id, task.claimed_at = principal.user_id, utcnow()
        audit.record(session, company_id=task.company_id, actor=principal.actor, action="review.claimed",
                     entity_type="document", entity_id=document_id, data={"task_id": str(task.id)})
    return task


def decide(session: Session, principal: Principal, document_id: uuid.UUID, decision: ReviewDecision) -> Document:
    """Apply a reviewer's corrections and decision to a document and its draft voucher.

    Approving confirms the document's fields; its voucher then waits for the steps of its approval route, if it has
    any; else it is approved as well when the caller may approve vouchers, otherwise it stays a draft that waits for
    an approver.
    """
    principal.require(Permission.REVIEW)
    if decision.decision not in DECISIONS:
        raise InvalidRequest(f"decision must be one of {', '.join(DECISIONS)}.")
    document = intake_service.get_document(session, principal, document_id)
    posting_service.lock_for_decision(session, document)
    if document.status not in REVIEWABLE:
        raise InvalidStatusTransition(f"Document {document.id} is {document.status}; it is not waiting for review.")
    if decision.corrections:
        _apply_corrections(session, principal, document, decision)
    _DECIDERS[decision.decision](session, principal, document, decision)
    audit.record(session, company_id=document.company_id, actor=principal.actor, action=f"review.{decision.decision}",
                 entity_type="document", entity_id=document.id,
                 data={"corrections": decision.corrections, "comment": decision.comment, "status": document.status})
    return document


def _apply_corrections(session: Session, principal: Principal, document: Document, decision: ReviewDecision) -> None:
    corrections = {name: normalize_correction(document.doc_type, name, value)
                   for name, value in decision.corrections.items()}
    previous = extraction_service.latest_extraction(session, document.id)
    values = {name: f.get("value") for name, f in (previous.fields if previous else {}).items()} | corrections
    items = item_values(document.doc_type, previous.line_items if previous else [])
    issues = revalidated(values | items, previous.validation if previous else [], date.today(), document.doc_type)
    issues = extraction_service.rematched_issues(session, document, values, issues)
    corrected = extraction_service.record_correction(session, document=document, principal=principal,
                                                     corrections=corrections, issues=issues, comment=decision.comment)
    voucher = posting_service.current_voucher(session, document.id)
    if posting_service.has_voucher(document) and (voucher is None or _is_draft(voucher)
                                                  or posting_service.replaced_on_redraft(voucher)):
        _draft(session, principal, document, corrected, decision)


def _draft(session: Session, principal: Principal, document: Document, extraction: Extraction,
           decision: ReviewDecision) -> Voucher | None:
    """Draft the document's voucher from ``extraction``; when it cannot be, an approval is refused with why."""
    try:
        return posting_service.draft_for_document(session, document, extraction.fields, extraction.line_items,
                                                  principal.actor)
    except CannotDraft as exc:
        if decision.decision == "approve":
            raise InvalidRequest(f"Cannot approve: {exc}.") from exc
        return None


def _approve(session: Session, principal: Principal, document: Document, decision: ReviewDecision) -> None:
    """Confirm the document's fields and its draft voucher. A voucher whose approval route has steps waits for the
    first (even when the caller may approve vouchers: the review is one hand, each step another); else it is
    approved too (and posted, if the company posts on approval) only if the caller may approve vouchers. What the
    confirmed fields show about the vendor's layout is remembered for its next documents."""
    voucher = posting_service.current_voucher(session, document.id)
    if posting_service.has_voucher(document) and (voucher is None or posting_service.replaced_on_redraft(voucher)):
        extraction = extraction_service.latest_extraction(session, document.id)
        if extraction is None:
            raise InvalidRequest("Cannot approve: there is no voucher. Correct the fields (at least total_amount) "
                                 "so that one is drafted first.")
        voucher = _draft(session, principal, document, extraction, decision)  # e.g. a rate was added meanwhile
    if approval_service.has_steps(voucher):
        approval_service.await_approval(session, document, voucher, principal.actor)
    elif _is_draft(voucher) and has_permission(principal.role, Permission.APPROVE_VOUCHERS):
        posting_service.approve_voucher(session, voucher, principal)  # approves (and may post) the document too
    else:
        document.status = DocumentStatus.APPROVED
    posting_service.close_review_task(session, document.id, principal, "approve", decision.comment)
    extraction_service.learn_from_confirmed(session, document)


def _reject(session: Session, principal: Principal, document: Document, decision: ReviewDecision) -> None:
    """Reject the document and its draft voucher with it."""
    voucher = posting_service.current_voucher(session, document.id)
    if _is_draft(voucher):
        posting_service.reject_voucher(session, voucher, principal)
    document.status = DocumentStatus.REJECTED
    posting_service.close_review_task(session, document.id, principal, "reject", decision.comment)


def _return(session: Session, principal: Principal, document: Document, decision: ReviewDecision) -> None:
    """Put the document back in the queue, unassigned, with the reviewer's comment as a reason."""
    task = open_task(session, document.id) or posting_service.open_review_task(session, document, [])
    task.assigned_to_id, task.claimed_at = None, None
    note = f"returned by {principal.email}" + (f": {decision.comment}" if decision.comment else "")
    task.reasons = [*task.reasons, note]
    document.status = DocumentStatus.NEEDS_REVIEW


def _is_draft(voucher: Voucher | None) -> bool:
    return voucher is not None and voucher.status == VoucherStatus.DRAFT


_DECIDERS = {"approve": _approve, "reject": _reject, "return": _return}


def voucher_waits_for_approver(session: Session, document: Document) -> bool:
    """Whether the document is approved but its voucher is still a draft: a reviewer confirmed the fields and
    someone who may approve vouchers (or each step of its approval route) has yet to approve it."""
    voucher = posting_service.current_voucher(session, document.id)
    waiting = (DocumentStatus.APPROVED, DocumentStatus.AWAITING_APPROVAL)
    return document.status in waiting and _is_draft(voucher)
