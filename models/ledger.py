"""Chart of accounts, vouchers with their lines, and accounting periods. The rest of the master data is in
``models.masterdata``; the open items posted vouchers leave are in ``models.open_item``."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from typing import Any

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, IdMixin, TimestampMixin
from models.approval import ApprovalRoute, VoucherApproval


class VoucherStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    POSTED = "posted"
    """In the ledger: never changed again; corrected by a reversal (``reversed_by_id``)."""
    REJECTED = "rejected"


class PeriodStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


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
    categories: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    """The spending categories (``meals``, ``lodging`` ...) of receipts and claim items drafted to this account."""


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
    base_currency: Mapped[str | None] = mapped_column(String(3))
    """The company's currency, in which each line's ``base_debit`` and ``base_credit`` are."""
    exchange_rate: Mapped[Decimal | None] = mapped_column(Numeric(18, 8, asdecimal=True))
    """Units of ``base_currency`` for one unit of ``currency``, as used; None when they are the same currency."""
    rate_date: Mapped[date | None]
    rate_source: Mapped[str | None] = mapped_column(String(200))
    period: Mapped[str | None] = mapped_column(String(7))
    """The accounting period (``2026-03``) it was posted in."""
    posted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    posted_at: Mapped[datetime | None]
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vouchers.id"), index=True)
    """The posted voucher this one reverses."""
    reversed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vouchers.id"))
    """The voucher that reverses this one."""
    export_batch_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("export_batches.id"), index=True)
    """The export batch it went out in (``posting.exports``); a voucher is exported in one batch only."""
    approval_route: Mapped[str | None] = mapped_column(String(40))
    """The approval route a posting rule named for the voucher (``posting.rules``), if any."""
    approval_route_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("approval_routes.id"), index=True)
    """The approval route chosen for it when it was drafted (``posting.approvals``); None when none applies."""
    approval_steps: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    """The route's steps as they were when it was chosen: what this voucher waits for."""
    approval_step: Mapped[int | None]
    """The step it waits at (from 1; past the last once all are approved); None until its document's review is
    done, and when it has no route."""

    lines: Mapped[list[VoucherLine]] = relationship(
        order_by="VoucherLine.line_no", cascade="all, delete-orphan", lazy="selectin"
    )
    chosen_route: Mapped[ApprovalRoute | None] = relationship(lazy="selectin")
    """The row of ``approval_route_id``."""
    approvals: Mapped[list[VoucherApproval]] = relationship(order_by="VoucherApproval.step", lazy="selectin")


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
    base_debit: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    base_credit: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    source: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    """Where the amount was read: ``{"fields": ["line_items[2].amount"], "page": 1, "bbox": [x0, y0, x1, y1]}``."""
    cost_centre_code: Mapped[str | None] = mapped_column(String(20))
    project_code: Mapped[str | None] = mapped_column(String(20))

    account: Mapped[Account] = relationship(lazy="joined")


class AccountingPeriod(IdMixin, TimestampMixin, Base):
    """A month of a company's books that was closed (or closed and opened again). A month without a row is open."""

    __tablename__ = "accounting_periods"
    __table_args__ = (UniqueConstraint("company_id", "period"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    """``2026-03``."""
    status: Mapped[str] = mapped_column(String(10), default=PeriodStatus.OPEN)
    changed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime | None]
