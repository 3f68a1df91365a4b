"""Open items: what a posted voucher leaves owing to a vendor or an employee, until a payment clears it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin, utcnow


class OpenItemStatus(StrEnum):
    OPEN = "open"
    PARTIALLY_PAID = "partially_paid"
    CLEARED = "cleared"
    CANCELLED = "cancelled"
    """Its voucher was reversed."""


class OpenItem(IdMixin, TimestampMixin, Base):
    """The amount a posted voucher's payable line owes (negative for a credit note), and how much is still open."""

    __tablename__ = "open_items"
    __table_args__ = (Index("ix_open_items_company_status_due", "company_id", "status", "due_date"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    voucher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vouchers.id"), index=True)
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id"), index=True)
    vendor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vendors.id"), index=True)
    employee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("employees.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    """``payable`` (a vendor) or ``employee_payable``."""
    counterparty: Mapped[str] = mapped_column(String(200))
    account_code: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(100))
    """The invoice number (what a payment's remittance text names)."""
    amount: Mapped[Decimal]
    open_amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    due_date: Mapped[date]
    due_reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=OpenItemStatus.OPEN)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
