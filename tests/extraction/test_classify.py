"""extraction.classify: a keyword vote over the page text that says which keywords decided."""

from __future__ import annotations

import pytest

from extraction.classify import DOC_TYPES, classify_text

TEXTS = {
    "invoice": "Northwind Ltd\nINVOICE\nInvoice No: INV-1\nInvoice Date: 2024-03-12\nDue Date: 2024-04-11\n"
               "Bill To: Demo GmbH\nTotal EUR 299.29\nPayment terms: 30 days net.",
    "receipt": "CAFE ROMA\nReceipt #0042\nCashier: Anna\nCappuccino 3.20\nCash 5.00\nChange 1.80\nThank you!",
    "contract": "SERVICE AGREEMENT\nThis agreement is made between the parties, hereinafter the Client and the "
                "Supplier.\nWhereas the Client wishes to engage the Supplier for a term of 12 months ...",
    "expense_claim": "Expense claim\nEmployee: Jane Doe\nPurpose: customer visit\nReimbursement requested: 84.20 EUR",
    "bank_statement": "Account statement 3/2024\nAccount number DE89 3704 0044 0532 0130 00\n"
                      "Opening balance 1,000.00\nClosing balance 1,250.00",
}


@pytest.mark.parametrize("doc_type", sorted(TEXTS))
def test_classify_text_finds_the_type_from_its_keywords(doc_type):
    found = classify_text(TEXTS[doc_type])
    assert found.doc_type == doc_type
    assert 0.5 < found.confidence <= 0.95
    assert found.evidence.startswith("keywords: ")


@pytest.mark.parametrize(("text", "doc_type"), [
    ("RECHNUNG\nRechnungsnummer RE-1", "invoice"),
    ("FACTURE n° 2024-17", "invoice"),
    ("增值税专用发票 发票号码 12345678", "invoice"),
    ("报销单 差旅费", "expense_claim"),
    ("收据 现金", "receipt"),
    ("采购合同 甲方 乙方", "contract"),
])
def test_classify_text_knows_german_french_and_chinese_keywords(text, doc_type):
    assert classify_text(text).doc_type == doc_type


def test_classify_text_is_case_insensitive():
    assert classify_text("TAX INVOICE / BILL TO").doc_type == "invoice"


def test_classify_text_without_keywords_is_other_with_low_confidence():
    found = classify_text("Lorem ipsum dolor sit amet, 12 34 56")
    assert found.doc_type == "other"
    assert found.confidence == 0.3
    assert found.evidence == "no type keywords found"


def test_classify_text_of_an_empty_page_is_other():
    assert classify_text("").doc_type == "other"


def test_a_declared_type_wins_over_the_keywords():
    found = classify_text(TEXTS["invoice"], declared="receipt")
    assert (found.doc_type, found.confidence, found.evidence) == ("receipt", 1.0, "declared at upload")


@pytest.mark.parametrize("declared", [None, "", "spreadsheet", "INVOICE"])
def test_an_unknown_declared_type_is_ignored(declared):
    assert classify_text(TEXTS["contract"], declared=declared).doc_type == "contract"


def test_more_keywords_give_more_confidence():
    one = classify_text("invoice")
    many = classify_text(TEXTS["invoice"])
    assert one.doc_type == many.doc_type == "invoice"
    assert one.confidence < many.confidence


def test_competing_keywords_lower_the_confidence():
    pure = classify_text("Invoice\nInvoice No: 1\nDue Date: 2024-04-11")
    mixed = classify_text("Invoice\nInvoice No: 1\nDue Date: 2024-04-11\nReceipt\nCashier\nThank you")
    assert pure.doc_type == "invoice"
    assert mixed.confidence < pure.confidence


def test_the_confidence_never_exceeds_the_cap():
    assert classify_text(TEXTS["invoice"] * 10 + " rechnung facture 发票 tax invoice").confidence <= 0.95


def test_classification_types_are_the_documented_ones():
    assert DOC_TYPES == ("invoice", "receipt", "contract", "expense_claim", "bank_statement", "other")
    assert {classify_text(text).doc_type for text in TEXTS.values()} <= set(DOC_TYPES)


def test_the_evidence_names_the_keywords_that_decided():
    evidence = classify_text("Invoice\nDue date: 2024-04-11").evidence
    assert "invoice" in evidence
    assert "due date" in evidence


def test_the_evidence_shows_keywords_as_people_read_them():
    evidence = classify_text("Bill to: Demo GmbH\nInvoice").evidence
    assert "bill to" in evidence.split(": ", 1)[1].split(", ")
