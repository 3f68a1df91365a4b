"""An e-invoice as canonical fields and line items: exact values, confidence 1.0, ``source: "einvoice"``, and
the place in the XML as evidence. A credit note becomes a negative document here, once for every syntax."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from extraction.einvoice.model import AllowanceCharge, EInvoice, InvoiceLine, TaxSubtotal
from extraction.line_items import ItemEvidence, LineItem
from extraction.model import ExtractedField

SOURCE = "einvoice"
AMOUNT_FIELDS = ("subtotal", "tax_amount", "total_amount", "amount_due")
"""Fields that change sign on a credit note."""


def einvoice_fields(einvoice: EInvoice) -> dict[str, ExtractedField]:
    """Every field the e-invoice states, plus its kind, VAT breakdown and allowances and charges."""
    fields = {name: _field(einvoice, name, value) for name, value in einvoice.values.items()}
    fields["document_kind"] = _structure(einvoice, "credit_note" if einvoice.is_credit_note else "invoice",
                                         "the document type of the e-invoice")
    if einvoice.tax_subtotals:
        fields["vat_breakdown"] = _structure(einvoice, [_subtotal(s, einvoice) for s in einvoice.tax_subtotals],
                                             "the VAT breakdown of the e-invoice")
    if einvoice.allowances_charges:
        fields["allowances_charges"] = _structure(
            einvoice, [_allowance_charge(a, einvoice) for a in einvoice.allowances_charges],
            "the document-level allowances and charges of the e-invoice")
    return fields


def einvoice_line_items(einvoice: EInvoice) -> list[dict[str, Any]]:
    """The line items in the canonical shape (``extraction.line_items``), exact: confidence 1.0, the line's
    number in the XML as evidence."""
    return [_line_item(line, einvoice.is_credit_note).as_json(
                ItemEvidence(1.0, SOURCE, text=f"{einvoice.description}: line {number}"))
            for number, line in enumerate(einvoice.lines, start=1)]


def _field(einvoice: EInvoice, name: str, value: str) -> ExtractedField:
    located = einvoice.locations.get(name)
    evidence = f"{einvoice.description}: {einvoice.evidence.get(name, name)}"
    if einvoice.is_credit_note and name in AMOUNT_FIELDS:
        value, evidence = negated(value), f"{evidence} (negative: a credit note)"
    return ExtractedField(value=value, confidence=1.0, page=located.page if located else None,
                          bbox=located.bbox if located else None, source=SOURCE, evidence=evidence)


def _structure(einvoice: EInvoice, value: Any, what: str) -> ExtractedField:
    return ExtractedField(value=value, confidence=1.0, page=None, bbox=None, source=SOURCE,
                          evidence=f"{what} ({einvoice.description})")


def negated(amount: str) -> str:
    """The amount with its sign turned, written as the document wrote it otherwise (``100.00`` -> ``-100.00``)."""
    stripped = amount.strip()
    if stripped.startswith("-"):
        return stripped[1:]
    return stripped if Decimal(stripped) == 0 else f"-{stripped}"


def _signed(amount: Decimal | None, credit_note: bool) -> str | None:
    return None if amount is None else str(_turned(amount, credit_note))


def _turned(amount: Decimal | None, credit_note: bool) -> Decimal | None:
    """A credit note's amount with its sign turned (zero stays zero)."""
    return -amount if credit_note and amount else amount


def _subtotal(subtotal: TaxSubtotal, einvoice: EInvoice) -> dict[str, str | None]:
    return {"category": subtotal.category, "rate": _plain(subtotal.rate),
            "taxable_amount": _signed(subtotal.taxable_amount, einvoice.is_credit_note),
            "tax_amount": _signed(subtotal.tax_amount, einvoice.is_credit_note)}


def _allowance_charge(item: AllowanceCharge, einvoice: EInvoice) -> dict[str, str | None]:
    return {"kind": "charge" if item.is_charge else "allowance", "amount": _signed(item.amount, einvoice.is_credit_note),
            "reason": item.reason, "tax_category": item.tax_category, "tax_rate": _plain(item.tax_rate)}


def _line_item(line: InvoiceLine, credit_note: bool) -> LineItem:
    return LineItem(line.description, line.quantity, line.unit, line.unit_price, _turned(line.amount, credit_note),
                    line.tax_rate, _turned(line.tax_amount, credit_note))


def _plain(number: Decimal | None) -> str | None:
    """A number as the document wrote it (``25.0`` stays ``25.0``)."""
    return None if number is None else str(number)
