"""Queries of webhooks and their deliveries. Those of a person's request are scoped by company; the sweep of due
attempts is the system's, over every company."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from core.pagination import page_of, paginate
from models import DeliveryStatus, Webhook, WebhookDelivery


def active_webhooks(session: Session, company_id: uuid.UUID) -> list[Webhook]:
    query = select(Webhook).where(Webhook.company_id == company_id, Webhook.active).order_by(Webhook.created_at)
    return list(session.scalars(query))


def locked_delivery(session: Session, delivery_id: uuid.UUID) -> WebhookDelivery | None:
    """The delivery, locked for the transaction and read afresh: its attempts are claimed and answered in turn."""
    return session.get(WebhookDelivery, delivery_id, with_for_update=True, populate_existing=True)


def _due(now: datetime):
    return select(WebhookDelivery).where(WebhookDelivery.status == DeliveryStatus.PENDING,
                                         WebhookDelivery.next_attempt_at <= now)


def any_due(session: Session, now: datetime) -> bool:
    return bool(session.scalar(select(exists(_due(now)))))


def due_deliveries(session: Session, now: datetime, limit: int) -> list[WebhookDelivery]:
    """Pending deliveries whose next attempt is due, oldest due first, locked (those another sweep holds skipped)."""
    query = _due(now).order_by(WebhookDelivery.next_attempt_at).limit(limit)
    return list(session.scalars(query.with_for_update(skip_locked=True)))


def webhook_page(session: Session, company_id: uuid.UUID, *, limit: int,
                 cursor: str | None) -> tuple[list[Webhook], str | None]:
    """A page of the company's webhooks, newest first, and the next page's cursor."""
    query = select(Webhook).where(Webhook.company_id == company_id)
    return page_of(list(session.scalars(paginate(query, Webhook, limit=limit, cursor=cursor))), limit)


def delivery_page(session: Session, company_id: uuid.UUID, webhook_id: uuid.UUID, *, status: str | None, limit: int,
                  cursor: str | None) -> tuple[list[WebhookDelivery], str | None]:
    """A page of a webhook's deliveries, newest first, and the next page's cursor."""
    query = select(WebhookDelivery).where(WebhookDelivery.company_id == company_id,
                                          WebhookDelivery.webhook_id == webhook_id)
    if status:
        query = query.where(WebhookDelivery.status == status)
    return page_of(list(session.scalars(paginate(query, WebhookDelivery, limit=limit, cursor=cursor))), limit)
