"""Accounting periods as plain values: the month a date falls in, its first and last day, the months of a year, and
what a person reads when a period refuses a posting. Pure: no I/O.

A company's books are kept by calendar month (``2026-03``). A month is open until an accountant closes it; a closed
month takes no posting (neither a voucher dated in it nor a reversal) until it is opened again.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from core.errors import InvalidRequest

PERIOD_PATTERN = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
"""``YYYY-MM``."""


def period_of(day: date) -> str:
    """``2026-03`` for 2026-03-12."""
    return f"{day.year:04d}-{day.month:02d}"


def parse_period(text: str) -> str:
    """The period ``text`` names (``2026-03``); 422 when it is not one."""
    found = PERIOD_PATTERN.fullmatch(text.strip())
    if found is None:
        raise InvalidRequest(f"{text!r} is not a period: write the month as YYYY-MM, e.g. 2026-03.")
    return found.group(0)


def bounds(period: str) -> tuple[date, date]:
    """The first and the last day of the period."""
    year, month = (int(part) for part in period.split("-"))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def months_of(year: int) -> list[str]:
    return [f"{year:04d}-{month:02d}" for month in range(1, 13)]


def closed_detail(period: str, what: str) -> str:
    """Why ``what`` (``voucher 0b6e... dated 2026-03-12``) cannot be posted into the closed ``period``."""
    return (f"The period {period} is closed, so {what} cannot be posted; nothing was posted. An accountant or admin "
            f"can open it again (POST /api/v1/periods/{period}/reopen), post it and close it once more.")
