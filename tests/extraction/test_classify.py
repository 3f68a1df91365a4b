"""extraction.classify: the shipped learned classifier, offline, on generated documents in English and Chinese;
declared types, pages without text, and the evidence it gives."""

from __future__ import annotations

import pytest

from core.embeddings import DIMENSIONS, hashed_ngrams, shared_encoder
from extraction.classify import SHIPPED_MODEL, classify, shared_classifier
from extraction.learned.doc_classifier import load_classifier
from extraction.learned.doc_features import DocumentText, document_text, features, keyword_hits, layout, text_pieces
from extraction.model import PageText, Word
from ledgerdesk.training.page_cache import read_pages
from ledgerdesk.training.synthetic import synthetic_documents
from models.document import DOC_TYPES

TEST_SEED = 90210
"""Not the seed the shipped model was trained with: these documents are new to it."""


def test_the_shipped_model_loads_offline_and_is_small(no_network):
    assert SHIPPED_MODEL.is_file() and SHIPPED_MODEL.stat().st_size < 3_000_000
    model = load_classifier(SHIPPED_MODEL)
    assert model.doc_types == DOC_TYPES
    assert model.inputs == features([_document("Invoice 12")], shared_encoder()).shape[1]


def test_the_encoder_loads_without_network(no_network):
    from core.embeddings import TextEncoder

    assert TextEncoder().encode(["invoice"]).shape == (1, DIMENSIONS)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_generated_documents_of_every_type_are_recognised(doc_type, language):
    made = list(synthetic_documents(2, seed=TEST_SEED, doc_types=(doc_type,), languages=(language,)))
    assert made
    for document in made:
        found = classify(read_pages(document.pdf, None))
        assert found.doc_type == doc_type, (document.layout, found)
        assert 0.0 < found.confidence <= 1.0
        assert found.evidence.endswith(f"model p={found.confidence}")


def test_the_declared_type_wins():
    pages = [_page("TAX INVOICE", "Invoice No INV-7", "Total 120.00")]
    assert classify(pages, "contract").doc_type == "contract"
    assert classify(pages, "contract").evidence == "declared at upload"


def test_an_unknown_declared_type_is_ignored():
    invoice = _page("Northwind Ltd", "INVOICE", "Invoice No: INV-7", "Invoice Date: 2024-03-12",
                    "Due Date: 2024-04-11", "Bill To: Demo GmbH", "Subtotal 100.00", "VAT 20% 20.00",
                    "Total EUR 120.00", "Payment terms: 30 days net")
    assert classify([invoice], "poster").doc_type == "invoice"


@pytest.mark.parametrize("pages", [[], [PageText(1, 595, 842, "ocr", ())],
                                   [PageText(1, 595, 842, "pdf_text", (Word(" ", (0.1, 0.1, 0.2, 0.12)),))]])
def test_a_document_without_text_is_other_with_low_confidence(pages):
    found = classify(pages)
    assert (found.doc_type, found.evidence) == ("other", "no text on the pages")
    assert found.confidence < 0.5


def test_the_evidence_names_the_keywords_found():
    found = classify([_page("增值税专用发票", "购买方 名称 北京示例科技有限公司", "价税合计 ¥1,130.00", "税额 130.00")])
    assert found.doc_type == "invoice"
    assert "发票" in found.evidence and "增值税" in found.evidence


def test_keyword_hits_are_readable_and_most_frequent_first():
    assert keyword_hits("Statement\nOpening balance 10.00\nClosing balance 12.00\nBalance", "bank_statement")[:2] \
        == ["balance", "statement"]


def test_text_pieces_keep_the_head_and_a_spread_of_the_rest():
    pieces = text_pieces([f"line {i} " + "x" * 70 for i in range(100)])
    assert len(pieces) == 6 and pieces[0].startswith("line 0 ") and not pieces[-1].startswith("line 9")


def test_layout_sees_narrow_till_rolls_and_amounts():
    till = DocumentText(("CASH 10.00", "CHANGE 2.50"), pages=1, aspect=3.5, ocr_share=1.0)
    signals = dict(zip(("pages", "aspect", "narrow", "lines", "words", "words_per_line", "amount_share"),
                       layout(till)))
    assert signals["narrow"] == 1.0 and signals["amount_share"] == 0.5


def test_chinese_text_has_n_gram_features():
    assert hashed_ngrams("报销单", 2048).any() and not hashed_ngrams("", 2048).any()


def test_the_classifier_is_loaded_once_per_process():
    assert shared_classifier() is shared_classifier()


def test_document_text_reads_lines_and_page_shape():
    document = document_text([_page("Receipt", "Total 3.00", width=200, height=800)])
    assert document.lines == ("Receipt", "Total 3.00") and document.aspect == 4.0 and document.pages == 1


def _document(*lines: str) -> DocumentText:
    return DocumentText(lines, 1, 1.41, 0.0)


def _page(*lines: str, width: float = 595, height: float = 842) -> PageText:
    words = tuple(Word(text, (0.1 + 0.1 * column, 0.05 * (row + 1), 0.18 + 0.1 * column, 0.05 * (row + 1) + 0.02))
                  for row, line in enumerate(lines) for column, text in enumerate(line.split()))
    return PageText(1, width, height, "pdf_text", words)
