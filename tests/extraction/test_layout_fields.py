"""extraction.learned.layout_fields: the shipped model reads invoices, receipts and expense claims it has never
seen (generated with seeds the training does not use), in English, German and Chinese, each field with its
evidence, box and confidence."""

from __future__ import annotations

import pytest

from extraction.layout import document_lines
from extraction.learned.layout_fields import MODEL_FILE, extract_layout_fields
from extraction.learned.scorer import load_scorer
from ledgerdesk.evaluation.metrics import normalise
from ledgerdesk.training.synthetic import synthetic_document
from tests.helpers import pdf_pages

KEY_FIELDS = {
    "invoice": ("invoice_number", "invoice_date", "total_amount", "tax_amount", "vendor_name"),
    "receipt": ("transaction_date", "total_amount", "merchant_name"),
    "expense_claim": ("employee_name", "total_amount"),
}
UNSEEN = [("invoice", "en", 90001), ("invoice", "en", 90002), ("invoice", "de", 90003), ("invoice", "zh", 90004),
          ("invoice", "zh", 90005), ("receipt", "en", 90006), ("receipt", "en", 90007), ("receipt", "zh", 90008),
          ("expense_claim", "en", 90009), ("expense_claim", "zh", 90010)]


def read(doc_type: str, language: str, seed: int):
    generated = synthetic_document(doc_type, seed, language)
    return generated, extract_layout_fields(document_lines(pdf_pages(generated.pdf)), doc_type)


def test_the_shipped_model_is_in_the_repository_and_loads_offline(no_network):
    assert MODEL_FILE.is_file() and MODEL_FILE.stat().st_size < 8 * 1024 * 1024
    model = load_scorer(MODEL_FILE)
    assert "total_amount" in model.spec.fields and model.info["trained_on"] > 0
    generated = synthetic_document("receipt", 90014, "en")
    assert extract_layout_fields(document_lines(pdf_pages(generated.pdf)), "receipt", model)


@pytest.mark.parametrize("doc_type, language, seed", UNSEEN, ids=[f"{t}-{lang}-{s}" for t, lang, s in UNSEEN])
def test_key_fields_of_unseen_documents(doc_type, language, seed):
    generated, fields = read(doc_type, language, seed)
    wanted = [name for name in KEY_FIELDS[doc_type] if name in generated.fields]
    got = {name: fields[name].value if name in fields else None for name in wanted}
    assert {name: normalise(name, str(v)) if v else None for name, v in got.items()} == {
        name: normalise(name, str(generated.fields[name])) for name in wanted}, generated.layout


def test_every_field_has_a_box_on_its_page_evidence_and_a_confidence():
    _, fields = read("invoice", "en", 90011)
    assert fields
    for name, found in fields.items():
        x0, y0, x1, y1 = found.bbox
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1, name
        assert found.page == 1 and found.evidence and 0 < found.confidence <= 1, name


def test_the_currency_comes_from_the_total_line():
    generated, fields = read("invoice", "de", 90012)
    assert fields["currency"].value == generated.fields["currency"]


def test_no_lines_and_types_without_a_layout_model_give_no_fields():
    assert extract_layout_fields([], "invoice") == {}
    generated = synthetic_document("invoice", 90013, "en")
    assert extract_layout_fields(document_lines(pdf_pages(generated.pdf)), "contract") == {}
