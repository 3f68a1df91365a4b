"""A PDF that carries an e-invoice shows it twice: as XML and as a page. The XML is the truth; the page is read
too and compared with it. Where both agree, the field gains the box on the page it is printed in; where they
differ, a person is shown both values. Pure: fields in, fields and issues out."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from core.money import parse_amount
from extraction.model import ExtractedField, Issue

COMPARED = ("invoice_number", "invoice_date", "due_date", "currency", "subtotal", "tax_amount", "total_amount",
            "vendor_tax_id", "vendor_iban")
"""Fields whose printed value is compared with the XML's (values a page prints in a checkable form)."""
AMOUNTS = {"subtotal", "tax_amount", "total_amount"}


def compared_with_page(xml_fields: dict[str, ExtractedField],
                       page_fields: dict[str, ExtractedField]) -> tuple[dict[str, ExtractedField], list[Issue]]:
    """The XML's fields, located on the page where the page agrees, and an issue for each disagreement."""
    fields, issues = dict(xml_fields), []
    for name in COMPARED:
        ours, printed = xml_fields.get(name), page_fields.get(name)
        if ours is None or printed is None:
            continue
        if same_value(name, ours.value, printed.value):
            fields[name] = replace(ours, page=printed.page, bbox=printed.bbox) if ours.bbox is None else ours
        else:
            issues.append(mismatch(name, ours.value, printed.value))
    return fields, issues


def same_value(name: str, xml_value: str, printed: str) -> bool:
    """Equal as values: amounts by number (a credit note's page may print them without the sign), the rest
    without case and spaces."""
    if name in AMOUNTS:
        return _magnitude(xml_value) == _magnitude(printed)
    return _squeezed(xml_value) == _squeezed(printed)


def mismatch(name: str, xml_value: str, printed: str) -> Issue:
    return Issue("einvoice_mismatch", "warning",
                 f"{name}: the e-invoice's XML says {xml_value!r}, the page shows {printed!r}; the XML's value is "
                 "kept (the XML is the invoice)")


def _magnitude(value: str) -> Decimal | None:
    number = parse_amount(str(value))
    return abs(number) if number is not None else None


def _squeezed(value: str) -> str:
    return "".join(str(value).split()).casefold()
