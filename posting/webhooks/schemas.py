"""Request and response shapes of the webhooks API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from models import Webhook, WebhookDelivery
from posting.webhooks.deliveries import EVENTS

Event = Literal["voucher.posted", "voucher.reversed"]


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000, description="Where events are POSTed: an http(s) URL",
                     examples=["https://erp.example.com/ledgerdesk/webhook"])
    events: list[Event] = Field(default_factory=lambda: list(EVENTS), min_length=1,
                                description="The events it is sent; default both")


class WebhookOut(BaseModel):
    id: uuid.UUID
    url: str
    events: list[str]
    active: bool = Field(description="False once deleted")
    created_at: datetime

    @classmethod
    def of(cls, webhook: Webhook) -> WebhookOut:
        return cls(id=webhook.id, url=webhook.url, events=webhook.events, active=webhook.active,
                   created_at=webhook.created_at)


class WebhookCreated(WebhookOut):
    secret: str = Field(description="The key deliveries are signed with: shown this once, keep it for the receiver")

    @classmethod
    def of(cls, webhook: Webhook) -> WebhookCreated:
        return cls(**WebhookOut.of(webhook).model_dump(), secret=webhook.secret)


class WebhookList(BaseModel):
    items: list[WebhookOut]
    next_cursor: str | None


class DeliveryOut(BaseModel):
    id: uuid.UUID = Field(description="Sent as X-Ledgerdesk-Delivery, the same in every attempt")
    webhook_id: uuid.UUID
    event: str
    status: str = Field(description="pending, delivered or failed")
    attempts: int
    last_status_code: int | None = Field(description="The HTTP status of the last answer; null when there was none")
    last_error: str | None = Field(description="Why the last attempt was no success (for a failed delivery, why it "
                                               "failed)")
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    redelivery_of_id: uuid.UUID | None = Field(description="The delivery this one sends again")
    created_at: datetime
    payload: dict[str, Any] = Field(description="The body sent: event, occurred_at and the voucher")

    @classmethod
    def of(cls, delivery: WebhookDelivery) -> DeliveryOut:
        return cls(id=delivery.id, webhook_id=delivery.webhook_id, event=delivery.event, status=delivery.status,
                   attempts=delivery.attempts, last_status_code=delivery.last_status_code,
                   last_error=delivery.last_error, next_attempt_at=delivery.next_attempt_at,
                   delivered_at=delivery.delivered_at, redelivery_of_id=delivery.redelivery_of_id,
                   created_at=delivery.created_at, payload=delivery.payload)


class DeliveryList(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None
