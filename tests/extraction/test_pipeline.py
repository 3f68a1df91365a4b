"""extraction.pipeline: a field says where its words came from, the text layer or OCR of its page; the items read
from the pages are kept and their sums checked."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from decimal import Decimal

from extraction.model import ExtractedField, PageText
from extraction.pipeline import DocumentInput, analyse_pages, with_page_sources
from ledgerdesk.training import synthetic_values
from ledgerdesk.training.synthetic_claims import draw_claim
from ledgerdesk.training.synthetic_invoices import draw_invoice
from tests.helpers import pdf_pages

TODAY = date(2026, 1, 1)


def field(page: int | None) -> ExtractedField:
    return ExtractedField("12.00", 0.9, page, (0.1, 0.1, 0.2, 0.12), "pdf_text", "Total 12.00")


def test_each_field_takes_the_source_of_the_page_it_was_read_on():
    pages = [PageText(1, 595, 842, "pdf_text", ()), PageText(2, 1654, 2339, "ocr", ())]
    sourced = with_page_sources({"subtotal": field(1), "total_amount": field(2), "currency": field(None)}, pages)
    assert {name: f.source for name, f in sourced.items()} == {
        "subtotal": "pdf_text", "total_amount": "ocr", "currency": "pdf_text"}
    assert sourced["total_amount"].value == "12.00" and sourced["total_amount"].bbox == (0.1, 0.1, 0.2, 0.12)


def analysed(pdf: bytes):
    return analyse_pages(pdf_pages(pdf), DocumentInput("d", "c", "", "application/pdf", None), TODAY)


def test_the_pipeline_stores_a_claims_items_in_its_currency_and_checks_they_add_up_to_the_total():
    rng = random.Random("claim:sum")
    claim = synthetic_values.claim_values(rng, "en")
    fine = analysed(draw_claim(random.Random(1), claim)[0])
    assert fine.doc_type == "expense_claim" and len(fine.line_items) == len(claim.items)
    assert {item["currency"] for item in fine.line_items} == {claim.currency}
    assert "items_sum" not in {issue.rule for issue in fine.issues}
    wrong = analysed(draw_claim(random.Random(1), replace(claim, total=claim.total + Decimal("10.00")))[0])
    assert "items_sum" in {issue.rule for issue in wrong.issues}


def test_the_pipeline_checks_an_invoices_line_items_against_its_subtotal():
    invoice = synthetic_values.invoice_values(random.Random("invoice:sum"), "uk")
    fine = analysed(draw_invoice(random.Random(2), invoice, "en")[0])
    assert fine.doc_type == "invoice" and len(fine.line_items) == len(invoice.items)
    assert "line_items_sum" not in {issue.rule for issue in fine.issues}
    more = Decimal("25.00")
    off = replace(invoice, subtotal=invoice.subtotal + more, total=invoice.total + more)
    assert "line_items_sum" in {issue.rule for issue in analysed(draw_invoice(random.Random(2), off, "en")[0]).issues}
