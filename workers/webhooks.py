"""Webhook deliveries in the workers: the job that makes one attempt, and the sweep that stages the attempts that
are due (retries after their wait, attempts whose job was lost)."""

from __future__ import annotations

import uuid

from core.db import transaction, utcnow
from core.outbox import relay_after_commit
from core.settings import get_settings
from posting.webhooks import repository, service
from posting.webhooks.sending import post


def deliver(delivery_id: str, attempt: int) -> str:
    """Make attempt ``attempt`` of a delivery: claim it, send it outside any transaction, keep the answer."""
    with transaction() as session:
        request = service.claim_attempt(session, uuid.UUID(delivery_id), attempt)
    if request is None:
        return "skipped: not to be made (made already, delivered, failed, or the webhook deleted)"
    answer = post(request, timeout=get_settings().webhook_timeout_seconds)
    with transaction() as session:
        return service.record_answer(session, uuid.UUID(delivery_id), attempt, answer)


def stage_due_deliveries() -> int:
    """Stage every attempt that is due and hand it to the queue; returns how many."""
    with transaction(read_only=True) as session:
        if not repository.any_due(session, utcnow()):
            return 0  # the common case: no write turn needed
    with transaction() as session:
        staged = service.stage_due(session)
    relay_after_commit()
    return staged
