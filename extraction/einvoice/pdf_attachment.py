"""The e-invoice XML a PDF carries (Factur-X, ZUGFeRD 1.0 and 2.x, XRechnung or Order-X in a PDF/A-3).

pdfium lists the attachments and gives their data; it cannot read the catalog's ``/AF`` array, which says how
each associated file relates to the PDF, so pdfminer reads that. Which attachment is the e-invoice:

1. XML attachments the catalog associates as ``/Alternative``, ``/Data`` or ``/Source`` come first (PDF/A-3
   and Factur-X require that association for the invoice), those with a known e-invoice name before others;
2. then attachments with a known name (factur-x.xml, zugferd-invoice.xml, xrechnung.xml, order-x.xml, any case),
   which older writers (ZUGFeRD 1.0, PDF 1.4) attach without ``/AF``;
3. then any other ``*.xml`` whose root element is an e-invoice; within each rank, the PDF's own order.

An attachment that is claimed as the e-invoice (1 or 2) and is larger than the limit is refused with a reason;
an unclaimed XML that large is passed over, since nothing says it is the invoice and the PDF stays readable."""

from __future__ import annotations

import ctypes
import io
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from extraction.einvoice.xmltree import InvalidEInvoice, local, parse_xml

KNOWN_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "order-x.xml")
"""Attachment names the e-invoice standards prescribe (compared without case: ZUGFeRD-invoice.xml)."""
INVOICE_RELATIONSHIPS = frozenset({"Alternative", "Data", "Source"})
"""``/AFRelationship`` values under which a PDF/A-3 associates its structured invoice."""
E_INVOICE_ROOTS = frozenset({"CrossIndustryInvoice", "CrossIndustryDocument", "Invoice", "CreditNote",
                             "StandardBusinessDocument"})
"""Root elements of the e-invoices we read (Peppol's StandardBusinessDocument wraps a UBL one)."""


@dataclass(frozen=True)
class AttachmentLimits:
    """How much attached XML we decode at most; a real e-invoice is well under a megabyte."""

    max_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True)
class EmbeddedXml:
    """The e-invoice XML found in a PDF: its attachment name, its bytes and how the catalog relates it."""

    name: str
    data: bytes
    relationship: str | None


@dataclass(frozen=True)
class Candidate:
    """An XML attachment that may be the e-invoice."""

    index: int
    name: str
    relationship: str | None

    @property
    def is_related(self) -> bool:
        return self.relationship in INVOICE_RELATIONSHIPS

    @property
    def has_known_name(self) -> bool:
        return self.name.lower() in KNOWN_NAMES

    @property
    def is_claimed(self) -> bool:
        """Whether the PDF itself says this attachment is its structured invoice."""
        return self.is_related or self.has_known_name


def embedded_xml(data: bytes, limits: AttachmentLimits = AttachmentLimits()) -> EmbeddedXml | None:
    """The e-invoice XML ``data`` (a PDF) carries, or None; None too when pdfium cannot open the PDF, since
    the ordinary PDF reading reports that. Raises ``InvalidEInvoice`` when the invoice is over the limit."""
    relationships = af_relationships(data)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        return first_invoice(document, ranked(candidates(document, relationships)), limits)
    finally:
        document.close()


def af_relationships(data: bytes) -> dict[str, str]:
    """Attachment name → ``/AFRelationship`` for the files the catalog's ``/AF`` array associates."""
    try:
        catalog = PDFDocument(PDFParser(io.BytesIO(data))).catalog
        specs = [resolve1(spec) for spec in resolve1(catalog.get("AF")) or []]
        return dict(filter(None, (named_relationship(spec) for spec in specs if isinstance(spec, dict))))
    except Exception:  # noqa: BLE001 - pdfminer fails on damaged files in many ways; relationships only rank
        return {}


def named_relationship(spec: dict) -> tuple[str, str] | None:
    name = resolve1(spec.get("UF")) or resolve1(spec.get("F"))
    relationship = resolve1(spec.get("AFRelationship"))
    if not isinstance(name, (bytes, str)) or not isinstance(relationship, PSLiteral):
        return None
    return as_text(name), as_text(relationship.name)


def as_text(value: bytes | str) -> str:
    """A PDF string (PDFDocEncoding or UTF-16 with its mark) or name as text."""
    return decode_text(value) if isinstance(value, bytes) else value


def candidates(document: pdfium.PdfDocument, relationships: dict[str, str]) -> list[Candidate]:
    """The attachments whose name ends in .xml, in the PDF's order."""
    names = [(index, attachment_name(document, index)) for index in range(document.count_attachments())]
    return [Candidate(index, name, relationships.get(name)) for index, name in names
            if name and name.lower().endswith(".xml")]


def attachment_name(document: pdfium.PdfDocument, index: int) -> str | None:
    try:
        return document.get_attachment(index).get_name()
    except pdfium.PdfiumError:
        return None


def ranked(found: list[Candidate]) -> list[Candidate]:
    """Related before unrelated, known names before others; otherwise the PDF's order (the sort is stable)."""
    return sorted(found, key=lambda candidate: (not candidate.is_related, not candidate.has_known_name))


def first_invoice(document: pdfium.PdfDocument, found: list[Candidate],
                  limits: AttachmentLimits) -> EmbeddedXml | None:
    for candidate in found:
        data = attachment_data(document, candidate, limits)
        if data is not None and (candidate.is_claimed or is_e_invoice(data)):
            return EmbeddedXml(candidate.name, data, candidate.relationship)
    return None


def attachment_data(document: pdfium.PdfDocument, candidate: Candidate, limits: AttachmentLimits) -> bytes | None:
    """The attachment's decoded bytes; None when empty, unreadable or (unclaimed) too large."""
    attachment = document.get_attachment(candidate.index)
    size = decoded_size(attachment)
    if size > limits.max_bytes:
        if candidate.is_claimed:
            raise InvalidEInvoice(too_large(candidate.name, size, limits))
        return None
    if size == 0:
        return None
    try:
        return bytes(attachment.get_data())
    except pdfium.PdfiumError:
        return None


def decoded_size(attachment: pdfium.PdfAttachment) -> int:
    """The attachment's size once decompressed, asked of pdfium before Python holds any of it."""
    size = ctypes.c_ulong()
    pdfium_c.FPDFAttachment_GetFile(attachment.raw, None, 0, ctypes.byref(size))
    return size.value


def too_large(name: str, size: int, limits: AttachmentLimits) -> str:
    return (f"The PDF's e-invoice attachment {name} is {size:,} bytes uncompressed, more than the "
            f"{limits.max_bytes:,} bytes ({limits.max_bytes / 2**20:g} MB) an e-invoice may have, so it was not read. "
            "Ask the sender for the invoice without oversized attachments.")


def is_e_invoice(data: bytes) -> bool:
    """Whether ``data`` is XML whose root element is an e-invoice we read."""
    try:
        return local(parse_xml(data, "The attachment")) in E_INVOICE_ROOTS
    except InvalidEInvoice:
        return False
