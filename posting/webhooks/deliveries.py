"""What a webhook delivery carries and how its attempts go. Pure: values in, values out.

A delivery is attempted once, then once more after each wait of the retry schedule (the ``webhook_retry_seconds``
setting: 10 s, 1 min, 5 min, 30 min, 2 h) until an answer is 2xx; after the last attempt it fails with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import SplitResult, urlsplit

from core.errors import InvalidRequest

VOUCHER_POSTED = "voucher.posted"
VOUCHER_REVERSED = "voucher.reversed"
"""A reversal was posted: the delivery carries the reversal, whose ``reverses_id`` names the voucher reversed."""
EVENTS = (VOUCHER_POSTED, VOUCHER_REVERSED)
STAGED_LEASE = timedelta(minutes=10)
"""An attempt staged (or started) and not finished within this (its job lost with Redis, its worker killed) is
staged again; a late duplicate of its job finds the attempt taken and does nothing."""


@dataclass(frozen=True)
class Answer:
    """How a receiver answered an attempt: its HTTP status, and why it was no success (None for a 2xx)."""

    status_code: int | None
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def posting_event(reverses_id: object | None) -> str:
    """The event a posting is: ``voucher.reversed`` when the voucher posted is a reversal."""
    return VOUCHER_REVERSED if reverses_id else VOUCHER_POSTED


def payload(event: str, occurred_at: datetime, voucher: dict[str, Any]) -> dict[str, Any]:
    """What a delivery sends: the event, when it happened, and the voucher as ``GET /api/v1/vouchers/{id}`` has it."""
    return {"event": event, "occurred_at": occurred_at.isoformat(), "voucher": voucher}


def body_of(sent: dict[str, Any]) -> bytes:
    """The bytes sent and signed: compact JSON in UTF-8, keys sorted, so every attempt sends the same bytes."""
    return json.dumps(sent, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def receiver_url(url: str) -> str:
    """``url`` if deliveries can go there (http or https, a host, plain ASCII, no credentials); 422 naming what to
    fix."""
    url = url.strip()
    parts = _http_parts(url)
    if parts is None:
        raise InvalidRequest(f"{url!r} is not a URL to deliver to: give an http(s) URL with a host, such as "
                             "https://erp.example.com/ledgerdesk/webhook.")
    if not url.isascii() or not url.isprintable() or " " in url:
        raise InvalidRequest(f"{url!r} has spaces or characters outside ASCII: percent-encode them (%20), and write "
                             "a host name in its xn-- form.")
    if parts.username or parts.password:
        raise InvalidRequest("Put no user name or password in the webhook's URL: it is listed to every ledger "
                             "keeper. The receiver knows a delivery is ours by its signature.")
    return url


def _http_parts(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port out of range
    except ValueError:
        return None
    return parts if parts.scheme in ("http", "https") and parts.hostname else None


def attempt_limit(schedule: Sequence[float]) -> int:
    """How many attempts a delivery gets: the first, and one after each wait."""
    return len(schedule) + 1


def retry_delay(attempts_made: int, schedule: Sequence[float]) -> timedelta | None:
    """The wait before the next attempt after ``attempts_made`` unsuccessful ones; None when that was the last."""
    if attempts_made >= attempt_limit(schedule):
        return None
    return timedelta(seconds=schedule[attempts_made - 1])
