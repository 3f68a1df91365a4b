"""Matches of bank lines to open items, the counterparty aliases confirmations taught, and each company's
reconciliation settings. How matching decides is ``reconciliation.matching``'s."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Float, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, IdMixin, TimestampMixin, utcnow


class MatchStatus(StrEnum):
    AUTO = "auto"
    """Certain enough to be matched by itself: its clearing voucher is posted."""
    SUGGESTED = "suggested"
    """Waits for a person to confirm or reject it; nothing is posted."""
    CONFIRMED = "confirmed"
    """A person matched it (by confirming, or by hand): its clearing voucher is posted."""
    REJECTED = "rejected"
    """A person said no (to a suggestion), or undid the match (its clearing voucher is reversed)."""


class Match(IdMixin, TimestampMixin, Base):
    """A bank line (a payment) matched to one or more open items, with how sure matching was and why."""

    __tablename__ = "matches"
    __table_args__ = (Index("ix_matches_company_status", "company_id", "status"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    transaction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bank_transactions.id"), index=True)
    amount: Mapped[Decimal]
    """What the payment pays on the items, signed as they are (positive for a payment to a vendor)."""
    difference: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    """The items' amounts cleared less ``amount``: positive when less was paid (a discount taken), negative when more
    (bank fees); within the tolerance, posted to the account of ``difference_kind``."""
    difference_kind: Mapped[str | None] = mapped_column(String(20))
    """``fee``, ``discount`` or ``rounding``; None without a difference."""
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20))
    clearing_voucher_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vouchers.id"))
    """The posted voucher that clears the items (debit payable, credit bank); its reversal undoes the match."""
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    allocations: Mapped[list[MatchAllocation]] = relationship(
        order_by="MatchAllocation.position", cascade="all, delete-orphan", lazy="selectin")

    @property
    def open_item_ids(self) -> list[uuid.UUID]:
        return [allocation.open_item_id for allocation in self.allocations]


class MatchAllocation(IdMixin, Base):
    """What a match takes off one open item's open amount."""

    __tablename__ = "match_allocations"

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    match_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matches.id"), index=True)
    open_item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("open_items.id"), index=True)
    position: Mapped[int]
    amount: Mapped[Decimal]
    """Signed as the item's amount."""


class CounterpartyAlias(IdMixin, TimestampMixin, Base):
    """A name or IBAN a bank line's counterparty had, that people confirmed as a vendor's ``confirmations`` times."""

    __tablename__ = "counterparty_aliases"
    __table_args__ = (UniqueConstraint("company_id", "kind", "value", "vendor_id"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    """``iban`` or ``name``."""
    value: Mapped[str] = mapped_column(String(200))
    """The IBAN without spaces, or the name normalised (``reconciliation.matching.names``)."""
    vendor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vendors.id"), index=True)
    confirmations: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReconciliationSettings(IdMixin, Base):
    """How a company's bank lines are matched and cleared; a company without a row has the defaults of
    ``reconciliation.matching.model.Rules``. Account codes left empty mean the chart's account of the role."""

    __tablename__ = "reconciliation_settings"

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), unique=True)
    auto_threshold: Mapped[float] = mapped_column(Float)
    suggest_threshold: Mapped[float] = mapped_column(Float)
    tolerance_amount: Mapped[Decimal]
    tolerance_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2, asdecimal=True))
    days_before_issue: Mapped[int]
    days_after_due: Mapped[int]
    alias_confirmations: Mapped[int]
    bank_account_code: Mapped[str | None] = mapped_column(String(20))
    fee_account_code: Mapped[str | None] = mapped_column(String(20))
    discount_account_code: Mapped[str | None] = mapped_column(String(20))
    rounding_account_code: Mapped[str | None] = mapped_column(String(20))
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
