"""Signing a webhook delivery, and checking a signature as a receiver does. Pure.

The signature is ``sha256=`` and the hex HMAC-SHA256, keyed with the webhook's secret, of the timestamp, a dot and
the body's bytes as sent (``1764400000.{"event":...}``). A receiver that checks it knows the body came from us
unchanged; refusing a timestamp older than a few minutes, it also refuses a recorded delivery played again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

EVENT_HEADER = "X-Ledgerdesk-Event"
DELIVERY_HEADER = "X-Ledgerdesk-Delivery"
"""The delivery's id: the same in every attempt of it, so a receiver can ignore one it has had."""
TIMESTAMP_HEADER = "X-Ledgerdesk-Timestamp"
"""Unix seconds when the attempt was signed."""
SIGNATURE_HEADER = "X-Ledgerdesk-Signature"
SIGNATURE_PREFIX = "sha256="
TOLERANCE_SECONDS = 300
"""How old a signed timestamp a receiver should still accept."""


def new_secret() -> str:
    """A webhook's signing secret: 256 random bits."""
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the secret>``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def signed_headers(secret: str, *, event: str, delivery_id: uuid.UUID, body: bytes, timestamp: int) -> dict[str, str]:
    """The headers an attempt is sent with."""
    return {"Content-Type": "application/json", "User-Agent": "ledgerdesk-webhooks", EVENT_HEADER: event,
            DELIVERY_HEADER: str(delivery_id), TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(secret, timestamp, body)}


def is_authentic(secret: str, timestamp: str, body: bytes, signed: str, *, now: float,
                 tolerance: float = TOLERANCE_SECONDS) -> bool:
    """Whether a delivery's ``X-Ledgerdesk-Signature`` (``signed``) is ours for this body and ``X-Ledgerdesk-Timestamp``,
    signed within ``tolerance`` seconds of ``now``: what a receiver checks."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), signed)
