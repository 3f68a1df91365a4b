"""extraction.pipeline: a field says where its words came from, the text layer or OCR of its page."""

from __future__ import annotations

from extraction.model import ExtractedField, PageText
from extraction.pipeline import with_page_sources


def field(page: int | None) -> ExtractedField:
    return ExtractedField("12.00", 0.9, page, (0.1, 0.1, 0.2, 0.12), "pdf_text", "Total 12.00")


def test_each_field_takes_the_source_of_the_page_it_was_read_on():
    pages = [PageText(1, 595, 842, "pdf_text", ()), PageText(2, 1654, 2339, "ocr", ())]
    sourced = with_page_sources({"subtotal": field(1), "total_amount": field(2), "currency": field(None)}, pages)
    assert {name: f.source for name, f in sourced.items()} == {
        "subtotal": "pdf_text", "total_amount": "ocr", "currency": "pdf_text"}
    assert sourced["total_amount"].value == "12.00" and sourced["total_amount"].bbox == (0.1, 0.1, 0.2, 0.12)
