"""Approval routes (who approves which vouchers, step by step) and each decision taken at a step.

A route's conditions and steps are kept as JSON: ``posting.approvals.routes`` reads and checks them. A voucher keeps
the steps of the route it was sent on as they were then (``Voucher.approval_steps``), so changing a route changes
what comes after, never what a voucher already waits for.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, IdMixin, TimestampMixin, utcnow
from core.identity import User


class ApprovalDecision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class ApprovalRoute(IdMixin, TimestampMixin, Base):
    """Which vouchers need which approvers: the first active route (by ``position``, then ``code``) whose conditions
    hold is the voucher's."""

    __tablename__ = "approval_routes"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """``{amount_min, amount_max, doc_types, vendors, cost_centres}``; an empty one holds for every voucher."""
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """``[{name, role, users}]`` in order; each step names a role or the e-mails of users. Empty: no approver."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VoucherApproval(IdMixin, Base):
    """One person's decision at one step of a voucher's approval route."""

    __tablename__ = "voucher_approvals"

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    voucher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vouchers.id"), index=True)
    step: Mapped[int]
    """From 1."""
    step_name: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
