"""Which e-invoice a file is, from its bytes, and the reader for it: XML (UBL, Peppol's envelope, CII, ZUGFeRD
1.0, the Chinese e-invoice XML and XBRL), an OFD package, or the XML a PDF carries inside."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from extraction.einvoice.chinese import read_chinese_xbrl, read_chinese_xml
from extraction.einvoice.cii import read_cii, read_zugferd1
from extraction.einvoice.cius import cius_issues
from extraction.einvoice.model import EInvoice, StructuredInvoice
from extraction.einvoice.ofd import read_ofd
from extraction.einvoice.pdf_attachment import embedded_xml
from extraction.einvoice.pdfa import pdfa_issues
from extraction.einvoice.schema import schema_issues
from extraction.einvoice.ubl import read_ubl
from extraction.einvoice.xmltree import Element, InvalidEInvoice, children, local, parse_xml
from extraction.model import Issue

READERS: dict[str, Callable[[Element], EInvoice]] = {
    "Invoice": read_ubl, "CreditNote": read_ubl, "CrossIndustryInvoice": read_cii,
    "CrossIndustryDocument": read_zugferd1, "eInvoice": read_chinese_xml, "EInvoice": read_chinese_xml,
    "xbrl": read_chinese_xbrl,
}
"""The reader for each e-invoice, by the local name of its root element."""
ENVELOPE = "StandardBusinessDocument"
"""Peppol's business document, which carries the invoice as a child of its root."""


def read_einvoice(data: bytes, media_type: str) -> StructuredInvoice:
    """The e-invoice in an XML file, an OFD package or a PDF; raises ``InvalidEInvoice`` for a damaged XML or
    OFD file (it holds nothing else to read)."""
    if media_type == "application/xml":
        return StructuredInvoice(read_xml_einvoice(data))
    if media_type == "application/ofd":
        return StructuredInvoice(read_ofd(data).einvoice)
    if media_type == "application/pdf":
        return _embedded_in_pdf(data)
    return StructuredInvoice()


def read_xml_einvoice(data: bytes, what: str = "The XML") -> EInvoice:
    """The e-invoice in XML bytes; raises ``InvalidEInvoice`` when it is damaged or no e-invoice we read."""
    root = parse_xml(data, what)
    invoice = _unwrapped(root)
    reader = READERS.get(local(invoice))
    if reader is None:
        raise InvalidEInvoice(f"{what} holds a {local(invoice)!r} element, which is not an e-invoice we read (UBL, "
                              "Peppol, CII / XRechnung / Factur-X, ZUGFeRD, Chinese e-invoice).")
    return with_violations(reader(invoice), [*schema_issues(invoice), *cius_issues(invoice)])


def with_violations(einvoice: EInvoice, found: list[Issue]) -> EInvoice:
    return replace(einvoice, violations=(*einvoice.violations, *found)) if found else einvoice


def _unwrapped(root: Element) -> Element:
    """The invoice inside Peppol's envelope (the root itself otherwise)."""
    if local(root) != ENVELOPE:
        return root
    return next((element for name in ("Invoice", "CreditNote") for element in children(root, name)), root)


def _embedded_in_pdf(data: bytes) -> StructuredInvoice:
    try:
        attachment = embedded_xml(data)
        if attachment is None:
            return StructuredInvoice()
        einvoice = read_xml_einvoice(attachment.data, f"The attached {attachment.name}")
        return StructuredInvoice(with_violations(einvoice, pdfa_issues(data)))
    except InvalidEInvoice as exc:
        return StructuredInvoice(problem=exc.detail)
