"""Open items and bank statements as matching meets them, made the way the system makes them: vendors in the master,
invoices drafted, approved and posted by posting's services (each leaves an open item), statements imported through
the API and matched by a real rq worker."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from core.auth import Principal
from core.db import transaction
from models import BankTransaction, Match, OpenItem, Vendor, Voucher
from posting import service as posting_service
from tests.posting.documents import route, stored_document, voucher_of
from tests.reconciliation.statements import IBAN, Account, Entry, camt

NORTHWIND_IBAN = "DE44500105175407324931"
CONTOSO_IBAN = "GB33BUKB20201555555555"


def vendor(company_id: uuid.UUID, name: str, iban: str | None = None) -> uuid.UUID:
    with transaction() as session:
        row = Vendor(company_id=company_id, name=name, iban=iban)
        session.add(row)
        session.flush()
        return row.id


def posted_invoice(company_id: uuid.UUID, approver: Principal, vendor_id: uuid.UUID | None, number: str,
                   total: str, *, issued: str = "2026-03-02", due: str = "2026-04-01", currency: str = "EUR",
                   name: str = "Northwind GmbH") -> uuid.UUID:
    """An invoice drafted, approved and posted (the company posts on approval): its open item's id."""
    document = stored_document(company_id, vendor_id=vendor_id, invoice_number=number, vendor_name=name,
                               invoice_date=issued, due_date=due, total_amount=total, currency=currency)
    route(document)
    with transaction() as session:
        voucher = session.get(Voucher, voucher_of(document).id)
        posting_service.approve_voucher(session, voucher, approver)
        return session.scalars(select(OpenItem.id).where(OpenItem.voucher_id == voucher.id)).one()


def payment(amount: str, text: str = "", *, iban: str | None = NORTHWIND_IBAN, name: str | None = "NORTHWIND GMBH",
            booked: date = date(2026, 4, 3), reference: str | None = None, bank_reference: str | None = None) -> Entry:
    """A line paying ``amount`` out of the company's account (a bank line of minus ``amount``)."""
    return Entry(-Decimal(amount), booked=booked, value=booked, name=name, iban=iban, text=text, reference=reference,
                 end_to_end=None, bank_reference=bank_reference or f"B-{uuid.uuid4().hex[:8]}")


def import_statement(client, *entries: Entry, statement_id: str = "STMT-1", currency: str = "EUR",
                     iban: str = IBAN) -> dict:
    """Import a CAMT.053 of ``entries`` through the API: the import's answer."""
    data = camt([Account(iban=iban, currency=currency, entries=list(entries), statement_id=statement_id)])
    response = client.post("/api/v1/bank-statements", files={"file": ("statement.xml", data, "application/xml")})
    assert response.status_code == 201, response.text
    return response.json()


def item_state(item_id: uuid.UUID) -> tuple[str, str]:
    """An open item's status and open amount."""
    with transaction() as session:
        item = session.get(OpenItem, item_id)
        return item.status, str(item.open_amount)


def lines_of(statement_id: str) -> list[BankTransaction]:
    with transaction() as session:
        query = select(BankTransaction).where(BankTransaction.statement_id == uuid.UUID(statement_id))
        return list(session.scalars(query.order_by(BankTransaction.line_no)))


def matches_of(statement_id: str) -> list[Match]:
    """The statement's matches in the order of their lines (with their allocations)."""
    with transaction() as session:
        query = (select(Match).join(BankTransaction, BankTransaction.id == Match.transaction_id)
                 .where(BankTransaction.statement_id == uuid.UUID(statement_id))
                 .order_by(BankTransaction.line_no, Match.created_at))
        return list(session.scalars(query))
