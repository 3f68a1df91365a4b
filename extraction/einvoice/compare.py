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


def compared_with_page(xml_fields: dict[str, ExtractedField], page_fields: dict[str, ExtractedField],
                       page_text: str) -> tuple[dict[str, ExtractedField], list[Issue]]:
    """The XML's fields, located on the page where the page agrees, and an issue for each disagreement: where
    the value read from the page differs and the XML's value is printed nowhere on it (when it is, the page
    reading took the wrong words, and the page does not contradict the XML)."""
    fields, issues = dict(xml_fields), []
    printed_text = PrintedText(page_text)
    for name in COMPARED:
        ours, printed = xml_fields.get(name), page_fields.get(name)
        if ours is None or printed is None:
            continue
        if same_value(name, ours.value, printed.value):
            fields[name] = replace(ours, page=printed.page, bbox=printed.bbox) if ours.bbox is None else ours
        elif not printed_text.shows(name, ours.value):
            issues.append(mismatch(name, ours.value, printed.value))
    return fields, issues


class PrintedText:
    """What a page prints, for asking whether a value is on it: its amounts as numbers, its text squeezed."""

    def __init__(self, text: str) -> None:
        self.squeezed = _squeezed(text)
        self.amounts = {_magnitude(token) for token in text.split()} - {None}

    def shows(self, name: str, value: str) -> bool:
        if name in AMOUNTS:
            return _magnitude(value) in self.amounts
        return bool(value) and _squeezed(value) in self.squeezed


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
