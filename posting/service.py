"""Posting use cases with a session: charts, drafting vouchers, routing, approval."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.audit import WORKER_ACTOR
from core.auth import Principal
from core.db import utcnow
from core.errors import InvalidStatusTransition, MissingAccounts, NotFound
from core.pagination import page_of, paginate
from core.permissions import Permission
from core.settings import get_settings
from models import (
    Account, Company, Document, DocumentStatus, ReviewTask, ReviewTaskStatus, Voucher, VoucherLine,
    VoucherStatus,
)
from posting.chart import missing_accounts, missing_accounts_detail
from posting.drafting import CannotDraft, DraftVoucher, draft_purchase_invoice, ensure_balanced
from posting.masterdata.records import TABLES
from posting.masterdata.repository import record_of
from posting.masterdata.service import Editor, seed_chart
from posting.routing import review_reasons

SETUP_ACTOR = "system:setup"
"""How the audit log names the chart given to a company that had no account when a voucher was drafted."""


def ensure_default_chart(session: Session, company_id: uuid.UUID, chart: str | None = None, *,
                         actor: str = SETUP_ACTOR, audited: bool = True) -> int:
    """Create the accounts and tax codes of ``chart`` (default: the ``chart`` setting) a company lacks; returns how
    many were added. A new company's chart is not ``audited`` record by record (its creation's event names it)."""
    plans = seed_chart(session, Editor(company_id, actor), chart or get_settings().chart, mode="missing",
                       audited=audited)
    return sum(plan.created for plan in plans.values())


def draft_for_document(session: Session, document: Document, values: dict[str, Any], actor: str) -> Voucher:
    """Draft (or redraft) the document's voucher from field values. Raises ``CannotDraft``, and ``MissingAccounts``
    (before anything is written) when the chart has no account for a role the voucher needs."""
    company = session.get(Company, document.company_id)
    draft = draft_purchase_invoice(values, base_currency=company.base_currency, received_on=document.created_at.date())
    accounts = accounts_for_roles(session, document.company_id, {line.role for line in draft.lines})
    voucher = current_voucher(session, document.id)
    if voucher is not None and voucher.status != VoucherStatus.DRAFT:
        raise InvalidStatusTransition(f"Voucher {voucher.id} is {voucher.status}; only drafts are redrafted.")
    voucher = _store_draft(session, document, draft, voucher, accounts)
    audit.record(session, company_id=document.company_id, actor=actor, action="voucher.drafted",
                 entity_type="voucher", entity_id=voucher.id,
                 data={"document_id": str(document.id), "lines": [_line_summary(line) for line in voucher.lines]})
    return voucher


def _store_draft(session: Session, document: Document, draft: DraftVoucher, voucher: Voucher | None,
                 accounts: dict[str, Account]) -> Voucher:
    if voucher is None:
        voucher = Voucher(company_id=document.company_id, document_id=document.id, status=VoucherStatus.DRAFT,
                          date=draft.date, currency=draft.currency)
        session.add(voucher)
    voucher.date, voucher.currency, voucher.description = draft.date, draft.currency, draft.description
    voucher.lines = [
        VoucherLine(company_id=document.company_id, line_no=number, account=accounts[line.role], debit=line.debit,
                    credit=line.credit, description=line.description, reason=line.reason, kind=line.kind)
        for number, line in enumerate(draft.lines, start=1)
    ]
    ensure_balanced(voucher.lines)
    session.flush()
    return voucher


def accounts_for_roles(session: Session, company_id: uuid.UUID, roles: set[str]) -> dict[str, Account]:
    """The company's active account of each role in ``roles``; ``MissingAccounts`` names the roles none holds.
    A company without any account is given its default chart first."""
    accounts = list(session.scalars(select(Account).where(Account.company_id == company_id)))
    if not accounts:
        ensure_default_chart(session, company_id)
        return accounts_for_roles(session, company_id, roles)
    missing = missing_accounts((record_of(TABLES["accounts"], account) for account in accounts), roles)
    if missing:
        raise MissingAccounts(missing_accounts_detail(missing))
    return {account.role: account for account in accounts if account.active and account.role in roles}


def _line_summary(line: VoucherLine) -> dict[str, str]:
    return {"account": line.account.code, "debit": str(line.debit), "credit": str(line.credit), "kind": line.kind}


def current_voucher(session: Session, document_id: uuid.UUID) -> Voucher | None:
    query = select(Voucher).where(Voucher.document_id == document_id).order_by(Voucher.created_at.desc())
    return session.scalars(query.limit(1)).first()


def vendor_is_known(document: Document) -> bool:
    """Whether the document was matched to the vendor master. ``extraction.vendors`` decides it, by tax ID, IBAN or
    a name like a vendor's name or alias, when the document is extracted and again when a clerk corrects it; its
    reason is on the document (``vendor_match``)."""
    return document.vendor_id is not None


def draft_and_route(
    session: Session, document: Document, fields: dict[str, dict[str, Any]], issues: list[dict[str, str]],
) -> ReviewTask | None:
    """Draft the voucher, then send the document to review (with reasons) or straight through."""
    values = {name: field.get("value") for name, field in fields.items()}
    voucher, problem = None, None
    if document.doc_type == "invoice":
        try:
            voucher = draft_for_document(session, document, values, WORKER_ACTOR)
        except (CannotDraft, MissingAccounts) as exc:
            problem = str(exc)
    else:
        problem = f"vouchers are drafted for invoices only; this is a {document.doc_type}"
    reasons = review_reasons(fields=fields, issues=issues, vendor_known=vendor_is_known(document),
                             drafted=voucher is not None, draft_problem=problem)
    if not reasons and voucher is not None:
        document.status = DocumentStatus.AUTO_APPROVED
        _record_status(session, document, WORKER_ACTOR, {"route": "straight-through"})
        return None
    return open_review_task(session, document, reasons)


def open_review_task(session: Session, document: Document, reasons: list[str]) -> ReviewTask:
    document.status = DocumentStatus.NEEDS_REVIEW
    task = ReviewTask(company_id=document.company_id, document_id=document.id, reasons=reasons)
    session.add(task)
    session.flush()
    _record_status(session, document, WORKER_ACTOR, {"route": "review", "reasons": reasons})
    return task


def approve_voucher(session: Session, voucher: Voucher, principal: Principal) -> Voucher:
    """Approve a balanced draft voucher and its document.

    The only way a voucher becomes ``approved``, so it checks ``APPROVE_VOUCHERS`` itself whatever the caller
    checked before: no other door (a review decision, a page, a job) can lend the permission.
    """
    principal.require(Permission.APPROVE_VOUCHERS)
    document = _lock_with_document(session, voucher)
    if voucher.status != VoucherStatus.DRAFT:
        raise InvalidStatusTransition(f"Voucher {voucher.id} is {voucher.status}; only drafts can be approved.")
    ensure_balanced(voucher.lines)
    voucher.status, voucher.approved_by_id, voucher.approved_at = VoucherStatus.APPROVED, principal.user_id, utcnow()
    audit.record(session, company_id=voucher.company_id, actor=principal.actor, action="voucher.approved",
                 entity_type="voucher", entity_id=voucher.id, data={"document_id": str(voucher.document_id)})
    if document is not None:
        document.status = DocumentStatus.APPROVED
        close_review_task(session, document.id, principal, "approve", None)
    return voucher


def lock_for_decision(session: Session, document: Document) -> None:
    """Lock the document's row and re-read it, before any other write of the transaction.

    Every decision about a document or its voucher (a review, a voucher approval or rejection) takes this lock
    first, so they run one at a time and each sees what the one before it committed: a redraft from a clerk's
    corrections can never rewrite a voucher an approver approved meanwhile.
    """
    session.flush()
    session.refresh(document, with_for_update=True)


def _lock_with_document(session: Session, voucher: Voucher) -> Document | None:
    """Lock the voucher's document (as ``lock_for_decision``), then the voucher, and re-read both."""
    document = session.get(Document, voucher.document_id) if voucher.document_id else None
    if document is not None:
        lock_for_decision(session, document)
    session.flush()
    session.refresh(voucher, with_for_update=True)
    return document


def close_review_task(session: Session, document_id: uuid.UUID, principal: Principal, decision: str,
                      comment: str | None) -> None:
    """Mark the document's open review task done with the decision taken."""
    tasks = session.scalars(select(ReviewTask).where(ReviewTask.document_id == document_id,
                                                     ReviewTask.status == ReviewTaskStatus.OPEN))
    for task in tasks:
        task.status, task.decision, task.comment = ReviewTaskStatus.DONE, decision, comment
        task.decided_by_id, task.decided_at = principal.user_id, utcnow()


def reject_voucher(session: Session, voucher: Voucher, principal: Principal) -> Voucher:
    """Reject a draft voucher, as a reviewer does with the document it was drafted from."""
    principal.require(Permission.REVIEW)
    _lock_with_document(session, voucher)
    if voucher.status != VoucherStatus.DRAFT:
        raise InvalidStatusTransition(f"Voucher {voucher.id} is {voucher.status}; only drafts can be rejected.")
    voucher.status = VoucherStatus.REJECTED
    audit.record(session, company_id=voucher.company_id, actor=principal.actor, action="voucher.rejected",
                 entity_type="voucher", entity_id=voucher.id, data={"document_id": str(voucher.document_id)})
    return voucher


def get_voucher(session: Session, principal: Principal, voucher_id: uuid.UUID) -> Voucher:
    voucher = session.get(Voucher, voucher_id)
    if voucher is None or voucher.company_id != principal.company_id:
        raise NotFound(f"Voucher {voucher_id} does not exist.")
    return voucher


def list_vouchers(session: Session, principal: Principal, *, status: str | None, limit: int,
                  cursor: str | None) -> tuple[list[Voucher], str | None]:
    query = select(Voucher).where(Voucher.company_id == principal.company_id)
    if status:
        query = query.where(Voucher.status == status)
    rows = list(session.scalars(paginate(query, Voucher, limit=limit, cursor=cursor)))
    return page_of(rows, limit)


def _record_status(session: Session, document: Document, actor: str, data: dict[str, Any]) -> None:
    audit.record(session, company_id=document.company_id, actor=actor, action=f"document.{document.status}",
                 entity_type="document", entity_id=document.id, data=data)

