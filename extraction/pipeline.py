"""From a file's bytes to an ExtractionResult: text, type, fields, issues. No database here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from extraction.classify import classify_text
from extraction.invoice_fields import PRODUCER, extract_invoice_fields
from extraction.layout import document_lines
from extraction.model import ExtractionResult, Issue, PageText
from extraction.pdf_text import read_pdf_pages
from extraction.validate import validate_invoice


@dataclass(frozen=True)
class DocumentInput:
    """What the pipeline needs to know about a document, apart from the ORM."""

    id: str
    company_id: str
    blob_key: str
    media_type: str
    declared_doc_type: str | None


def extract(data: bytes, document: DocumentInput, *, max_pages: int, today: date) -> ExtractionResult:
    """Read, classify and extract one document. Raises ``UnreadableDocument`` for files that cannot be read."""
    pages = read_text(data, document.media_type, max_pages)
    lines = document_lines(pages)
    classification = classify_text("\n".join(line.text for line in lines), document.declared_doc_type)
    result = ExtractionResult(classification.doc_type, classification.confidence, pages=pages, producer=PRODUCER)
    if not lines:
        result.issues.append(Issue("no_text", "warning", _no_text_message(document.media_type)))
        return result
    if classification.doc_type == "invoice":
        result.fields = extract_invoice_fields(lines)
        result.issues = validate_invoice({k: f.value for k, f in result.fields.items()}, today)
    else:
        result.issues.append(Issue("no_extractor", "info",
                                   f"fields of a {classification.doc_type} are entered by hand in this version"))
    return result


def read_text(data: bytes, media_type: str, max_pages: int) -> list[PageText]:
    """Pages with words; only PDFs with a text layer give words in this version."""
    if media_type == "application/pdf":
        return read_pdf_pages(data, max_pages)
    return []


def _no_text_message(media_type: str) -> str:
    if media_type == "application/pdf":
        return "the PDF has no text layer (a scan); enter the fields by hand until OCR is enabled"
    return f"no text is read from {media_type} files in this version; enter the fields by hand"
