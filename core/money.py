"""Money and date helpers: Decimal amounts, explicit rounding, ISO dates."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    """Round to the cent, half up (the rounding every voucher line uses)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text: str) -> Decimal | None:
    """Read a printed amount such as ``1,234.56``, ``1.234,56``, ``$ 12.00`` or ``-5``; None if not one."""
    cleaned = re.sub(r"[^\d,.\-]", "", text.strip())
    if not re.search(r"\d", cleaned):
        return None
    negative = cleaned.startswith("-") or text.strip().startswith("(")
    cleaned = cleaned.replace("-", "")
    cleaned = _normalize_separators(cleaned)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return -value if negative else value


def _normalize_separators(number: str) -> str:
    """Decide which of ``,`` and ``.`` is the decimal separator and return a plain ``1234.56``."""
    last_comma, last_dot = number.rfind(","), number.rfind(".")
    if last_comma < 0 and re.fullmatch(r"[1-9]\d{0,2}(\.\d{3})+", number):
        return number.replace(".", "")  # 1.234 and 12.345.678 are German thousands
    if last_comma > last_dot:
        decimals = len(number) - last_comma - 1
        if decimals in (1, 2):
            return number.replace(".", "").replace(",", ".")
        return number.replace(",", "")
    return number.replace(",", "")


def money_str(amount: Decimal | None) -> str | None:
    """The API's string form of an amount: ``"267.51"``."""
    return None if amount is None else str(round_money(amount))


_DATE_PATTERNS = [
    (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), ("y", "m", "d")),
    (re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"), ("y", "m", "d")),
    (re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)"), ("d", "m", "y")),
]
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_NAMED_MONTH = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})\b|\b([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b")


def parse_date(text: str, day_first: bool = True) -> date | None:
    """Find the first date in ``text``: ISO, ``12.03.2024``, ``2024年3月12日``, ``March 12, 2024``..."""
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = dict(zip(order, (int(g) for g in match.groups())))
            if order[0] == "d" and not day_first:
                parts["d"], parts["m"] = parts["m"], parts["d"]
            found = _safe_date(parts["y"], parts["m"], parts["d"])
            if found:
                return found
    return _parse_named_month(text)


def _parse_named_month(text: str) -> date | None:
    for match in _NAMED_MONTH.finditer(text):
        day, month, year = (match.group(1), match.group(2), match.group(3)) if match.group(1) else (
            match.group(5), match.group(4), match.group(6))
        month_number = _MONTHS.get(month.lower()[:3])
        if month_number:
            found = _safe_date(int(year), month_number, int(day))
            if found:
                return found
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
