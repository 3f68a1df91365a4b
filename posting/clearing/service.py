"""Clearing vouchers with a session: post the voucher that clears open items with a bank payment and take the amounts
off the items; undo both (a reversal, and the amounts back). Reconciliation decides which payment pays which items;
the rules of vouchers and open items stay here.

All or nothing: the items are locked and checked (the company's, still open, in the payment's currency, with as
much open as is taken), the voucher drafted and checked to balance, and only then is anything written. Its period
must be open (``PeriodClosed``).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.auth import Principal
from core.db import utcnow
from core.errors import Conflict, InvalidRequest
from core.identity import Company
from core.permissions import Permission
from models import Account, OpenItem, OpenItemStatus, Voucher, VoucherLine, VoucherStatus
from posting import service as posting_service
from posting.clearing.drafting import BankPayment, Settlement, draft_clearing
from posting.drafting_values import CannotDraft, DraftVoucher, RateUsed
from posting.ledger.service import reverse_clearing
from posting.masterdata.repository import latest_rate

SETTLEABLE = (OpenItemStatus.OPEN, OpenItemStatus.PARTIALLY_PAID)


def post_clearing(session: Session, principal: Principal, payment: BankPayment,
                  allocations: list[tuple[uuid.UUID, Decimal]]) -> Voucher:
    """Post the clearing voucher of ``payment`` and take each allocation (item, amount signed as the item) off its
    item; the item is ``cleared`` when nothing is left open, else ``partially_paid``."""
    principal.require(Permission.RECONCILE)
    items = locked_items(session, principal.company_id, [item_id for item_id, _ in allocations])
    for item_id, amount in allocations:
        _check_settleable(items[item_id], amount, payment.currency)
    company = session.get(Company, principal.company_id)
    settlements = tuple(_settlement(session, items[item_id], amount) for item_id, amount in allocations)
    draft = _drafted(session, company, payment, settlements)
    voucher = _store(session, company, draft, principal)
    posting_service.record_posting(session, voucher, None, principal, leaves_open_items=False)
    for item_id, amount in allocations:
        _change_open_amount(session, items[item_id], -amount, voucher, principal.actor)
    return voucher


def undo_clearing(session: Session, principal: Principal, voucher: Voucher,
                  allocations: list[tuple[uuid.UUID, Decimal]], reason: str) -> Voucher:
    """Reverse a clearing voucher and give each item back what it took; returns the reversal."""
    principal.require(Permission.RECONCILE)
    items = locked_items(session, principal.company_id, [item_id for item_id, _ in allocations])
    reversal = reverse_clearing(session, voucher, principal, reason=reason)
    for item_id, amount in allocations:
        _change_open_amount(session, items[item_id], amount, reversal, principal.actor)
    return reversal


def locked_items(session: Session, company_id: uuid.UUID, item_ids: list[uuid.UUID]) -> dict[uuid.UUID, OpenItem]:
    """The company's open items ``item_ids``, locked for the transaction; 404 naming any it does not have."""
    query = select(OpenItem).where(OpenItem.company_id == company_id, OpenItem.id.in_(item_ids))
    items = {item.id: item for item in session.scalars(query.order_by(OpenItem.id).with_for_update()
                                                       .execution_options(populate_existing=True))}
    if missing := [str(item_id) for item_id in item_ids if item_id not in items]:
        raise InvalidRequest(f"There is no open item {', '.join(missing)}; GET /api/v1/open-items lists them.")
    return items


def _check_settleable(item: OpenItem, amount: Decimal, currency: str) -> None:
    if item.status not in SETTLEABLE:
        raise Conflict(f"Open item {item.id} ({item.reference or item.counterparty}) is {item.status}: nothing of it "
                       "is open to be paid.")
    if item.currency != currency:
        raise Conflict(f"Open item {item.id} is in {item.currency}, the payment in {currency}: a payment clears "
                       "items of its own currency.")
    if amount == 0 or (amount > 0) != (item.open_amount > 0) or abs(amount) > abs(item.open_amount):
        raise Conflict(f"Open item {item.id} ({item.reference or item.counterparty}) has {item.open_amount} "
                       f"{item.currency} open; {amount} cannot be taken off it.")


def _settlement(session: Session, item: OpenItem, amount: Decimal) -> Settlement:
    booked = session.get(Voucher, item.voucher_id)
    return Settlement(str(item.id), amount, item.account_code, item.kind, item.reference, item.counterparty,
                      booked.exchange_rate if booked else None)


def _drafted(session: Session, company: Company, payment: BankPayment,
             settlements: tuple[Settlement, ...]) -> DraftVoucher:
    ledger, _ = posting_service.company_ledger(session, company)
    rate = None
    if payment.currency != company.base_currency:
        row = latest_rate(session, company.id, payment.currency, company.base_currency, payment.day)
        rate = RateUsed(row.from_currency, row.to_currency, row.rate, row.date, row.source) if row else None
    try:
        return draft_clearing(payment, settlements, ledger, rate)
    except CannotDraft as exc:
        raise InvalidRequest(f"No clearing voucher can be posted: {exc}.") from exc


def _store(session: Session, company: Company, draft: DraftVoucher, principal: Principal) -> Voucher:
    """An approved voucher of no document (its lines on the company's accounts, inactive ones too: a payable is
    cleared where it was booked)."""
    accounts = {row.code: row for row in session.scalars(select(Account).where(Account.company_id == company.id))}
    rate = draft.rate
    voucher = Voucher(company_id=company.id, document_id=None, status=VoucherStatus.APPROVED, date=draft.date,
                      currency=draft.currency, description=draft.description, base_currency=draft.base_currency,
                      exchange_rate=rate.rate if rate else None, rate_date=rate.date if rate else None,
                      rate_source=rate.source if rate else None, approved_by_id=principal.user_id,
                      approved_at=utcnow())
    voucher.lines = [VoucherLine(company_id=company.id, line_no=number, account=accounts[line.account_code],
                                 debit=line.debit, credit=line.credit, base_debit=line.base_debit,
                                 base_credit=line.base_credit, description=line.description, reason=line.reason,
                                 kind=line.kind) for number, line in enumerate(draft.lines, start=1)]
    session.add(voucher)
    session.flush()
    audit.record(session, company_id=company.id, actor=principal.actor, action="voucher.drafted",
                 entity_type="voucher", entity_id=voucher.id,
                 data={"clearing": draft.description, "lines": [
                     {"account": line.account_code, "debit": str(line.debit), "credit": str(line.credit),
                      "kind": line.kind} for line in draft.lines]})
    return voucher


def _change_open_amount(session: Session, item: OpenItem, change: Decimal, voucher: Voucher, actor: str) -> None:
    """Add ``change`` to what is open of the item (a payment takes, its undoing gives back) and set its status."""
    item.open_amount += change
    item.status = (OpenItemStatus.CLEARED if item.open_amount == 0 else
                   OpenItemStatus.OPEN if item.open_amount == item.amount else OpenItemStatus.PARTIALLY_PAID)
    audit.record(session, company_id=item.company_id, actor=actor,
                 action="open_item.settled" if change * item.amount < 0 else "open_item.unsettled",
                 entity_type="open_item", entity_id=item.id,
                 data={"voucher_id": str(voucher.id), "amount": str(-change), "open_amount": str(item.open_amount),
                       "status": item.status})
