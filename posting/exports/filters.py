"""Which vouchers an export takes: a range of voucher dates (``from``, ``to``, or a period ``YYYY-MM``) and the
statuses (approved, posted, or both). Pure: values in, values out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.errors import InvalidRequest
from posting.periods import bounds, parse_period

EXPORTED_STATUSES = ("approved", "posted")
"""Only these leave the system: a draft may still change, a rejected voucher never counts."""


@dataclass(frozen=True)
class ExportFilter:
    start: date | None = None
    """The first voucher date taken (inclusive)."""
    end: date | None = None
    """The last voucher date taken (inclusive)."""
    statuses: tuple[str, ...] = EXPORTED_STATUSES

    def as_json(self) -> dict[str, Any]:
        """As a batch records it."""
        return {"from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None, "statuses": list(self.statuses)}


def export_filter(*, start: date | None = None, end: date | None = None, period: str | None = None,
                  status: str | None = None) -> ExportFilter:
    """The filter of an export's parameters; with a period and dates, the days both allow. 422 naming what to fix."""
    if period:
        first, last = bounds(parse_period(period))
        start, end = max(filter(None, (start, first))), min(filter(None, (end, last)))
    if start and end and start > end:
        raise InvalidRequest(f"from ({start}) is after to ({end}): no voucher date is in between; swap them, or "
                             "check that the period and the dates overlap.")
    if status is not None and status not in EXPORTED_STATUSES:
        raise InvalidRequest(f"status must be approved or posted (or left out for both), not {status!r}.")
    return ExportFilter(start, end, (status,) if status else EXPORTED_STATUSES)
