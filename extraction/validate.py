"""Checks on extracted invoice fields. Returns issues; never raises."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from core.money import round_money
from extraction.model import Issue

REQUIRED_INVOICE_FIELDS = ("invoice_number", "invoice_date", "vendor_name", "total_amount")
TOLERANCE = Decimal("0.01")
VALUE_RULES = frozenset({"required", "currency", "amount_format", "negative_total", "totals_add_up", "tax_rate",
                         "date_in_future", "due_before_issue"})
"""The rules judged from the field values alone (``revalidated``). Any other issue is about the file itself (an
e-invoice's schema and sums, a page that could not be read) and stays true when a person corrects a field."""


def validate_invoice(values: dict[str, Any], today: date) -> list[Issue]:
    """Issues with an invoice's field values (plain values, as stored)."""
    issues = [Issue("required", "error" if name == "total_amount" else "warning", f"{name} was not found")
              for name in REQUIRED_INVOICE_FIELDS if not values.get(name)]
    issues += _check_amounts(values)
    issues += check_dates(values, today)
    if not values.get("currency"):
        issues.append(Issue("currency", "warning", "no currency was found; the company's base currency is assumed"))
    return issues


def _check_amounts(values: dict[str, Any]) -> list[Issue]:
    subtotal, tax, total = (_decimal(values.get(k)) for k in ("subtotal", "tax_amount", "total_amount"))
    issues: list[Issue] = []
    for name, amount in (("subtotal", subtotal), ("tax_amount", tax), ("total_amount", total)):
        if values.get(name) not in (None, "") and amount is None:
            issues.append(Issue("amount_format", "error", f"{name} {values.get(name)!r} is not an amount"))
    if total is not None and total < 0:
        issues.append(Issue("negative_total", "warning", "the total is negative: is this a credit note?"))
    if None not in (subtotal, tax, total) and abs(subtotal + tax - total) > TOLERANCE:
        issues.append(Issue("totals_add_up", "error", f"subtotal {subtotal} + tax {tax} = {subtotal + tax}, "
                                                        f"but the total is {total}"))
    rate = _decimal(values.get("tax_rate"))
    if None not in (subtotal, tax, rate) and abs(subtotal * rate / 100 - tax) > Decimal("0.05"):
        issues.append(Issue("tax_rate", "warning", f"{rate}% of {subtotal} is {round_money(subtotal * rate / 100)}, "
                                                     f"not the tax {tax}"))
    return issues


def revalidated(values: dict[str, Any], previous: list[dict[str, str]], today: date) -> list[dict[str, str]]:
    """The issues of a corrected version: the value rules judged again on ``values``, and the earlier version's
    issues about the file itself, carried over."""
    about_the_file = [issue for issue in previous if issue.get("rule") not in VALUE_RULES]
    return [*about_the_file, *(issue.as_json() for issue in validate_invoice(values, today))]


def check_dates(values: dict[str, Any], today: date) -> list[Issue]:
    issued, due = _date(values.get("invoice_date")), _date(values.get("due_date"))
    issues: list[Issue] = []
    if issued and issued > today:
        issues.append(Issue("date_in_future", "warning", f"the invoice date {issued} is in the future"))
    if issued and due and due < issued:
        issues.append(Issue("due_before_issue", "warning", f"the due date {due} is before the invoice date {issued}"))
    return issues


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
