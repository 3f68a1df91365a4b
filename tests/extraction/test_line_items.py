"""extraction.learned.line_items: the shipped line model finds the items of invoices, receipts and expense claims
it has never seen (generated with seeds training does not use) in English, German and Chinese, each item with its
values, confidence, page, box and evidence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial

import numpy as np
import pypdfium2 as pdfium
import pytest

from extraction.layout import document_lines
from extraction.learned.line_items import MODEL_FILE, extract_line_items, item_groups
from extraction.learned.line_model import CONTINUATION, HEADER, OTHER, START, load_line_model, viterbi
from extraction.ocr.page import read_page
from extraction.pipeline import DocumentInput, analyse_pages
from extraction.reading import ReadLimits, read_document
from ledgerdesk.training.synthetic import synthetic_document
from tests.extraction.pictures import encoded
from tests.helpers import pdf_pages

UNSEEN = [("invoice", "en", 91001), ("invoice", "de", 91001), ("invoice", "zh", 91001), ("receipt", "en", 91010),
          ("receipt", "zh", 91001), ("expense_claim", "en", 91001), ("expense_claim", "zh", 91001)]
LIMITS = ReadLimits(max_pages=5, max_pixels=60_000_000)
COMPARED = {"invoice": ("description", "quantity", "unit_price", "amount"),
            "receipt": ("description", "quantity", "unit_price", "amount"),
            "expense_claim": ("date", "category", "description", "amount")}


def read(doc_type: str, language: str, seed: int):
    generated = synthetic_document(doc_type, seed, language)
    return generated, extract_line_items(document_lines(pdf_pages(generated.pdf)), doc_type)


def comparable(item: dict, doc_type: str) -> tuple:
    return tuple(Decimal(item[k]) if k in ("quantity", "unit_price", "amount") and item.get(k) else item.get(k)
                 for k in COMPARED[doc_type])


def test_the_shipped_model_is_in_the_repository_small_and_loads_offline(no_network):
    assert MODEL_FILE.is_file() and MODEL_FILE.stat().st_size < 512 * 1024
    model = load_line_model(MODEL_FILE)
    assert model.info["trained_on"] > 0 and model.temperature > 0
    generated = synthetic_document("receipt", 91002, "en")
    assert extract_line_items(document_lines(pdf_pages(generated.pdf)), "receipt", model)


@pytest.mark.parametrize("doc_type, language, seed", UNSEEN, ids=[f"{t}-{lang}-{s}" for t, lang, s in UNSEEN])
def test_the_items_of_unseen_documents(doc_type, language, seed):
    generated, items = read(doc_type, language, seed)
    assert [comparable(item, doc_type) for item in items] == [
        comparable(item, doc_type) for item in generated.line_items], generated.layout


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_wrapped_description_is_read_whole_from_both_its_lines(language):
    generated, items = read("invoice", language, 91001)
    wrapped = [item for item in items if " / " in item["evidence"]]
    assert wrapped, "the document has a description wrapping onto a second line"
    truth = {item["amount"]: item["description"] for item in generated.line_items}
    assert all(item["description"] == truth[item["amount"]] for item in wrapped)


def test_a_receipt_table_whose_descriptions_wrap_under_their_rows():
    generated, items = read("receipt", "en", 91010)
    assert "/table" in generated.layout
    assert [item["description"] for item in items] == [item["description"] for item in generated.line_items]


def test_every_item_has_its_page_box_evidence_and_a_confidence():
    _, items = read("invoice", "de", 91001)
    assert items
    for item in items:
        x0, y0, x1, y1 = item["bbox"]
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
        assert item["page"] == 1 and item["source"] == "pdf_text" and 0 < item["confidence"] <= 1
        assert item["amount"].replace(".", ",") in item["evidence"].replace(".", "")  # printed 1.184,85


def test_types_without_items_and_documents_without_lines_give_none():
    generated = synthetic_document("invoice", 91003, "en")
    assert extract_line_items(document_lines(pdf_pages(generated.pdf)), "contract") == []
    assert extract_line_items([], "invoice") == []


def test_item_groups_join_continuations_to_their_start_and_remember_the_header():
    labels = [OTHER, HEADER, START, CONTINUATION, START, OTHER, CONTINUATION, START]
    assert [(g.lines, g.header) for g in item_groups(labels)] == [((2, 3), 1), ((4,), 1), ((6,), 1), ((7,), 1)]


def test_viterbi_follows_the_transitions_when_a_line_alone_is_unsure():
    impossible = -50.0
    transitions = [[0.0, 0.0, 0.0, impossible], [0.0, impossible, 0.0, impossible], [0.0, 0.0, 0.0, 0.0],
                   [0.0, 0.0, 0.0, 0.0]]
    emissions = [[-0.1, -5, -5, -5], [-1.0, -5, -5, -0.9]]  # alone, the second line would be a continuation
    assert viterbi(np.array(emissions), np.array(transitions), np.zeros(4)) == [OTHER, OTHER]


def test_a_photographed_receipt_read_by_ocr_gives_its_items_with_ocr_as_their_source(ocr_engine):
    generated = synthetic_document("receipt", 8, "en")
    document = pdfium.PdfDocument(generated.pdf)
    picture = document[0].render(scale=200 / 72).to_pil()
    document.close()
    pages = [page.text for page in read_document(encoded(picture, "PNG"), "image/png", LIMITS,
                                                 partial(read_page, ocr_engine))]
    result = analyse_pages(pages, DocumentInput("r", "c", "", "image/png", None), date(2026, 1, 1))
    assert result.doc_type == "receipt"
    assert [(item["amount"], item["source"]) for item in result.line_items] == [
        (item["amount"], "ocr") for item in generated.line_items]
