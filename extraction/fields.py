"""Canonical field names (DESIGN.md section 5) and the normalization of values people type."""

from __future__ import annotations

from typing import Any

from core.errors import InvalidRequest
from core.money import money_str, parse_amount, parse_date

INVOICE_FIELDS = (
    "invoice_number", "invoice_date", "due_date", "vendor_name", "vendor_tax_id", "vendor_address", "vendor_iban",
    "customer_name", "customer_tax_id", "po_number", "currency", "subtotal", "tax_amount", "tax_rate",
    "total_amount", "payment_terms", "invoice_code", "check_code", "invoice_type",
)
"""Chinese VAT invoices add ``invoice_code``, ``check_code`` and ``invoice_type`` (增值税专用发票 or 增值税普通发票: the
input VAT of a 普通发票 cannot be deducted, see ``posting.drafting_tax``)."""
RECEIPT_FIELDS = (
    "merchant_name", "merchant_address", "merchant_tax_id", "transaction_date", "transaction_time", "currency",
    "subtotal", "tax_amount", "tip", "total_amount", "payment_method", "category",
)
CONTRACT_FIELDS = (
    "title", "contract_number", "parties", "effective_date", "expiration_date", "term", "total_value", "currency",
    "payment_terms", "jurisdiction", "renewal",
)
EXPENSE_CLAIM_FIELDS = (
    "employee_name", "employee_id", "purpose", "period_start", "period_end", "currency", "total_amount",
)
FIELDS_BY_TYPE = {
    "invoice": INVOICE_FIELDS, "receipt": RECEIPT_FIELDS, "contract": CONTRACT_FIELDS,
    "expense_claim": EXPENSE_CLAIM_FIELDS,
}
AMOUNT_FIELDS = {"subtotal", "tax_amount", "total_amount", "tip", "total_value"}
DATE_FIELDS = {"invoice_date", "due_date", "transaction_date", "effective_date", "expiration_date", "period_start",
               "period_end"}


def fields_for(doc_type: str | None) -> tuple[str, ...]:
    return FIELDS_BY_TYPE.get(doc_type or "", INVOICE_FIELDS)


def normalize_correction(doc_type: str | None, name: str, value: Any) -> Any:
    """A person's value in canonical form (amounts ``"12.30"``, ISO dates, ISO currency); 422 if it is not one."""
    if name not in fields_for(doc_type):
        raise InvalidRequest(f"{name!r} is not a field of a {doc_type or 'invoice'}; "
                             f"use one of: {', '.join(fields_for(doc_type))}.")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    text = str(value).strip()
    if name in AMOUNT_FIELDS:
        return _amount(name, text)
    if name in DATE_FIELDS:
        return _date(name, text)
    if name == "currency":
        return _currency(text)
    return text


def _amount(name: str, text: str) -> str:
    amount = parse_amount(text)
    if amount is None:
        raise InvalidRequest(f"{name}: {text!r} is not an amount; write it like 1234.56.")
    return money_str(amount)


def _date(name: str, text: str) -> str:
    found = parse_date(text)
    if found is None:
        raise InvalidRequest(f"{name}: {text!r} is not a date; write it as YYYY-MM-DD.")
    return found.isoformat()


def _currency(text: str) -> str:
    code = text.upper()
    if len(code) != 3 or not code.isalpha():
        raise InvalidRequest(f"currency: {text!r} is not an ISO 4217 code such as EUR or USD.")
    return code
