"""Webhook use cases with a session: webhooks created, listed and deleted; a delivery for each posting event; each
attempt of a delivery claimed and its answer kept; due attempts staged; deliveries listed and sent again.

Attempts are jobs staged through the outbox (so they reach the queue only once what they announce is committed),
one job per attempt with a deterministic id. An attempt is counted when it is claimed, before anything is sent, and
the request goes out outside any transaction (``workers.webhooks``); the answer is kept in a second transaction.
The retry schedule is the ``webhook_retry_seconds`` setting.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy.orm import Session

from core import audit
from core.auth import Principal
from core.db import company_row, utcnow
from core.errors import InvalidStatusTransition
from core.outbox import pending_job_ids, stage_job
from core.permissions import Permission
from core.settings import get_settings
from models import DeliveryStatus, Voucher, Webhook, WebhookDelivery
from posting.schemas import VoucherOut
from posting.webhooks import repository
from posting.webhooks.deliveries import (EVENTS, STAGED_LEASE, Answer, attempt_limit, body_of, payload, posting_event,
                                         receiver_url, retry_delay)
from posting.webhooks.sending import SignedRequest
from posting.webhooks.signing import new_secret, signed_headers

DELIVER_JOB = "deliver_webhook"
DUE_BATCH = 200


def create_webhook(session: Session, principal: Principal, *, url: str, events: Sequence[str]) -> Webhook:
    """A webhook with a new secret (the caller shows it once); 422 for a URL deliveries cannot go to."""
    principal.require(Permission.MANAGE_LEDGER)
    webhook = Webhook(company_id=principal.company_id, url=receiver_url(url), secret=new_secret(),
                      events=[event for event in EVENTS if event in events], active=True)
    session.add(webhook)
    session.flush()
    audit.record(session, company_id=principal.company_id, actor=principal.actor, action="webhook.created",
                 entity_type="webhook", entity_id=webhook.id, data={"url": webhook.url, "events": webhook.events})
    return webhook


def get_webhook(session: Session, principal: Principal, webhook_id: uuid.UUID) -> Webhook:
    principal.require(Permission.MANAGE_LEDGER)
    return company_row(session, Webhook, webhook_id, principal.company_id, "Webhook")


def list_webhooks(session: Session, principal: Principal, *, limit: int = 50,
                  cursor: str | None = None) -> tuple[list[Webhook], str | None]:
    principal.require(Permission.MANAGE_LEDGER)
    return repository.webhook_page(session, principal.company_id, limit=limit, cursor=cursor)


def delete_webhook(session: Session, principal: Principal, webhook_id: uuid.UUID) -> Webhook:
    """Send the webhook nothing more (its pending deliveries fail); it stays, inactive, with its deliveries."""
    webhook = get_webhook(session, principal, webhook_id)
    if webhook.active:
        webhook.active = False
        audit.record(session, company_id=webhook.company_id, actor=principal.actor, action="webhook.deleted",
                     entity_type="webhook", entity_id=webhook.id, data={"url": webhook.url})
    return webhook


def list_deliveries(session: Session, principal: Principal, webhook_id: uuid.UUID, *, status: str | None = None,
                    limit: int = 50, cursor: str | None = None) -> tuple[list[WebhookDelivery], str | None]:
    webhook = get_webhook(session, principal, webhook_id)
    return repository.delivery_page(session, principal.company_id, webhook.id, status=status, limit=limit,
                                    cursor=cursor)


def redeliver(session: Session, principal: Principal, delivery_id: uuid.UUID) -> WebhookDelivery:
    """A new delivery of a delivered or failed one's event and body, attempted afresh; 409 while it is pending or
    when its webhook was deleted."""
    principal.require(Permission.MANAGE_LEDGER)
    original = company_row(session, WebhookDelivery, delivery_id, principal.company_id, "Webhook delivery")
    webhook = session.get(Webhook, original.webhook_id)
    _ensure_redeliverable(original, webhook)
    delivery = _new_delivery(session, webhook, original.event, original.payload, redelivery_of_id=original.id)
    audit.record(session, company_id=webhook.company_id, actor=principal.actor, action="webhook_delivery.redelivered",
                 entity_type="webhook_delivery", entity_id=delivery.id, data={"redelivery_of": str(original.id)})
    return delivery


def _ensure_redeliverable(original: WebhookDelivery, webhook: Webhook) -> None:
    if not webhook.active:
        raise InvalidStatusTransition(f"Webhook {webhook.id} was deleted; create a webhook for {webhook.url} "
                                      "again to have events delivered there.")
    if original.status == DeliveryStatus.PENDING:
        raise InvalidStatusTransition(f"Delivery {original.id} is still being tried ({original.attempts} attempt(s) "
                                      "so far); redeliver it once it is delivered or failed.")


def announce_posting(session: Session, voucher: Voucher) -> list[WebhookDelivery]:
    """A delivery of the posting (``voucher.posted``; ``voucher.reversed`` for a reversal) for each of the company's
    active webhooks that takes the event; each is sent once the posting commits."""
    event = posting_event(voucher.reverses_id)
    webhooks = [webhook for webhook in repository.active_webhooks(session, voucher.company_id)
                if event in webhook.events]
    if not webhooks:
        return []
    sent = payload(event, voucher.posted_at, VoucherOut.of(voucher).model_dump(mode="json"))
    return [_new_delivery(session, webhook, event, sent) for webhook in webhooks]


def _new_delivery(session: Session, webhook: Webhook, event: str, sent: dict[str, Any], *,
                  redelivery_of_id: uuid.UUID | None = None) -> WebhookDelivery:
    delivery = WebhookDelivery(id=uuid.uuid4(), company_id=webhook.company_id, webhook_id=webhook.id, event=event,
                               payload=sent, status=DeliveryStatus.PENDING, attempts=0,
                               redelivery_of_id=redelivery_of_id)
    session.add(delivery)
    stage_attempt(session, delivery)
    return delivery


def stage_attempt(session: Session, delivery: WebhookDelivery, *, waiting: Collection[str] = ()) -> None:
    """Stage the delivery's next attempt as a job (enqueued after commit) unless its job is ``waiting`` in the outbox
    still; either way it is staged again if not made within ``STAGED_LEASE``."""
    job_id = attempt_job_id(delivery)
    if job_id not in waiting:  # the queue takes a job id once per hand-over
        stage_job(session, DELIVER_JOB, [str(delivery.id), delivery.attempts + 1], job_id)
    delivery.next_attempt_at = utcnow() + STAGED_LEASE


def attempt_job_id(delivery: WebhookDelivery) -> str:
    """The job of the delivery's next attempt: one id per attempt, so a duplicate of it finds the attempt made."""
    return f"webhook-{delivery.id}-{delivery.attempts + 1}"


def stage_due(session: Session, limit: int = DUE_BATCH) -> int:
    """Stage the next attempt of every company's pending deliveries whose time came: a retry after its wait, or an
    attempt whose job was lost. Returns how many were due."""
    due = repository.due_deliveries(session, utcnow(), limit)
    waiting = pending_job_ids(session, [attempt_job_id(delivery) for delivery in due])
    for delivery in due:
        stage_attempt(session, delivery, waiting=waiting)
    return len(due)


def claim_attempt(session: Session, delivery_id: uuid.UUID, attempt: int) -> SignedRequest | None:
    """Take attempt ``attempt`` of the delivery (counted now, so one cut short still counts) and the signed request
    to send; None when it is not to be made (made already, delivered, failed, or its webhook deleted)."""
    delivery = repository.locked_delivery(session, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.PENDING or delivery.attempts != attempt - 1:
        return None
    webhook = session.get(Webhook, delivery.webhook_id)
    if reason := _reason_not_to_send(webhook, attempt):
        _give_up(delivery, reason)
        return None
    delivery.attempts, delivery.next_attempt_at = attempt, utcnow() + STAGED_LEASE
    return signed_request(webhook, delivery)


def _reason_not_to_send(webhook: Webhook, attempt: int) -> str | None:
    if not webhook.active:
        return "the webhook was deleted before the delivery went out"
    if attempt > attempt_limit(_schedule()):
        return f"attempt {attempt - 1}, the last, did not finish (its worker stopped)"
    return None


def signed_request(webhook: Webhook, delivery: WebhookDelivery) -> SignedRequest:
    """The delivery's body, signed now with the webhook's secret."""
    body = body_of(delivery.payload)
    headers = signed_headers(webhook.secret, event=delivery.event, delivery_id=delivery.id, body=body,
                             timestamp=int(time.time()))
    return SignedRequest(webhook.url, headers, body)


def record_answer(session: Session, delivery_id: uuid.UUID, attempt: int, answer: Answer) -> str:
    """Keep how attempt ``attempt`` went: delivered on a 2xx; else due again after the schedule's next wait, or
    failed, with the reason, after the last attempt. Returns the delivery's status."""
    delivery = repository.locked_delivery(session, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.PENDING or delivery.attempts != attempt:
        return "skipped: the attempt was superseded"
    delivery.last_status_code, delivery.last_error = answer.status_code, answer.error
    wait = retry_delay(attempt, _schedule())
    if answer.delivered:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.DELIVERED, utcnow(), None
    elif wait is not None:
        delivery.next_attempt_at = utcnow() + wait
    else:
        _give_up(delivery, f"{answer.error} (after {attempt} attempts)")
    return delivery.status


def _give_up(delivery: WebhookDelivery, reason: str) -> None:
    delivery.status, delivery.next_attempt_at, delivery.last_error = DeliveryStatus.FAILED, None, reason


def _schedule() -> list[float]:
    return get_settings().webhook_retry_seconds
