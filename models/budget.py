"""Budgets and their movements (预算占用): what a company may spend on an account in a cost centre in a month or a
year, and every reservation, consumption and release of it by a voucher."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin, utcnow


class BudgetEntryKind(StrEnum):
    """A movement's kind; its ``amount`` is what it adds to the budget's reservation or consumption."""

    RESERVED = "reserved"
    """A draft reserves what its lines spend (added to the reservation)."""
    RELEASED = "released"
    """A reservation given back (negative on the reservation): the draft was redrafted, rejected or approved."""
    CONSUMED = "consumed"
    """An approved voucher consumes what it spends; a reversal gives it back (negative on the consumption)."""


class Budget(IdMixin, TimestampMixin, Base):
    """A limit on what a company spends on an account and its sub-accounts, in one cost centre (or in every one),
    in a month (``2026-03``) or a year (``2026``), in the company's currency."""

    __tablename__ = "budgets"
    __table_args__ = (
        UniqueConstraint("company_id", "cost_centre_code", "account_code", "period"),
        # A unique constraint takes NULLs as distinct: one budget for every cost centre needs an index of its own.
        Index("uq_budgets_every_cost_centre", "company_id", "account_code", "period", unique=True,
              postgresql_where="cost_centre_code IS NULL", sqlite_where="cost_centre_code IS NULL"),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    cost_centre_code: Mapped[str | None] = mapped_column(String(20))
    """None: the budget covers every cost centre (and lines without one)."""
    account_code: Mapped[str] = mapped_column(String(20))
    """The account, and through ``Account.parent_code`` every account below it."""
    period: Mapped[str] = mapped_column(String(7))
    """A month (``2026-03``) or a year (``2026``)."""
    amount: Mapped[Decimal]
    on_exceed: Mapped[str] = mapped_column(String(5), default="warn")
    """What a voucher that would overrun it meets: ``warn`` (a review reason) or ``block`` (its approval is
    refused)."""
    active: Mapped[bool] = mapped_column(default=True)
    """An inactive budget is not checked and takes no new reservation; its movements stay."""
    name: Mapped[str | None] = mapped_column(String(200))
    """None: called by its account's name."""
    notes: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BudgetEntry(IdMixin, Base):
    """One movement of a budget by a voucher; the budget's reservation and consumption are the sums of them."""

    __tablename__ = "budget_entries"

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    budget_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("budgets.id"), index=True)
    voucher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vouchers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal]
    """Signed: what the movement adds to the reservation (reserved, released) or the consumption (consumed)."""
    reason: Mapped[str] = mapped_column(String(200))
    """Why it moved: ``drafted``, ``redrafted``, ``approved``, ``rejected``, ``reversed by voucher ...``."""
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
