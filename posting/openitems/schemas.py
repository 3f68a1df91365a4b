"""Response shapes of the open items API."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from core.money import money_str
from models import OpenItem


class OpenItemOut(BaseModel):
    id: uuid.UUID
    document_id: uuid.UUID | None
    voucher_id: uuid.UUID
    kind: str = Field(description="payable (owed to a vendor) or employee_payable (owed back to an employee)")
    counterparty: str
    vendor_id: uuid.UUID | None
    employee_id: uuid.UUID | None
    reference: str | None = Field(description="The invoice number")
    amount: str = Field(description="What the voucher left owing; negative for a credit note")
    open_amount: str
    currency: str
    due_date: date
    due_reason: str
    status: str = Field(description="open, partially_paid, cleared, or cancelled (its voucher was reversed)")
    created_at: datetime

    @classmethod
    def of(cls, item: OpenItem) -> OpenItemOut:
        return cls(id=item.id, document_id=item.document_id, voucher_id=item.voucher_id, kind=item.kind,
                   counterparty=item.counterparty, vendor_id=item.vendor_id, employee_id=item.employee_id,
                   reference=item.reference, amount=money_str(item.amount), open_amount=money_str(item.open_amount),
                   currency=item.currency, due_date=item.due_date, due_reason=item.due_reason, status=item.status,
                   created_at=item.created_at)


class OpenItemList(BaseModel):
    items: list[OpenItemOut]
    next_cursor: str | None
