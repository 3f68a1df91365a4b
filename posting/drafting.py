"""Draft a balanced voucher from an invoice's fields. Pure: values in, values out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from core.errors import UnbalancedVoucher
from core.money import round_money

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DraftLine:
    role: str
    """Which account to use, by role in the chart (``expense``, ``input_tax``, ``payable``...)."""
    debit: Decimal
    credit: Decimal
    description: str
    reason: str
    kind: str


@dataclass(frozen=True)
class DraftVoucher:
    date: date
    currency: str
    description: str
    lines: tuple[DraftLine, ...]


class CannotDraft(Exception):
    """The fields do not allow a voucher yet (no total); the review task says why."""


def draft_purchase_invoice(values: dict[str, Any], *, base_currency: str, received_on: date) -> DraftVoucher:
    """Debit expense (net) and input VAT, credit accounts payable (gross)."""
    total = _amount(values.get("total_amount"))
    if total is None:
        raise CannotDraft("no total amount was found, so no voucher could be drafted")
    tax = _amount(values.get("tax_amount")) or ZERO
    net = round_money(total - tax)
    vendor = values.get("vendor_name") or "unknown vendor"
    number = values.get("invoice_number") or "without number"
    description = f"Invoice {number} from {vendor}"
    lines = [DraftLine("expense", net, ZERO, description, _net_reason(values, net), "expense")]
    if tax:
        lines.append(DraftLine("input_tax", tax, ZERO, f"Input VAT on invoice {number}",
                               f"tax_amount {tax} printed on the invoice", "input_tax"))
    lines.append(DraftLine("payable", ZERO, total, f"Payable to {vendor}", f"total_amount {total} owed to the vendor",
                           "payable"))
    voucher = DraftVoucher(_voucher_date(values, received_on), values.get("currency") or base_currency, description,
                           tuple(lines))
    ensure_balanced(voucher.lines)
    return voucher


def ensure_balanced(lines: tuple[DraftLine, ...] | list[DraftLine]) -> None:
    """Raise ``UnbalancedVoucher`` unless debits equal credits to the cent."""
    debit, credit = sum((line.debit for line in lines), ZERO), sum((line.credit for line in lines), ZERO)
    if round_money(debit) != round_money(credit):
        raise UnbalancedVoucher(f"Debits {debit} and credits {credit} differ by {debit - credit}.")


def _net_reason(values: dict[str, Any], net: Decimal) -> str:
    if values.get("tax_amount"):
        return f"net = total_amount {values['total_amount']} - tax_amount {values['tax_amount']} = {net}"
    return f"total_amount {values['total_amount']}, no tax found on the invoice"


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return round_money(Decimal(str(value)))
    except InvalidOperation:
        return None


def _voucher_date(values: dict[str, Any], received_on: date) -> date:
    try:
        return date.fromisoformat(values["invoice_date"])
    except (KeyError, TypeError, ValueError):
        return received_on
