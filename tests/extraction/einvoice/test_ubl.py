"""UBL 2.1 invoices and credit notes (Peppol BIS 3.0, XRechnung UBL) read exactly, by local names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extraction.einvoice.checks import check_einvoice
from extraction.einvoice.fields import einvoice_fields, einvoice_line_items
from extraction.einvoice.model import AllowanceCharge, InvoiceLine, TaxSubtotal, Totals
from extraction.einvoice.ubl import read_ubl
from extraction.einvoice.xmltree import InvalidEInvoice, parse_xml
from tests.einvoice_fixtures import XRECHNUNG, line, ubl_invoice


def read(data: bytes):
    return read_ubl(parse_xml(data))


def test_a_peppol_invoice_gives_every_field_exactly_as_written():
    invoice = read(ubl_invoice())
    assert invoice.syntax == "UBL" and invoice.profile == "Peppol BIS Billing 3.0" and not invoice.is_credit_note
    assert invoice.values == {
        "invoice_number": "INV-2026-0042", "invoice_date": "2026-11-20", "due_date": "2026-12-20",
        "currency": "EUR", "vendor_name": "Müller Bürobedarf GmbH", "customer_name": "ACME Shared Services B.V.",
        "po_number": "PO-7781", "vendor_iban": "DE89370400440532013000", "vendor_bic": "COBADEFFXXX",
        "payment_reference": "RF18 5390 0754 7034", "payment_terms": "30 days net", "subtotal": "1150.00",
        "total_amount": "1344.50", "amount_due": "1264.50", "tax_amount": "194.50",
        "vendor_tax_id": "DE123456789", "customer_tax_id": "NL999999999B01",
        "vendor_electronic_address": "0088:4000001123452", "customer_electronic_address": "0088:4000001987658",
        "vendor_address": "Hauptstraße 5, 10115 Berlin, DE",
    }
    assert invoice.evidence["vendor_name"] == "Invoice/AccountingSupplierParty/Party/PartyLegalEntity/RegistrationName"


def test_lines_vat_breakdown_allowances_charges_and_totals():
    invoice = read(ubl_invoice())
    assert invoice.lines == (
        InvoiceLine("Office chairs", Decimal("4"), "H87", Decimal("250.00"), Decimal("1000.00"), "S", Decimal("19")),
        InvoiceLine("Printer paper", Decimal("40"), "H87", Decimal("5.00"), Decimal("200.00"), "S", Decimal("7")),
    )
    assert invoice.tax_subtotals == (TaxSubtotal("S", Decimal("19"), Decimal("950.00"), Decimal("180.50")),
                                     TaxSubtotal("S", Decimal("7"), Decimal("200.00"), Decimal("14.00")))
    assert invoice.allowances_charges == (
        AllowanceCharge(False, Decimal("100.00"), "Loyalty discount", "S", Decimal("19")),
        AllowanceCharge(True, Decimal("50.00"), "Freight", "S", Decimal("19")))
    assert invoice.totals == Totals(Decimal("1200.00"), Decimal("100.00"), Decimal("50.00"), Decimal("1150.00"),
                                    Decimal("194.50"), Decimal("1344.50"), Decimal("80.00"), None, Decimal("1264.50"))
    assert check_einvoice(invoice) == []


def test_namespace_prefixes_are_read_from_the_document():
    assert read(ubl_invoice(prefix="basic")).values == read(ubl_invoice()).values


def test_xrechnung_ubl_is_named_with_its_version():
    assert read(ubl_invoice(customization=XRECHNUNG)).profile == "XRechnung 3.0"


def test_a_credit_note_is_a_negative_document():
    note = read(ubl_invoice("CreditNote", lines=[line("CreditNote", 1, "Returned chairs", "4", "250.00", "1000.00", "19"),
                                                 line("CreditNote", 2, "Paper", "40", "5.00", "200.00", "7")]))
    assert note.is_credit_note and note.description == "UBL (Peppol BIS Billing 3.0) credit note"
    fields = einvoice_fields(note)
    assert fields["total_amount"].value == "-1344.50" and fields["tax_amount"].value == "-194.50"
    assert fields["document_kind"].value == "credit_note"
    assert "negative: a credit note" in fields["total_amount"].evidence
    assert [item["amount"] for item in einvoice_line_items(note)] == ["-1000.00", "-200.00"]
    assert check_einvoice(note) == []


def test_line_items_are_in_the_one_canonical_shape_of_every_reader():
    invoice = read(ubl_invoice(lines=[line("Invoice", 1, "Office chairs", "4.000", "250.0000", "1000.00", "19.00")]))
    assert einvoice_line_items(invoice) == [{
        "description": "Office chairs", "quantity": "4", "unit": "H87", "unit_price": "250.00", "amount": "1000.00",
        "tax_rate": "19", "tax_amount": None, "confidence": 1.0, "page": None, "bbox": None, "source": "einvoice",
        "evidence": "UBL (Peppol BIS Billing 3.0) invoice: line 1"}]


def test_fields_are_exact_with_confidence_one_and_their_place_in_the_xml():
    fields = einvoice_fields(read(ubl_invoice()))
    total = fields["total_amount"]
    assert (total.value, total.confidence, total.source) == ("1344.50", 1.0, "einvoice")
    assert total.evidence == "UBL (Peppol BIS Billing 3.0) invoice: Invoice/LegalMonetaryTotal/TaxInclusiveAmount"
    assert fields["vat_breakdown"].value == [
        {"category": "S", "rate": "19", "taxable_amount": "950.00", "tax_amount": "180.50"},
        {"category": "S", "rate": "7", "taxable_amount": "200.00", "tax_amount": "14.00"}]
    assert fields["allowances_charges"].value[1] == {"kind": "charge", "amount": "50.00", "reason": "Freight",
                                                     "tax_category": "S", "tax_rate": "19"}


@pytest.mark.parametrize("change, rule, numbers", [
    ({"LineExtensionAmount": "1250.00", "TaxExclusiveAmount": "1200.00"}, "BR-CO-10", "1000.00 + 200.00 = 1200.00"),
    ({"AllowanceTotalAmount": "90.00"}, "BR-CO-11", "stated as 90.00"),
    ({"TaxExclusiveAmount": "1160.00"}, "BR-CO-13", "= 1150.00"),
    ({"TaxInclusiveAmount": "1345.50"}, "BR-CO-15", "total without VAT 1150.00 + VAT 194.50 = 1344.50"),
    ({"PayableAmount": "1344.50"}, "BR-CO-16", "= 1264.50"),
])
def test_sums_that_do_not_add_up_name_the_rule_and_the_numbers(change, rule, numbers):
    issues = check_einvoice(read(ubl_invoice(totals=change)))
    assert rule in {issue.rule for issue in issues}
    broken = next(issue for issue in issues if issue.rule == rule)
    assert broken.severity == "error" and numbers in broken.message and broken.message.startswith(rule)


def test_a_vat_total_unlike_its_breakdown_breaks_br_co_14():
    issues = check_einvoice(read(ubl_invoice(tax_total="195.50", totals={"TaxInclusiveAmount": "1345.50",
                                                                          "PayableAmount": "1265.50"})))
    assert [issue.rule for issue in issues] == ["BR-CO-14"]
    assert "180.50 + 14.00 = 194.50" in issues[0].message


def test_an_incomplete_invoice_says_what_it_lacks():
    invoice = read(ubl_invoice(number=""))
    assert [(i.rule, i.severity) for i in check_einvoice(invoice)] == [("BR-02", "warning")]


def test_an_amount_that_is_no_number_is_a_readable_error():
    with pytest.raises(InvalidEInvoice, match="LegalMonetaryTotal/PayableAmount is 'twelve'"):
        read(ubl_invoice(totals={"PayableAmount": "twelve"}))
