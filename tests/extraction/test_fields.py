"""extraction.fields.normalize_correction: what a clerk types, in canonical form, or a 422 that says how."""

from __future__ import annotations

import pytest

from core.errors import InvalidRequest
from extraction.fields import FIELDS_BY_TYPE, INVOICE_FIELDS, fields_for, normalize_correction


@pytest.mark.parametrize(("name", "typed", "stored"), [
    ("total_amount", "1.234,56", "1234.56"),
    ("total_amount", "1,234.56", "1234.56"),
    ("total_amount", "EUR 119,00", "119.00"),
    ("total_amount", " 12 ", "12.00"),
    ("total_amount", 12.3, "12.30"),
    ("total_amount", 7, "7.00"),
    ("subtotal", "(5.00)", "-5.00"),
    ("tax_amount", "0.005", "0.01"),
    ("invoice_date", "12.03.2024", "2024-03-12"),
    ("invoice_date", "March 12, 2024", "2024-03-12"),
    ("due_date", "2024年4月11日", "2024-04-11"),
    ("due_date", " 2024-04-11 ", "2024-04-11"),
    ("currency", "eur", "EUR"),
    ("currency", " usd ", "USD"),
    ("invoice_number", "  INV-7  ", "INV-7"),
    ("vendor_name", "Müller GmbH", "Müller GmbH"),
    ("tax_rate", "19", "19"),
])
def test_corrections_are_stored_in_canonical_form(name, typed, stored):
    assert normalize_correction("invoice", name, typed) == stored


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_an_empty_correction_clears_the_field(empty):
    assert normalize_correction("invoice", "total_amount", empty) is None
    assert normalize_correction("invoice", "vendor_name", empty) is None


@pytest.mark.parametrize(("name", "typed", "hint"), [
    ("total_amount", "twelve", "write it like 1234.56"),
    ("invoice_date", "soon", "write it as YYYY-MM-DD"),
    ("invoice_date", "31.02.2024", "write it as YYYY-MM-DD"),
    ("currency", "EURO", "ISO 4217"),
    ("currency", "€", "ISO 4217"),
    ("currency", "E1R", "ISO 4217"),
])
def test_values_that_cannot_be_read_are_refused_with_a_hint(name, typed, hint):
    with pytest.raises(InvalidRequest) as raised:
        normalize_correction("invoice", name, typed)
    assert raised.value.status_code == 422
    assert raised.value.detail.startswith(f"{name}: {typed!r}")
    assert hint in raised.value.detail


def test_an_unknown_field_is_refused_with_the_list_of_fields():
    with pytest.raises(InvalidRequest) as raised:
        normalize_correction("invoice", "colour", "red")
    assert "'colour' is not a field of a invoice" in raised.value.detail
    assert "invoice_number" in raised.value.detail and "total_amount" in raised.value.detail


def test_fields_follow_the_document_type():
    assert normalize_correction("receipt", "tip", "2,50") == "2.50"
    assert normalize_correction("receipt", "transaction_date", "01.02.2024") == "2024-02-01"
    assert normalize_correction("contract", "total_value", "10.000,00") == "10000.00"
    assert normalize_correction("expense_claim", "period_start", "1 Feb 2024") == "2024-02-01"
    with pytest.raises(InvalidRequest, match="not a field of a receipt"):
        normalize_correction("receipt", "invoice_number", "INV-1")


@pytest.mark.parametrize("doc_type", [None, "other", "bank_statement"])
def test_types_without_their_own_fields_use_the_invoice_fields(doc_type):
    assert fields_for(doc_type) == INVOICE_FIELDS
    assert normalize_correction(doc_type, "total_amount", "1,00") == "1.00"


def test_every_document_type_has_a_currency_field():
    assert all("currency" in names for names in FIELDS_BY_TYPE.values())


def test_a_list_field_keeps_its_list():
    assert normalize_correction("contract", "parties", ["Acme Ltd", "Globex AG"]) == ["Acme Ltd", "Globex AG"]
