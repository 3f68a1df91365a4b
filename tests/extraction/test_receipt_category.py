"""extraction.learned.category: a receipt's spending category from what its lines say, in English, Malay and
Chinese, with the lines that decided as evidence; none when nothing resembles a category."""

from __future__ import annotations

from datetime import date

import pytest

from extraction.learned.category import CATEGORIES, MAX_CONFIDENCE, phrase_overlaps, receipt_category
from extraction.model import Line, Word
from extraction.pipeline import DocumentInput, analyse_pages
from ledgerdesk.training.synthetic import synthetic_document
from tests.helpers import pdf_pages

RECEIPTS = [
    ("hardware", ["KEDAI PERKAKAS MAJU HARDWARE", "NO 12 JALAN KAPAR, KLANG", "PAINT BRUSH 2IN 1 3.50",
                  "STEEL NAIL 3IN 2 4.00", "TOTAL 7.50"]),
    ("meals", ["RESTORAN SRI MELATI", "Teh Ais 2 4.40", "Nasi Goreng Ayam 1 7.00", "Total 11.40"]),
    ("lodging", ["Riverside Hotel Frankfurt", "Room 1204, 2 nights", "Total EUR 340.00"]),
    ("local_transport", ["CITY CENTRE PARKING GARAGE", "Entry 08:12 Exit 17:40", "Fee 24.00"]),
    ("fuel", ["中国石化加油站", "92#汽油 45.20升", "金额 ¥350.00"]),
    ("lodging", ["如家酒店", "房费 2晚 398.00"]),
]


def lines_of(texts: list[str]) -> list[Line]:
    return [Line(1, tuple(Word(word, (0.1 + 0.05 * i, 0.03 * row, 0.14 + 0.05 * i, 0.03 * row + 0.02))
                          for i, word in enumerate(text.split())))
            for row, text in enumerate(texts)]


@pytest.mark.parametrize("expected, texts", RECEIPTS, ids=[f"{c}-{t[0]}" for c, t in RECEIPTS])
def test_a_receipt_gets_the_category_its_lines_describe(expected, texts):
    found = receipt_category(lines_of(texts))["category"]
    assert found.value == expected
    assert 0.3 < found.confidence <= MAX_CONFIDENCE
    assert found.evidence.startswith(f"resembles {expected}: ") and found.page == 1 and found.bbox


def test_lines_that_resemble_no_category_give_none():
    assert receipt_category(lines_of(["12/04/2018 10:22", "No. 1234", "Total 12.00"])) == {}
    assert receipt_category([]) == {}


def test_a_chinese_phrase_of_a_category_counts_in_full_when_the_line_holds_it():
    overlaps = phrase_overlaps(["中国石化加油站", "TOTAL 12.00"])
    fuel = list(CATEGORIES).index("fuel")
    assert overlaps[0, fuel] == 1.0 and overlaps[1].max() == 0.0


def test_the_pipeline_gives_a_generated_receipt_a_category_and_an_invoice_none():
    document = DocumentInput("d", "c", "k", "application/pdf", None)
    receipt = analyse_pages(pdf_pages(synthetic_document("receipt", 90021, "en").pdf), document, date(2026, 1, 1))
    invoice = analyse_pages(pdf_pages(synthetic_document("invoice", 90022, "en").pdf), document, date(2026, 1, 1))
    assert receipt.doc_type == "receipt" and receipt.fields["category"].value in CATEGORIES
    assert invoice.doc_type == "invoice" and "category" not in invoice.fields
