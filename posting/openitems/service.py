"""Open items with a session: one for each payable line of a voucher when it is posted, cancelled when the voucher
is reversed, listed and read through the API. Reconciliation (which may import posting) clears them."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.auth import Principal
from core.db import company_row
from core.errors import Conflict
from core.pagination import page_of, paginate
from models import Document, OpenItem, OpenItemStatus, Voucher, VoucherLine
from posting.documents import Payee, latest_facts, payee_of
from posting.drafting import DocumentFacts
from posting.openitems.terms import due_date

PAYABLE_KINDS = ("payable", "employee_payable")
"""The kinds of voucher line that leave an open item."""


def open_items_for(session: Session, voucher: Voucher, document: Document | None, actor: str) -> list[OpenItem]:
    """An open item for each payable line of the voucher just posted."""
    payables = [line for line in voucher.lines if line.kind in PAYABLE_KINDS]
    if not payables:
        return []
    facts = latest_facts(session, document) if document else None
    payee = payee_of(session, document, facts) if document and facts else Payee(None)
    items = [_item(voucher, document, payee, facts, line) for line in payables]
    session.add_all(items)
    session.flush()
    for item in items:
        audit.record(session, company_id=item.company_id, actor=actor, action="open_item.created",
                     entity_type="open_item", entity_id=item.id,
                     data={"voucher_id": str(voucher.id), "counterparty": item.counterparty, "amount": str(item.amount),
                           "currency": item.currency, "due_date": item.due_date.isoformat()})
    return items


def _item(voucher: Voucher, document: Document | None, payee: Payee, facts: DocumentFacts | None,
          line: VoucherLine) -> OpenItem:
    owed = line.credit - line.debit
    due, why = due_date(printed_due=facts.value("due_date") if facts else None, issued=voucher.date,
                        vendor_terms=payee.vendor.payment_terms if payee.vendor else None,
                        printed_terms=facts.value("payment_terms") if facts else None)
    reference = facts.value("invoice_number") if facts else None
    return OpenItem(company_id=voucher.company_id, voucher_id=voucher.id, document_id=document.id if document else None,
                    vendor_id=payee.vendor.id if payee.vendor else None,
                    employee_id=payee.employee.id if payee.employee else None, kind=line.kind,
                    counterparty=counterparty_name(payee, facts)[:200], account_code=line.account.code,
                    reference=str(reference)[:100] if reference else None, amount=owed, open_amount=owed,
                    currency=voucher.currency, due_date=due, due_reason=why, status=OpenItemStatus.OPEN)


def counterparty_name(payee: Payee, facts: DocumentFacts | None) -> str:
    """Who a document's voucher owes, by name: the vendor or employee of the master, else the name printed on it."""
    if payee.counterparty is not None:
        return payee.counterparty.name
    printed = [facts.text(name, "") for name in ("vendor_name", "employee_name", "merchant_name")] if facts else []
    return next((name for name in printed if name), "unknown")


def cancel_items_of(session: Session, voucher: Voucher, reversal_id: uuid.UUID, actor: str) -> list[OpenItem]:
    """Cancel the open items of a voucher being reversed; 409 when a payment was matched to one."""
    items = list(session.scalars(select(OpenItem).where(OpenItem.voucher_id == voucher.id).with_for_update()))
    for item in items:
        if item.status != OpenItemStatus.OPEN:
            raise Conflict(f"Open item {item.id} of voucher {voucher.id} is {item.status} ({item.open_amount} of "
                           f"{item.amount} {item.currency} open): a payment was matched to it. Undo that match "
                           "before reversing the voucher; nothing was reversed.")
    for item in items:
        item.status, item.open_amount = OpenItemStatus.CANCELLED, Decimal("0.00")
        audit.record(session, company_id=item.company_id, actor=actor, action="open_item.cancelled",
                     entity_type="open_item", entity_id=item.id,
                     data={"voucher_id": str(voucher.id), "reversal_id": str(reversal_id)})
    return items


def get_open_item(session: Session, principal: Principal, item_id: uuid.UUID) -> OpenItem:
    return company_row(session, OpenItem, item_id, principal.company_id, "Open item")


def list_open_items(session: Session, principal: Principal, *, status: str | None = None,
                    vendor_id: uuid.UUID | None = None, currency: str | None = None, due_before: date | None = None,
                    limit: int = 50, cursor: str | None = None) -> tuple[list[OpenItem], str | None]:
    """A page of the company's open items, newest first, with the filters given; and the next page's cursor."""
    query = select(OpenItem).where(OpenItem.company_id == principal.company_id)
    if status:
        query = query.where(OpenItem.status == status)
    if vendor_id:
        query = query.where(OpenItem.vendor_id == vendor_id)
    if currency:
        query = query.where(OpenItem.currency == currency.upper())
    if due_before:
        query = query.where(OpenItem.due_date < due_before)
    rows = list(session.scalars(paginate(query, OpenItem, limit=limit, cursor=cursor)))
    return page_of(rows, limit)
