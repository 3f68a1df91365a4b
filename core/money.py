"""Money and date helpers: Decimal amounts, explicit rounding, ISO dates."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import iso4217

CENT = Decimal("0.01")
ISO_CURRENCY_CODES = frozenset(code for code in iso4217.Currency.__members__ if code.isupper())
"""Every ISO 4217 currency code (``EUR``, ``CNY`` ...), from the ``iso4217`` package: no network."""


def round_money(amount: Decimal) -> Decimal:
    """Round to the cent, half up (the rounding every voucher line uses)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def decimal_value(value: object) -> Decimal | None:
    """A stored value in canonical form (``"1234.56"``, ``19``) as a Decimal; None if it is empty or not a finite
    number. For printed amounts, see ``parse_amount``."""
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        found = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


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
        if decimals != 3 or last_dot >= 0 or number.startswith("0,"):
            # 12,5 and 9,9000 (a unit price): no group of thousands; 1.234,567 and 0,125 cannot be one either
            return number.replace(".", "").replace(",", ".")
        return number.replace(",", "")
    return number.replace(",", "")


def money_str(amount: Decimal | None) -> str | None:
    """The API's string form of an amount: ``"267.51"``."""
    return None if amount is None else str(round_money(amount))


_DATE_PATTERNS = [
    (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), ("y", "m", "d")),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"), ("y", "m", "d")),
    (re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)"), ("a", "b", "y")),
    (re.compile(r"(?<![\d.,])(\d{1,2})([./-])(\d{1,2})\2(\d{2})(?![\d.,])"), ("a", "", "b", "y")),
]
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
_ORDINAL = r"(?:st|nd|rd|th)?"
_NAMED_MONTH_DAY_FIRST = re.compile(
    rf"(?<!\d)(\d{{1,2}}){_ORDINAL}[\s./-]+([A-Za-z]{{3,9}})\.?,?[\s./-]+(\d{{4}}|\d{{2}})(?!\d)")
_NAMED_MONTH_MONTH_FIRST = re.compile(
    rf"\b([A-Za-z]{{3,9}})\.?[\s-]+(\d{{1,2}}){_ORDINAL},?[\s-]+(\d{{4}})(?!\d)")
_FUTURE_YEARS = 50
"""A date more than this many years ahead is a misread, not an invoice date."""


def parse_date(text: str, day_first: bool = True) -> date | None:
    """Find the first date in ``text``: ISO, ``12.03.2024``, ``12/25/2024``, ``2024年3月12日``, ``March 12th, 2024``,
    ``25-Dec-18``...; None for none, or for a year before 1900 or more than 50 years ahead."""
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            found = _numeric_date(dict(zip(order, match.groups())), day_first)
            if found:
                return found
    return _parse_named_month(text)


def _numeric_date(parts: dict[str, str], day_first: bool) -> date | None:
    """The date of printed digits: year-month-day (``y``, ``m``, ``d``) or two numbers ``a`` and ``b`` before the
    year, day first unless told otherwise or unless ``b`` is above 12 (``12/25/2018`` puts the month first)."""
    if "d" in parts:
        return _safe_date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
    first, second = int(parts["a"]), int(parts["b"])
    if len(parts["y"]) == 4 and max(first, second) > 12 >= min(first, second):
        day_first = first > 12
    day, month = (first, second) if day_first else (second, first)
    return _safe_date(_full_year(parts["y"]), month, day)


def _full_year(digits: str) -> int:
    """A printed year with its century: ``18`` is 2018, ``99`` is 1999 (two digits mean within ten years ahead)."""
    year = int(digits)
    if len(digits) != 2:
        return year
    return 2000 + year if 2000 + year <= date.today().year + 10 else 1900 + year


def _parse_named_month(text: str) -> date | None:
    for day, month, year in _named_month_candidates(text):
        month_number = _month_number(month)
        found = month_number and _safe_date(_full_year(year), month_number, int(day))
        if found:
            return found
    return None


def _named_month_candidates(text: str) -> list[tuple[str, str, str]]:
    """(day, month name, year) for every ``25 Dec 2018`` and ``Dec 25, 2018`` in ``text``, in reading order."""
    day_first = [(m.start(), m.groups()) for m in _NAMED_MONTH_DAY_FIRST.finditer(text)]
    month_first = [(m.start(), (m.group(2), m.group(1), m.group(3))) for m in _NAMED_MONTH_MONTH_FIRST.finditer(text)]
    return [groups for _, groups in sorted(day_first + month_first)]


def _month_number(word: str) -> int | None:
    """1-12 for a month name or its abbreviation (``Dec``, ``Sept``, ``December``); None for any other word."""
    word = word.lower()
    for number, name in enumerate(_MONTH_NAMES, start=1):
        if len(word) >= 3 and name.startswith(word) or word == "sept" and number == 9:
            return number
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist or is implausible for a business document."""
    if not 1900 <= year <= date.today().year + _FUTURE_YEARS:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
