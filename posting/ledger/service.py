"""Ledger use cases with a session: reversing a posted voucher, closing and reopening accounting periods, the
company's posting settings. Posting itself is ``posting.service.post_voucher``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from core import audit
from core.auth import Principal
from core.db import utcnow
from core.errors import InvalidStatusTransition
from core.identity import Company, User
from core.permissions import Permission
from models import AccountingPeriod, Document, PeriodStatus, Voucher, VoucherLine, VoucherStatus
from posting import service as posting_service
from posting.budgets import service as budgets
from posting.documents import latest_facts
from posting.ledger.repository import ensure_open, locked_period, periods_of_year
from posting.openitems.service import cancel_items_of
from posting.periods import bounds, months_of, parse_period, period_of
from posting.suggestions.service import forget_reversed


@dataclass(frozen=True)
class PeriodState:
    period: str
    start: date
    end: date
    status: str
    changed_by: str | None = None
    """The e-mail of who closed or reopened it last."""
    changed_at: datetime | None = None


def reverse_voucher(session: Session, voucher: Voucher, principal: Principal, *, on: date | None = None,
                    reason: str | None = None) -> Voucher:
    """Post the reversal of a posted voucher (its lines with debit and credit swapped) dated ``on`` (default today)
    in an open period; the two are linked both ways, the voucher's open items are cancelled, and its document goes
    back to review with a new draft, to be corrected and approved (or rejected)."""
    principal.require(Permission.MANAGE_LEDGER)
    document = posting_service.lock_with_document(session, voucher)
    _ensure_reversible(voucher)
    day = on or date.today()
    ensure_open(session, voucher.company_id, period_of(day), f"the reversal of voucher {voucher.id} dated {day}")
    reversal = _reversal(voucher, principal, day, reason)
    cancel_items_of(session, voucher, reversal.id, principal.actor)
    forget_reversed(session, voucher)
    session.add(reversal)
    session.flush()
    voucher.reversed_by_id = reversal.id
    audit.record(session, company_id=voucher.company_id, actor=principal.actor, action="voucher.reversed",
                 entity_type="voucher", entity_id=voucher.id,
                 data={"reversal_id": str(reversal.id), "date": day.isoformat(), "reason": reason})
    posting_service.record_posting(session, reversal, None, principal)
    budgets.give_back_on_reversal(session, voucher, reversal, principal.actor)
    if document is not None:
        _back_to_review(session, document, voucher, reversal, principal)
    return reversal


def _ensure_reversible(voucher: Voucher) -> None:
    if voucher.status != VoucherStatus.POSTED:
        raise InvalidStatusTransition(f"Voucher {voucher.id} is {voucher.status}; only posted vouchers are reversed "
                                      "(a draft is corrected by reviewing its document again).")
    if voucher.reversed_by_id is not None:
        raise InvalidStatusTransition(f"Voucher {voucher.id} was reversed already, by voucher "
                                      f"{voucher.reversed_by_id}.")
    if voucher.reverses_id is not None:
        raise InvalidStatusTransition(f"Voucher {voucher.id} is the reversal of voucher {voucher.reverses_id}; a "
                                      "reversal is not reversed: draft and post the document's voucher again.")


def _reversal(voucher: Voucher, principal: Principal, day: date, reason: str | None) -> Voucher:
    """The posted voucher's mirror: the same accounts and amounts on the other sides, at the same rate."""
    why = f": {reason}" if reason else ""
    reversal = Voucher(id=uuid.uuid4(), company_id=voucher.company_id, document_id=None,
                       status=VoucherStatus.APPROVED, date=day, currency=voucher.currency,
                       description=f"Reversal of {voucher.description}{why}"[:2000],
                       base_currency=voucher.base_currency, exchange_rate=voucher.exchange_rate,
                       rate_date=voucher.rate_date, rate_source=voucher.rate_source, reverses_id=voucher.id,
                       approved_by_id=principal.user_id, approved_at=utcnow())
    reversal.lines = [_mirrored(line, voucher) for line in voucher.lines]
    return reversal


def _mirrored(line: VoucherLine, voucher: Voucher) -> VoucherLine:
    return VoucherLine(company_id=line.company_id, line_no=line.line_no, account=line.account, debit=line.credit,
                       credit=line.debit, base_debit=line.base_credit, base_credit=line.base_debit,
                       description=line.description, kind=line.kind, source=dict(line.source or {}),
                       cost_centre_code=line.cost_centre_code, project_code=line.project_code,
                       reason=f"reverses line {line.line_no} of voucher {voucher.id} ({line.reason})")


def _back_to_review(session: Session, document: Document, voucher: Voucher, reversal: Voucher,
                    principal: Principal) -> None:
    facts = latest_facts(session, document)
    reason = (f"voucher {voucher.id} was reversed by voucher {reversal.id} on {reversal.date}: correct the fields "
              "and approve to post a new voucher, or reject the document")
    posting_service.draft_and_route(session, document, dict(facts.fields), [], list(facts.items),
                                    reasons_first=(reason,), actor=principal.actor)


def list_periods(session: Session, company_id: uuid.UUID, year: int) -> list[PeriodState]:
    """Every month of ``year`` with its status (a month never closed is open)."""
    rows = periods_of_year(session, company_id, year)
    return [_state(session, period, rows.get(period)) for period in months_of(year)]


def close_period(session: Session, principal: Principal, period: str) -> PeriodState:
    """Close a month: nothing more is posted into it until it is opened again."""
    return _change_period(session, principal, period, PeriodStatus.CLOSED)


def reopen_period(session: Session, principal: Principal, period: str) -> PeriodState:
    """Open a closed month again."""
    return _change_period(session, principal, period, PeriodStatus.OPEN)


def _change_period(session: Session, principal: Principal, period: str, status: PeriodStatus) -> PeriodState:
    principal.require(Permission.MANAGE_LEDGER)
    period = parse_period(period)
    row = locked_period(session, principal.company_id, period)
    if row.status == status:
        raise InvalidStatusTransition(f"The period {period} is {status} already.")
    row.status, row.changed_by_id, row.changed_at = status, principal.user_id, utcnow()
    action = "period.closed" if status == PeriodStatus.CLOSED else "period.reopened"
    audit.record(session, company_id=principal.company_id, actor=principal.actor, action=action,
                 entity_type="period", entity_id=row.id, data={"period": period})
    return _state(session, period, row)


def _state(session: Session, period: str, row: AccountingPeriod | None) -> PeriodState:
    start, end = bounds(period)
    if row is None:
        return PeriodState(period, start, end, PeriodStatus.OPEN)
    changed_by = session.get(User, row.changed_by_id) if row.changed_by_id else None
    return PeriodState(period, start, end, row.status, changed_by.email if changed_by else None, row.changed_at)


def posting_settings(session: Session, company_id: uuid.UUID) -> Company:
    return session.get(Company, company_id)


def change_posting_settings(session: Session, principal: Principal, *, post_on_approval: bool) -> Company:
    """Whether approving a voucher posts it at once."""
    principal.require(Permission.MANAGE_LEDGER)
    company = session.get(Company, principal.company_id)
    if company.post_on_approval != post_on_approval:
        audit.record(session, company_id=company.id, actor=principal.actor, action="company.posting_settings_changed",
                     entity_type="company", entity_id=company.id,
                     data={"post_on_approval": [company.post_on_approval, post_on_approval]})
        company.post_on_approval = post_on_approval
    return company


def reverse_clearing(session: Session, voucher: Voucher, principal: Principal, *, reason: str) -> Voucher:
    """Post the reversal of a clearing voucher (a bank payment's, ``posting.clearing``) dated today, for whoever may
    reconcile: undoing a payment's match is theirs to do. It is ``reverse_voucher`` without the document's part: a
    clearing voucher has no document to send back to review, and the items it paid get their amounts back from
    ``posting.clearing``."""
    principal.require(Permission.RECONCILE)
    if voucher.document_id is not None:
        raise InvalidStatusTransition(f"Voucher {voucher.id} is a document's voucher, not a clearing voucher; reverse "
                                      f"it with POST /api/v1/vouchers/{voucher.id}/reverse.")
    session.flush()
    session.refresh(voucher, with_for_update=True)
    _ensure_reversible(voucher)
    day = date.today()
    ensure_open(session, voucher.company_id, period_of(day),
                f"the reversal of clearing voucher {voucher.id} dated {day}")
    reversal = _reversal(voucher, principal, day, reason)
    session.add(reversal)
    session.flush()
    voucher.reversed_by_id = reversal.id
    audit.record(session, company_id=voucher.company_id, actor=principal.actor, action="voucher.reversed",
                 entity_type="voucher", entity_id=voucher.id,
                 data={"reversal_id": str(reversal.id), "date": day.isoformat(), "reason": reason})
    return posting_service.record_posting(session, reversal, None, principal)
