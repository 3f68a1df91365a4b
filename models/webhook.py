"""Webhooks: the addresses a company's systems listen at for posting events, and each delivery of an event to one
of them with how its attempts went."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    """Not delivered yet: an attempt is due at ``next_attempt_at``, or running."""
    DELIVERED = "delivered"
    FAILED = "failed"
    """Every attempt failed (``last_error`` says why); redelivering it starts again."""


class Webhook(IdMixin, TimestampMixin, Base):
    __tablename__ = "webhooks"

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(100))
    """The key each delivery is signed with; kept to sign, shown to a person once, when the webhook is created."""
    events: Mapped[list[str]] = mapped_column(JSON)
    """The events it is sent: ``voucher.posted``, ``voucher.reversed``."""
    active: Mapped[bool] = mapped_column(default=True)
    """False once deleted: it is sent nothing more, and stays for the record of its deliveries."""


class WebhookDelivery(IdMixin, TimestampMixin, Base):
    """One event for one webhook: the body it is sent, and how its attempts went."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    webhook_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhooks.id"), index=True)
    event: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    """When the sweep stages the next attempt (a staged attempt's job that never ran is staged again then)."""
    delivered_at: Mapped[datetime | None]
    redelivery_of_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("webhook_deliveries.id"))
    """The delivery a person asked to send again."""
