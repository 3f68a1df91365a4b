"""From a document's pages to an ExtractionResult: type, fields, issues. No database here.

Reading the pages (``extraction.reading``) is a separate step, so the caller can store each page image as it
is drawn and hold only one page's pixels at a time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from extraction.classify import classify_text
from extraction.invoice_fields import PRODUCER, extract_invoice_fields
from extraction.layout import document_lines
from extraction.model import ExtractedField, ExtractionResult, Issue, PageText
from extraction.validate import validate_invoice


@dataclass(frozen=True)
class DocumentInput:
    """What the pipeline needs to know about a document, apart from the ORM."""

    id: str
    company_id: str
    blob_key: str
    media_type: str
    declared_doc_type: str | None


def analyse(pages: list[PageText], document: DocumentInput, *, today: date) -> ExtractionResult:
    """Classify one document from its pages' words and extract its fields."""
    lines = document_lines(pages)
    classification = classify_text("\n".join(line.text for line in lines), document.declared_doc_type)
    result = ExtractionResult(classification.doc_type, classification.confidence, pages=pages, producer=PRODUCER)
    if not lines:
        result.issues.append(Issue("no_text", "warning", _no_text_message(document.media_type)))
        return result
    if classification.doc_type == "invoice":
        result.fields = with_page_sources(extract_invoice_fields(lines), pages)
        result.issues = validate_invoice({k: f.value for k, f in result.fields.items()}, today)
    else:
        result.issues.append(Issue("no_extractor", "info",
                                   f"fields of a {classification.doc_type} are entered by hand in this version"))
    return result


def with_page_sources(fields: dict[str, ExtractedField], pages: list[PageText]) -> dict[str, ExtractedField]:
    """Each field says where its words came from: the text layer or OCR of the page it was read on."""
    sources = {page.number: page.source for page in pages}
    return {name: replace(f, source=sources.get(f.page, f.source)) for name, f in fields.items()}


def _no_text_message(media_type: str) -> str:
    if media_type == "application/pdf" or media_type.startswith("image/"):
        return "no text was found on the pages (blank, or OCR is switched off); enter the fields by hand"
    return f"no text is read from {media_type} files in this version; enter the fields by hand"
