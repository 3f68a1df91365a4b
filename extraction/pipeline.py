"""From a document's pages to an ExtractionResult: type, fields, issues. No database here.

Reading the pages (``extraction.reading``) is a separate step, so the caller can store each page image as it
is drawn and hold only one page's pixels at a time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from extraction.classify import classify
from extraction.einvoice.checks import check_einvoice
from extraction.einvoice.compare import compared_with_page
from extraction.einvoice.fields import einvoice_fields, einvoice_line_items
from extraction.einvoice.model import EInvoice, StructuredInvoice
from extraction.invoice_fields import PRODUCER, extract_invoice_fields
from extraction.layout import document_lines
from extraction.learned.category import receipt_category
from extraction.learned.contracts import PRODUCER as CONTRACT_PRODUCER
from extraction.learned.contracts import extract_contract_fields
from extraction.learned.layout_fields import DOC_TYPES as LAYOUT_TYPES
from extraction.learned.layout_fields import PRODUCER as LAYOUT_PRODUCER
from extraction.learned.layout_fields import extract_layout_fields, printed_checks
from extraction.learned.line_items import extract_line_items
from extraction.model import ExtractedField, ExtractionResult, Issue, Line, PageText
from extraction.validate import check_dates, item_values, validate

PRINTED_SOURCES = ("pdf_text", "ocr")
"""Pages whose words were printed for a person (a PDF's text layer, or read from pixels): an e-invoice's XML is
compared with what they show."""


@dataclass(frozen=True)
class DocumentInput:
    """What the pipeline needs to know about a document, apart from the ORM."""

    id: str
    company_id: str
    blob_key: str
    media_type: str
    declared_doc_type: str | None


def analyse(pages: list[PageText], document: DocumentInput, *, today: date,
            structured: StructuredInvoice = StructuredInvoice()) -> ExtractionResult:
    """Classify one document and extract its fields: exactly from the e-invoice it carries, if any, otherwise
    from its pages' words."""
    if structured.einvoice is not None:
        return analyse_einvoice(structured.einvoice, pages, today)
    result = analyse_pages(pages, document, today)
    if structured.problem:
        result.issues.append(Issue("einvoice_unreadable", "warning", "The PDF carries an e-invoice that could not be "
                                   f"read, so its fields were read from the page: {structured.problem}"))
    return result


def analyse_einvoice(einvoice: EInvoice, pages: list[PageText], today: date) -> ExtractionResult:
    """The e-invoice's own fields, checked (sums, required fields, dates) and compared with its printed pages."""
    fields = einvoice_fields(einvoice)
    printed = [page for page in pages if page.source in PRINTED_SOURCES]
    mismatches: list[Issue] = []
    if lines := document_lines(printed):
        page_fields = with_page_sources(extract_invoice_fields(lines), printed)
        fields, mismatches = compared_with_page(fields, page_fields, "\n".join(line.text for line in lines))
    issues = [*check_einvoice(einvoice), *check_dates(einvoice.values, today), *mismatches]
    return ExtractionResult("invoice", 1.0, fields, einvoice_line_items(einvoice), issues, pages,
                            producer=f"einvoice:{einvoice.syntax}")


def analyse_pages(pages: list[PageText], document: DocumentInput, today: date) -> ExtractionResult:
    """Classify one document from its pages' words and extract its fields."""
    lines = document_lines(pages)
    classification = classify(pages, document.declared_doc_type)
    result = ExtractionResult(classification.doc_type, classification.confidence, pages=pages, producer=PRODUCER)
    if not lines:
        result.issues.append(Issue("no_text", "warning", _no_text_message(document.media_type)))
        return result
    if classification.doc_type in LAYOUT_TYPES:
        result.fields = with_page_sources(_layout_fields(lines, classification.doc_type), pages)
        result.line_items = page_line_items(lines, classification.doc_type, result.fields, pages)
        result.producer = LAYOUT_PRODUCER
    elif classification.doc_type == "contract":
        result.fields = with_page_sources(extract_contract_fields(lines), pages)
        result.producer = CONTRACT_PRODUCER
    else:
        result.issues.append(Issue("no_extractor", "info",
                                   f"fields of a {classification.doc_type} are entered by hand in this version"))
    values = {k: f.value for k, f in result.fields.items()} | printed_checks(lines)
    result.issues += validate(classification.doc_type, values | item_values(result.doc_type, result.line_items), today)
    return result


def _layout_fields(lines: list[Line], doc_type: str) -> dict[str, ExtractedField]:
    fields = extract_layout_fields(lines, doc_type)
    return fields | receipt_category(lines) if doc_type == "receipt" else fields


def page_line_items(lines: list[Line], doc_type: str, fields: dict[str, ExtractedField],
                    pages: list[PageText]) -> list[dict[str, Any]]:
    """The items read from the pages, each with the source of its page; a claim's items printed without a currency
    are in the claim's."""
    currency = fields["currency"].value if "currency" in fields else None
    return extract_line_items(lines, doc_type, sources={page.number: page.source for page in pages},
                              currency=currency)


def with_page_sources(fields: dict[str, ExtractedField], pages: list[PageText]) -> dict[str, ExtractedField]:
    """Each field says where its words came from: the text layer or OCR of the page it was read on."""
    sources = {page.number: page.source for page in pages}
    return {name: replace(f, source=sources.get(f.page, f.source)) for name, f in fields.items()}


def _no_text_message(media_type: str) -> str:
    if media_type == "application/pdf" or media_type.startswith("image/"):
        return "no text was found on the pages (blank, or OCR is switched off); enter the fields by hand"
    return f"no text is read from {media_type} files in this version; enter the fields by hand"
