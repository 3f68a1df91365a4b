"""The webhooks API: accountants and admins (``MANAGE_LEDGER``) add, list and delete webhooks, read their deliveries
and send a delivery again."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Query, Response

from core.outbox import relay_after_commit
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses
from posting.webhooks import service
from posting.webhooks.schemas import DeliveryList, DeliveryOut, WebhookCreated, WebhookIn, WebhookList, WebhookOut

router = APIRouter(prefix="/api/v1", tags=["webhooks"], responses=API_ERRORS)
Status = Literal["pending", "delivered", "failed"]


@router.get("/webhooks", response_model=WebhookList)
def list_webhooks(principal: CurrentPrincipal, session: SessionDep, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                  cursor: str | None = None) -> WebhookList:
    """Newest first, deleted ones too (inactive); never their secrets."""
    rows, next_cursor = service.list_webhooks(session, principal, limit=limit, cursor=cursor)
    return WebhookList(items=[WebhookOut.of(webhook) for webhook in rows], next_cursor=next_cursor)


@router.post("/webhooks", status_code=201, response_model=WebhookCreated, responses=error_responses(413, 422))
def create_webhook(body: WebhookIn, principal: CurrentPrincipal, session: SessionDep) -> WebhookCreated:
    """Every posting of a voucher (``voucher.posted``) and of a reversal (``voucher.reversed``) is POSTed to ``url``,
    signed with the ``secret`` answered here, and only here."""
    return WebhookCreated.of(service.create_webhook(session, principal, url=body.url, events=body.events))


@router.delete("/webhooks/{webhook_id}", status_code=204, response_class=Response, responses=error_responses(404))
def delete_webhook(webhook_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Nothing more is sent to it (deliveries still pending fail); it stays listed, inactive, with its deliveries."""
    service.delete_webhook(session, principal, webhook_id)
    return Response(status_code=204)


@router.get("/webhooks/{webhook_id}/deliveries", response_model=DeliveryList, responses=error_responses(404))
def list_deliveries(webhook_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep,
                    status: Status | None = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                    cursor: str | None = None) -> DeliveryList:
    """Newest first: each with its attempts, the last answer and why it was no success."""
    rows, next_cursor = service.list_deliveries(session, principal, webhook_id, status=status, limit=limit,
                                                cursor=cursor)
    return DeliveryList(items=[DeliveryOut.of(delivery) for delivery in rows], next_cursor=next_cursor)


@router.post("/webhook-deliveries/{delivery_id}/redeliver", status_code=201, response_model=DeliveryOut,
             responses=error_responses(404, 409))
def redeliver(delivery_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep,
              background: BackgroundTasks) -> DeliveryOut:
    """A new delivery (a new id) of a delivered or failed one's event and body, tried from its first attempt."""
    delivery = service.redeliver(session, principal, delivery_id)
    background.add_task(relay_after_commit)
    return DeliveryOut.of(delivery)
