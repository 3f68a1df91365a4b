"""The ZUGFeRD 1.0 reader on CrossIndustryDocuments written by the tests."""

from dataclasses import replace
from decimal import Decimal

import pytest

from extraction.einvoice.cii import read_zugferd1
from extraction.einvoice.model import AllowanceCharge, InvoiceLine, TaxSubtotal, Totals
from extraction.einvoice.xmltree import InvalidEInvoice, parse_xml
from tests.extraction.einvoice.cii_builder import InvoiceSpec, Line, Tax, zugferd1_xml

SUMMATION = ("CrossIndustryDocument/SpecifiedSupplyChainTradeTransaction/ApplicableSupplyChainTradeSettlement/"
             "SpecifiedTradeSettlementMonetarySummation")


def read(xml: bytes):
    return read_zugferd1(parse_xml(xml))


@pytest.mark.parametrize(("profile", "expected"), [
    ("BASIC", "ZUGFeRD 1.0 BASIC"), ("COMFORT", "ZUGFeRD 1.0 COMFORT"), ("EXTENDED", "ZUGFeRD 1.0 EXTENDED")])
def test_profiles(profile, expected):
    invoice = read(zugferd1_xml(profile=profile))

    assert (invoice.syntax, invoice.profile, invoice.is_credit_note) == ("ZUGFeRD 1.0", expected, False)


def test_fields_with_evidence():
    invoice = read(zugferd1_xml())

    assert invoice.values == {
        "invoice_number": "RE-2024-0815", "invoice_date": "2024-05-28", "due_date": "2024-06-27",
        "currency": "EUR", "vendor_name": "Muster Lieferant GmbH", "vendor_tax_id": "DE123456789",
        "vendor_address": "Lieferweg 1, 10115 Berlin, DE", "vendor_iban": "DE02120300000000202051",
        "vendor_bic": "BYLADEM1001", "payment_reference": "RE-2024-0815", "payment_terms": "30 Tage netto",
        "customer_name": "Kunde AG", "customer_tax_id": "DE987654321", "po_number": "PO-4711",
        "subtotal": "80.00", "tax_amount": "12.80", "total_amount": "92.80", "amount_due": "92.80"}
    assert invoice.evidence["total_amount"] == f"{SUMMATION}/GrandTotalAmount"
    assert invoice.evidence["po_number"] == ("CrossIndustryDocument/SpecifiedSupplyChainTradeTransaction/"
                                             "ApplicableSupplyChainTradeAgreement/BuyerOrderReferencedDocument/ID")


def test_lines_breakdown_allowances_and_totals():
    invoice = read(zugferd1_xml())

    assert invoice.lines == (
        InvoiceLine("Kopierpapier A4", Decimal("10"), "C62", Decimal("4.50"), Decimal("45.00"), "S", Decimal("19.00")),
        InvoiceLine("Schrauben M4", Decimal("200"), "H87", Decimal("0.05"), Decimal("10.00"), "S", Decimal("19.00")),
        InvoiceLine("Fachbuch", Decimal("1"), "C62", Decimal("20.00"), Decimal("20.00"), "S", Decimal("7.00")))
    assert invoice.tax_subtotals == (TaxSubtotal("S", Decimal("19.00"), Decimal("60.00"), Decimal("11.40")),
                                     TaxSubtotal("S", Decimal("7.00"), Decimal("20.00"), Decimal("1.40")))
    assert invoice.allowances_charges == (
        AllowanceCharge(False, Decimal("5.00"), "Treuerabatt", "S", Decimal("19.00")),
        AllowanceCharge(True, Decimal("10.00"), "Versand", "S", Decimal("19.00")))
    assert invoice.totals == Totals(line_net=Decimal("75.00"), allowances=Decimal("5.00"), charges=Decimal("10.00"),
                                    without_tax=Decimal("80.00"), tax=Decimal("12.80"), with_tax=Decimal("92.80"),
                                    prepaid=Decimal("0.00"), due=Decimal("92.80"))


def test_a_single_rate_is_read_from_applicable_percent():
    spec = replace(InvoiceSpec(), lines=(Line("Beratung", "2", "HUR", "100.00", "200.00", rate="7.00"),),
                   adjustments=(), taxes=(Tax("S", "7.00", "200.00", "14.00"),))

    invoice = read(zugferd1_xml(spec))

    assert invoice.values["tax_rate"] == "7.00"
    assert invoice.evidence["tax_rate"].endswith("ApplicableSupplyChainTradeSettlement/ApplicableTradeTax/"
                                                 "ApplicablePercent")


def test_a_credit_note():
    invoice = read(zugferd1_xml(replace(InvoiceSpec(), type_code="381")))

    assert invoice.is_credit_note and invoice.values["total_amount"] == "92.80"
    assert invoice.description == "ZUGFeRD 1.0 COMFORT credit note"


def test_an_amount_that_is_no_number_is_refused():
    with pytest.raises(InvalidEInvoice, match="not a number"):
        read(zugferd1_xml(replace(InvoiceSpec(), tax_basis_total="achtzig")))
