"""Chart of accounts and vouchers with their lines. The rest of the master data is in ``models.masterdata``."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, IdMixin, TimestampMixin


class VoucherStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    POSTED = "posted"
    REJECTED = "rejected"


class Account(IdMixin, Base):
    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    account_type: Mapped[str] = mapped_column(String(20))  # asset | liability | equity | income | expense
    role: Mapped[str | None] = mapped_column(String(30))
    """What drafting uses the account for by default: expense, input_tax, payable ... (one active account each)"""
    parent_code: Mapped[str | None] = mapped_column(String(20))
    """The code of the account this one is a sub-account of (6602 for 660201)."""
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    """Inactive accounts stay for the vouchers that used them; drafting and new references skip them."""


class Voucher(IdMixin, TimestampMixin, Base):
    """A double-entry voucher; its lines always balance before it is stored."""

    __tablename__ = "vouchers"

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=VoucherStatus.DRAFT)
    date: Mapped[date]
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(Text, default="")
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]

    lines: Mapped[list[VoucherLine]] = relationship(
        order_by="VoucherLine.line_no", cascade="all, delete-orphan", lazy="selectin"
    )


class VoucherLine(IdMixin, Base):
    __tablename__ = "voucher_lines"

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    voucher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vouchers.id"), index=True)
    line_no: Mapped[int]
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    debit: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    credit: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    description: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))

    account: Mapped[Account] = relationship(lazy="joined")
