"""Per-vendor memory on real rendered pages: where a confirmed value is printed, and finding it again on the
vendor's next document."""

from __future__ import annotations

from extraction.layout import document_lines
from extraction.learned.candidates import candidates
from extraction.model import ExtractedField
from extraction.vendor_memory import (FieldMemory, learned_confidence, observe, recalled_fields, remembered)
from ledgerdesk.samples import SampleInvoice, render_invoice_pdf
from tests.helpers import pdf_pages

SOURCES = {1: "pdf_text"}


def read(invoice: SampleInvoice):
    lines = document_lines(pdf_pages(render_invoice_pdf(invoice)))
    return lines, candidates(lines)


def field(value, bbox=None) -> ExtractedField:
    return ExtractedField(value, 0.9, 1, bbox, "pdf_text", "the model")


def test_a_corrected_value_is_remembered_by_its_label_and_place():
    lines, found = read(SampleInvoice(references=(("Document ID:", "D-7781"),)))
    memory = observe("invoice_number", "D-7781", None, lines, found)
    assert (memory.kind, memory.value, memory.left, memory.page) == ("code", "D-7781", ("document", "id"), 1)
    assert FieldMemory.from_json("invoice_number", memory.as_json(), 1).left == ("document", "id")


def test_a_value_not_printed_and_the_vendors_own_fields_are_not_remembered():
    lines, found = read(SampleInvoice())
    assert observe("invoice_number", "NOT-ON-PAGE-1", None, lines, found) is None
    assert observe("vendor_name", "Northwind Office Supplies Ltd", None, lines, found) is None
    assert observe("currency", "EUR", None, lines, found).kind == "value"


def test_the_next_document_takes_the_remembered_field_with_evidence():
    lines, found = read(SampleInvoice(references=(("Document ID:", "D-7781"),)))
    memory = observe("invoice_number", "D-7781", None, lines, found)
    lines, found = read(SampleInvoice(invoice_number="INV-2024-0099", references=(("Document ID:", "D-7790"),)))
    recalled = recalled_fields({"invoice_number": field("INV-2024-0099")}, [memory], lines, found, SOURCES)
    learned = recalled["invoice_number"]
    assert (learned.value, learned.source, learned.page, learned.confidence) == ("D-7790", "pdf_text", 1, 0.8)
    assert learned.evidence == ("learned from 1 confirmed document of this vendor (the value printed after "
                                "'document id'); the model read 'INV-2024-0099'")


def test_confirmations_count_when_documents_agree_and_raise_the_confidence():
    memories = None
    for number in ("D-1", "D-2", "D-3"):
        lines, found = read(SampleInvoice(references=(("Document ID:", number),)))
        memories = remembered(memories, observe("invoice_number", number, None, lines, found))
    assert memories.confirmations == 3
    lines, found = read(SampleInvoice(references=(("Document ID:", "D-4"),)))
    learned = recalled_fields({}, [memories], lines, found, SOURCES)["invoice_number"]
    assert learned.value == "D-4" and learned.confidence == learned_confidence(3) > learned_confidence(1)
    assert learned.evidence.startswith("learned from 3 confirmed documents of this vendor")


def test_a_changed_layout_starts_the_count_again():
    lines, found = read(SampleInvoice(references=(("Document ID:", "D-1"),)))
    first = observe("invoice_number", "D-1", None, lines, found)
    lines, found = read(SampleInvoice(references=(("Beleg-Nr.:", "B-9"),)))
    assert remembered(first, observe("invoice_number", "B-9", None, lines, found)).confirmations == 1


def test_a_model_that_agrees_is_kept_and_more_confident():
    lines, found = read(SampleInvoice())
    total = str(SampleInvoice().total_amount)
    memory = remembered(None, observe("total_amount", total, None, lines, found))
    recalled = recalled_fields({"total_amount": field(total)}, [memory], lines, found, SOURCES)["total_amount"]
    assert recalled.value == total and recalled.source == "pdf_text"
    assert recalled.evidence == "the model; agrees with what was learned from 1 confirmed document of this vendor"


def test_nothing_like_the_remembered_label_leaves_the_field_alone():
    lines, found = read(SampleInvoice(references=(("Document ID:", "D-1"),)))
    memory = observe("invoice_number", "D-1", None, lines, found)
    lines, found = read(SampleInvoice())
    model = {"invoice_number": field("INV-2024-0042")}
    assert recalled_fields(model, [memory], lines, found, SOURCES) == model


def test_the_vendors_currency_fills_a_page_that_does_not_say():
    memory = FieldMemory("currency", "value", "EUR", confirmations=2)
    lines, found = read(SampleInvoice())
    recalled = recalled_fields({}, [memory], lines, found, SOURCES)["currency"]
    assert (recalled.value, recalled.source) == ("EUR", "rule")
    assert recalled.evidence == "not printed on the page; learned from 2 confirmed documents of this vendor"
    assert recalled_fields({"currency": field("USD")}, [memory], lines, found, SOURCES)["currency"].value == "USD"
