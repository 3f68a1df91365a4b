"""When an open item is due, and why. Pure: values in, values out.

The invoice's own ``due_date`` first; else its date plus the days of the vendor's payment terms (the vendor master),
else of the terms printed on it (``payment_terms``); else ``DEFAULT_DAYS`` after it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

DEFAULT_DAYS = 30
DAYS = re.compile(r"(\d{1,3})\s*(?:days?|d\b|tage?n?|jours?|giorni|días|dias|天|日)|\bnet\s*(\d{1,3})\b",
                  re.IGNORECASE)
AT_ONCE = re.compile(r"immediate|on receipt|upon receipt|sofort|à réception|立即|见票即付", re.IGNORECASE)


def payment_days(terms: str | None) -> int | None:
    """The days to pay that payment terms give: ``30 days net`` and ``net 30`` are 30, ``due on receipt`` is 0,
    ``14 Tage`` 14, ``30天`` 30; None when they give none."""
    if not terms:
        return None
    if AT_ONCE.search(terms):
        return 0
    found = DAYS.search(terms)
    return int(found.group(1) or found.group(2)) if found else None


def due_date(*, printed_due: str | None, issued: date, vendor_terms: str | None,
             printed_terms: str | None) -> tuple[date, str]:
    """The due date and the reason for it."""
    try:
        return date.fromisoformat(str(printed_due)), "the due_date printed on the document"
    except ValueError:
        pass
    for terms, whose in ((vendor_terms, "the vendor's payment terms"), (printed_terms, "the payment_terms printed")):
        days = payment_days(terms)
        if days is not None:
            return issued + timedelta(days=days), f"{issued.isoformat()} + {days} days ({whose}: {terms!r})"
    return issued + timedelta(days=DEFAULT_DAYS), f"{issued.isoformat()} + {DEFAULT_DAYS} days (no due date or " \
                                                  "payment terms were found)"
