"""Posting use cases with a session: charts, drafting vouchers, routing, approval and posting."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.audit import WORKER_ACTOR
from core.auth import Principal
from core.db import company_row, utcnow
from core.errors import InvalidStatusTransition, MissingAccounts
from core.pagination import page_of, paginate
from core.permissions import Permission
from core.settings import get_settings
from models import (
    Account, Company, Document, DocumentStatus, ReviewTask, ReviewTaskStatus, TaxCode, Voucher, VoucherLine,
    VoucherStatus,
)
from posting.approvals import service as approval_service
from posting.budgets import service as budgets
from posting.documents import EMPLOYEE_DOCUMENTS, facts_of, latest_facts, payee_of
from posting.drafting import (DRAFTERS, CannotDraft, DocumentFacts, DraftVoucher, Ledger, RateUsed, draft_voucher,
                              ensure_balanced, voucher_currency, voucher_date)
from posting.ledger.repository import ensure_open
from posting.masterdata.records import TABLES
from posting.masterdata.repository import latest_rate, record_of
from posting.masterdata.service import Editor, seed_chart
from posting.openitems.service import open_items_for
from posting.periods import period_of
from posting.routing import review_reasons
from posting.rules.repository import active_rules
from posting.suggestions.service import document_queries, stage_learning, suggest_for
from posting.webhooks.service import announce_posting

SETUP_ACTOR = "system:setup"
"""How the audit log names the chart given to a company that had no account when a voucher was drafted."""


def ensure_default_chart(session: Session, company_id: uuid.UUID, chart: str | None = None, *,
                         actor: str = SETUP_ACTOR, audited: bool = True) -> int:
    """Create the accounts and tax codes of ``chart`` (default: the ``chart`` setting) a company lacks; returns how
    many were added. A new company's chart is not ``audited`` record by record (its creation's event names it)."""
    plans = seed_chart(session, Editor(company_id, actor), chart or get_settings().chart, mode="missing",
                       audited=audited)
    return sum(plan.created for plan in plans.values())


def has_voucher(document: Document) -> bool:
    """Whether documents of the type get a voucher (invoices, receipts, expense claims)."""
    return document.doc_type in DRAFTERS


def draft_for_document(session: Session, document: Document, fields: dict[str, Any], items: list[dict[str, Any]],
                       actor: str) -> Voucher:
    """Draft (or redraft) the document's voucher from its fields (as stored: value, page, box ...) and items.
    Raises ``CannotDraft`` and ``MissingAccounts`` before anything is written."""
    facts = facts_of(document, fields, items)
    draft, accounts = _draft(session, document, facts)
    voucher = current_voucher(session, document.id)
    if voucher is not None and replaced_on_redraft(voucher):
        voucher = None
    if voucher is not None and voucher.status != VoucherStatus.DRAFT:
        raise InvalidStatusTransition(f"Voucher {voucher.id} is {voucher.status}; only drafts are redrafted.")
    voucher = _store_draft(session, document, draft, voucher, accounts)
    budgets.reserve_for_draft(session, voucher, actor)
    audit.record(session, company_id=document.company_id, actor=actor, action="voucher.drafted",
                 entity_type="voucher", entity_id=voucher.id,
                 data={"document_id": str(document.id), "lines": [_line_summary(line) for line in voucher.lines],
                       **({"rate": draft.rate.describe()} if draft.rate else {}),
                       **({"approval_route": voucher.approval_route} if voucher.approval_route else {})})
    approval_service.route_voucher(session, document, voucher, actor, named_route=voucher.approval_route)
    return voucher


def preview_draft(session: Session, document: Document) -> DraftVoucher:
    """The voucher the document's latest fields would draft now, not stored (a company without any account is
    given its default chart first, as drafting does)."""
    return _draft(session, document, latest_facts(session, document))[0]


def replaced_on_redraft(voucher: Voucher) -> bool:
    """Whether the document's next draft is a new voucher: this one was reversed, or rejected at an approval step
    (it keeps its decisions)."""
    return voucher.reversed_by_id is not None or voucher.status == VoucherStatus.REJECTED


def _draft(session: Session, document: Document, facts: DocumentFacts) -> tuple[DraftVoucher, dict[str, Account]]:
    company = session.get(Company, document.company_id)
    ledger, accounts = company_ledger(session, company)
    currency, day = voucher_currency(facts, company.base_currency), voucher_date(facts)
    rate = _rate(session, company, currency, day) if currency != company.base_currency else None
    counterparty = payee_of(session, document, facts).counterparty
    suggestions = suggest_for(session, company.id, document_queries(session, document, facts))
    return draft_voucher(facts, ledger, counterparty, rate, active_rules(session, company.id), suggestions), accounts


def company_ledger(session: Session, company: Company) -> tuple[Ledger, dict[str, Account]]:
    """What drafting needs of the company (a company without any account is given its default chart first), and
    its active accounts by code."""
    rows = list(session.scalars(select(Account).where(Account.company_id == company.id)))
    if not rows:
        ensure_default_chart(session, company.id)
        return company_ledger(session, company)
    codes = session.scalars(select(TaxCode).where(TaxCode.company_id == company.id))
    ledger = Ledger(company.base_currency, tuple(record_of(TABLES["accounts"], row) for row in rows),
                    tuple(record_of(TABLES["tax-codes"], code) for code in codes))
    return ledger, {row.code: row for row in rows if row.active}


def _rate(session: Session, company: Company, currency: str, day: Any) -> RateUsed | None:
    row = latest_rate(session, company.id, currency, company.base_currency, day)
    return RateUsed(row.from_currency, row.to_currency, row.rate, row.date, row.source) if row else None


def _store_draft(session: Session, document: Document, draft: DraftVoucher, voucher: Voucher | None,
                 accounts: dict[str, Account]) -> Voucher:
    if voucher is None:
        voucher = Voucher(company_id=document.company_id, document_id=document.id, status=VoucherStatus.DRAFT,
                          date=draft.date, currency=draft.currency)
        session.add(voucher)
    voucher.date, voucher.currency, voucher.description = draft.date, draft.currency, draft.description
    voucher.base_currency, voucher.approval_route = draft.base_currency, draft.approval_route
    rate = draft.rate
    voucher.exchange_rate, voucher.rate_date, voucher.rate_source = (
        (rate.rate, rate.date, rate.source) if rate else (None, None, None))
    voucher.lines = [
        VoucherLine(company_id=document.company_id, line_no=number, account=accounts[line.account_code],
                    debit=line.debit, credit=line.credit, base_debit=line.base_debit, base_credit=line.base_credit,
                    description=line.description, reason=line.reason, kind=line.kind, source=line.source.as_json(),
                    cost_centre_code=line.cost_centre_code, project_code=line.project_code)
        for number, line in enumerate(draft.lines, start=1)
    ]
    ensure_balanced(voucher.lines)
    session.flush()
    return voucher


def _line_summary(line: VoucherLine) -> dict[str, str]:
    return {"account": line.account.code, "debit": str(line.debit), "credit": str(line.credit), "kind": line.kind}


def current_voucher(session: Session, document_id: uuid.UUID) -> Voucher | None:
    """The document's newest voucher (a reversal belongs to no document, only to the voucher it reverses)."""
    query = select(Voucher).where(Voucher.document_id == document_id).order_by(Voucher.created_at.desc())
    return session.scalars(query.limit(1)).first()


def vendor_is_known(document: Document) -> bool:
    """Whether the document was matched to the vendor master. ``extraction.vendors`` decides it, by tax ID, IBAN or
    a name like a vendor's name or alias, when the document is extracted and again when a clerk corrects it; its
    reason is on the document (``vendor_match``)."""
    return document.vendor_id is not None


def draft_and_route(
    session: Session, document: Document, fields: dict[str, dict[str, Any]], issues: list[dict[str, str]],
    items: list[dict[str, Any]] | None = None, *, reasons_first: tuple[str, ...] = (), actor: str = WORKER_ACTOR,
) -> ReviewTask | None:
    """Draft the voucher, then send the document to review (with ``reasons_first`` and the others), else to the
    approvers its approval route asks for, else straight through."""
    voucher, problem = None, None
    try:
        voucher = draft_for_document(session, document, fields, items or [], actor)
    except (CannotDraft, MissingAccounts) as exc:
        problem = str(exc)
    pays_employee = document.doc_type in EMPLOYEE_DOCUMENTS
    employee_known = not pays_employee or payee_of(session, document, facts_of(document, fields, items or [])
                                                   ).counterparty is not None
    reasons = [*reasons_first, *review_reasons(fields=fields, issues=issues, drafted=voucher is not None,
                                               vendor_known=pays_employee or vendor_is_known(document),
                                               employee_known=employee_known, draft_problem=problem)]
    reasons += budgets.budget_reasons(session, voucher) if voucher is not None else []
    if not reasons and approval_service.has_steps(voucher):
        approval_service.await_approval(session, document, voucher, actor)
        return None
    if not reasons and voucher is not None:
        document.status = DocumentStatus.AUTO_APPROVED
        _record_status(session, document, actor, {"route": "straight-through"})
        return None
    return open_review_task(session, document, reasons, actor)


def open_review_task(session: Session, document: Document, reasons: list[str],
                     actor: str = WORKER_ACTOR) -> ReviewTask:
    document.status = DocumentStatus.NEEDS_REVIEW
    task = ReviewTask(company_id=document.company_id, document_id=document.id, reasons=reasons)
    session.add(task)
    session.flush()
    _record_status(session, document, actor, {"route": "review", "reasons": reasons})
    return task


def approve_voucher(session: Session, voucher: Voucher, principal: Principal, *, step: int | None = None,
                    comment: str | None = None) -> Voucher:
    """Approve a balanced draft voucher and its document, and post it when the company posts on approval.

    The only way a voucher becomes ``approved``, so it checks ``APPROVE_VOUCHERS`` itself whatever the caller
    checked before: no other door (a review decision, a page, a job) can lend the permission. When posting on
    approval, a closed period refuses the approval too (``PeriodClosed``): nothing is half done. A voucher whose
    approval route has steps is approved step by step (``step``, when given, must be the one it waits at), each by
    someone the step asks for and no rule of segregation of duties bars; the last step approves the voucher.
    """
    principal.require(Permission.APPROVE_VOUCHERS)
    document = lock_with_document(session, voucher)
    if voucher.status != VoucherStatus.DRAFT:
        raise InvalidStatusTransition(f"Voucher {voucher.id} is {voucher.status}; only drafts can be approved.")
    if approval_service.approve_current_step(session, voucher, principal, step=step, comment=comment):
        return voucher  # a step of its route is approved; the next one waits
    ensure_balanced(voucher.lines)
    voucher.status, voucher.approved_by_id, voucher.approved_at = VoucherStatus.APPROVED, principal.user_id, utcnow()
    audit.record(session, company_id=voucher.company_id, actor=principal.actor, action="voucher.approved",
                 entity_type="voucher", entity_id=voucher.id, data={"document_id": str(voucher.document_id)})
    if document is not None:
        document.status = DocumentStatus.APPROVED
        close_review_task(session, document.id, principal, "approve", None)
    if session.get(Company, voucher.company_id).post_on_approval:
        record_posting(session, voucher, document, principal)
    budgets.consume_on_approval(session, voucher, principal)  # may refuse it all; budgets lock after the period
    stage_learning(session, voucher)
    return voucher


def post_voucher(session: Session, voucher: Voucher, principal: Principal) -> Voucher:
    """Post an approved voucher into the period of its date: 409 when the period is closed. Posted, it is never
    changed again (a reversal corrects it), its document is ``posted``, and each payable line becomes an open
    item."""
    principal.require(Permission.APPROVE_VOUCHERS)
    document = lock_with_document(session, voucher)
    if voucher.status != VoucherStatus.APPROVED:
        raise InvalidStatusTransition(f"Voucher {voucher.id} is {voucher.status}; only approved vouchers are posted"
                                      f"{' (approve it first)' if voucher.status == VoucherStatus.DRAFT else ''}.")
    return record_posting(session, voucher, document, principal)


def record_posting(session: Session, voucher: Voucher, document: Document | None, principal: Principal, *,
                   leaves_open_items: bool = True) -> Voucher:
    """Put a balanced voucher in the ledger (its period must be open); each payable line becomes an open item, unless
    the voucher does not leave any (a clearing voucher pays open items: ``posting.clearing``)."""
    period = period_of(voucher.date)
    ensure_open(session, voucher.company_id, period, f"voucher {voucher.id} dated {voucher.date.isoformat()}")
    ensure_balanced(voucher.lines)
    voucher.status, voucher.period = VoucherStatus.POSTED, period
    voucher.posted_by_id, voucher.posted_at = principal.user_id, utcnow()
    audit.record(session, company_id=voucher.company_id, actor=principal.actor, action="voucher.posted",
                 entity_type="voucher", entity_id=voucher.id,
                 data={"period": period, "document_id": str(voucher.document_id) if voucher.document_id else None,
                       **({"reverses_id": str(voucher.reverses_id)} if voucher.reverses_id else {})})
    announce_posting(session, voucher)
    if document is not None:
        document.status = DocumentStatus.POSTED
        _record_status(session, document, principal.actor, {"voucher_id": str(voucher.id)})
    if voucher.reverses_id is None and leaves_open_items:  # a reversal cancels those of what it reverses instead
        open_items_for(session, voucher, document, principal.actor)
    return voucher


def lock_for_decision(session: Session, document: Document) -> None:
    """Lock the document's row and re-read it, before any other write of the transaction.

    Every decision about a document or its voucher (a review, a voucher approval or rejection) takes this lock
    first, so they run one at a time and each sees what the one before it committed: a redraft from a clerk's
    corrections can never rewrite a voucher an approver approved meanwhile.
    """
    session.flush()
    session.refresh(document, with_for_update=True)


def lock_with_document(session: Session, voucher: Voucher) -> Document | None:
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
    lock_with_document(session, voucher)
    if voucher.status != VoucherStatus.DRAFT:
        raise InvalidStatusTransition(f"Voucher {voucher.id} is {voucher.status}; only drafts can be rejected.")
    voucher.status = VoucherStatus.REJECTED
    budgets.release_on_rejection(session, voucher, principal.actor)
    audit.record(session, company_id=voucher.company_id, actor=principal.actor, action="voucher.rejected",
                 entity_type="voucher", entity_id=voucher.id, data={"document_id": str(voucher.document_id)})
    return voucher


def reject_at_step(session: Session, voucher: Voucher, principal: Principal, comment: str, *,
                   step: int | None = None) -> Voucher:
    """Reject a voucher at the step of its approval route it waits at: the voucher is ``rejected`` (with its
    decisions) and its document goes back to review with the comment as a reason; approving the document drafts a
    new voucher."""
    principal.require(Permission.APPROVE_VOUCHERS)
    document = lock_with_document(session, voucher)
    if voucher.status != VoucherStatus.DRAFT:
        raise InvalidStatusTransition(f"Voucher {voucher.id} is {voucher.status}; only drafts can be rejected.")
    reason = approval_service.reject_current_step(session, voucher, principal, comment, step=step)
    voucher.status = VoucherStatus.REJECTED
    open_review_task(session, document, [reason], principal.actor)
    return voucher


def get_voucher(session: Session, principal: Principal, voucher_id: uuid.UUID) -> Voucher:
    return company_row(session, Voucher, voucher_id, principal.company_id, "Voucher")


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
