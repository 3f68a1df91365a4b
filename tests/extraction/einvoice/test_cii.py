"""The CII reader on invoices written by the tests for every Factur-X / ZUGFeRD 2.x profile and XRechnung CII."""

from dataclasses import replace
from decimal import Decimal

import pytest

from extraction.einvoice.cii import read_cii, read_zugferd1
from extraction.einvoice.profiles import profile_name
from extraction.einvoice.model import AllowanceCharge, InvoiceLine, NotAnEInvoice, TaxSubtotal, Totals
from extraction.einvoice.xmltree import InvalidEInvoice, parse_xml
from tests.extraction.einvoice.cii_builder import InvoiceSpec, Line, Tax, cii_xml, zugferd1_xml

SETTLEMENT = "CrossIndustryInvoice/SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement"
AGREEMENT = "CrossIndustryInvoice/SupplyChainTradeTransaction/ApplicableHeaderTradeAgreement"
SUMMATION = f"{SETTLEMENT}/SpecifiedTradeSettlementHeaderMonetarySummation"

FULL_VALUES = {
    "invoice_number": "RE-2024-0815", "invoice_date": "2024-05-28", "due_date": "2024-06-27", "currency": "EUR",
    "vendor_name": "Muster Lieferant GmbH", "vendor_tax_id": "DE123456789",
    "vendor_address": "Lieferweg 1, 10115 Berlin, DE", "vendor_iban": "DE02120300000000202051",
    "vendor_bic": "BYLADEM1001", "payment_reference": "RE-2024-0815", "payment_terms": "30 Tage netto",
    "customer_name": "Kunde AG", "customer_tax_id": "DE987654321", "po_number": "PO-4711",
    "subtotal": "80.00", "tax_amount": "12.80", "total_amount": "92.80", "amount_due": "92.80",
    "vendor_electronic_address": "EM:rechnung@lieferant.example",
    "customer_electronic_address": "0204:991-12345-67",
}
FULL_TOTALS = Totals(line_net=Decimal("75.00"), allowances=Decimal("5.00"), charges=Decimal("10.00"),
                     without_tax=Decimal("80.00"), tax=Decimal("12.80"), with_tax=Decimal("92.80"),
                     prepaid=Decimal("0.00"), due=Decimal("92.80"))


def read(xml: bytes):
    return read_cii(parse_xml(xml))


@pytest.mark.parametrize(("profile", "expected"), [
    ("MINIMUM", "Factur-X MINIMUM"), ("BASIC WL", "Factur-X BASIC WL"), ("BASIC", "Factur-X BASIC"),
    ("EN 16931", "EN 16931"), ("EXTENDED", "Factur-X EXTENDED"), ("XRECHNUNG", "XRechnung 3.0")])
def test_each_profile_is_named_as_people_know_it(profile, expected):
    invoice = read(cii_xml(profile=profile))

    assert (invoice.syntax, invoice.profile, invoice.is_credit_note) == ("CII", expected, False)


WITHOUT_BIC = {name: value for name, value in FULL_VALUES.items() if name != "vendor_bic"}
"""BASIC and BASIC WL have no BIC (BT-86)."""


@pytest.mark.parametrize("profile", ["EN 16931", "EXTENDED", "XRECHNUNG"])
def test_profiles_with_lines_state_every_field(profile):
    assert read(cii_xml(profile=profile)).values == FULL_VALUES


def test_basic_states_every_field_of_its_profile():
    assert read(cii_xml(profile="BASIC")).values == WITHOUT_BIC


def test_basic_wl_has_every_header_field_but_no_lines():
    invoice = read(cii_xml(profile="BASIC WL"))

    assert invoice.values == WITHOUT_BIC
    assert invoice.lines == ()
    assert len(invoice.tax_subtotals) == 2 and len(invoice.allowances_charges) == 2


def test_minimum_states_only_the_header_essentials():
    invoice = read(cii_xml(profile="MINIMUM"))

    assert invoice.values == {
        "invoice_number": "RE-2024-0815", "invoice_date": "2024-05-28", "currency": "EUR",
        "vendor_name": "Muster Lieferant GmbH", "vendor_tax_id": "DE123456789", "vendor_address": "DE",
        "customer_name": "Kunde AG", "po_number": "PO-4711", "subtotal": "80.00", "tax_amount": "12.80",
        "total_amount": "92.80", "amount_due": "92.80"}
    assert (invoice.lines, invoice.tax_subtotals, invoice.allowances_charges) == ((), (), ())
    assert invoice.totals == Totals(without_tax=Decimal("80.00"), tax=Decimal("12.80"),
                                    with_tax=Decimal("92.80"), due=Decimal("92.80"))


def test_evidence_is_the_path_of_local_names():
    evidence = read(cii_xml()).evidence

    assert evidence["total_amount"] == f"{SUMMATION}/GrandTotalAmount"
    assert evidence["tax_amount"] == f"{SUMMATION}/TaxTotalAmount"
    assert evidence["vendor_tax_id"] == f"{AGREEMENT}/SellerTradeParty/SpecifiedTaxRegistration/ID"
    assert evidence["vendor_iban"] == (f"{SETTLEMENT}/SpecifiedTradeSettlementPaymentMeans/"
                                       "PayeePartyCreditorFinancialAccount/IBANID")
    assert evidence["invoice_date"] == "CrossIndustryInvoice/ExchangedDocument/IssueDateTime/DateTimeString"
    assert evidence["due_date"] == f"{SETTLEMENT}/SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString"
    assert set(evidence) == set(FULL_VALUES)


def test_lines_with_a_price_per_base_quantity_give_the_price_of_one_unit():
    assert read(cii_xml()).lines == (
        InvoiceLine("Kopierpapier A4", Decimal("10"), "C62", Decimal("4.50"), Decimal("45.00"), "S", Decimal("19.00")),
        InvoiceLine("Schrauben M4", Decimal("200"), "H87", Decimal("0.05"), Decimal("10.00"), "S", Decimal("19.00")),
        InvoiceLine("Fachbuch", Decimal("1"), "C62", Decimal("20.00"), Decimal("20.00"), "S", Decimal("7.00")))


def test_sub_lines_are_left_to_the_line_they_detail():
    spec = replace(InvoiceSpec(), lines=(
        Line("Arbeitsplatz komplett", "1", "C62", "55.00", "55.00", line_id="01", status="GROUP"),
        Line("Kopierpapier A4", "10", "C62", "4.50", "45.00", line_id="01.1", parent_id="01", status="DETAIL"),
        Line("Schrauben M4", "200", "H87", "5.00", "10.00", basis_quantity="100", line_id="01.2", parent_id="01",
             status="DETAIL"),
        Line("Montagehinweis", "1", "C62", "0.00", "0.00", line_id="01.3", parent_id="01", status="INFORMATION"),
        Line("Fachbuch", "1", "C62", "20.00", "20.00", rate="7.00", line_id="02")))

    lines = read(cii_xml(spec, profile="EXTENDED")).lines

    assert [(line.description, line.amount) for line in lines] == [
        ("Arbeitsplatz komplett", Decimal("55.00")), ("Fachbuch", Decimal("20.00"))]


def test_vat_breakdown_allowances_charges_and_totals():
    invoice = read(cii_xml(profile="EXTENDED"))

    assert invoice.tax_subtotals == (TaxSubtotal("S", Decimal("19.00"), Decimal("60.00"), Decimal("11.40")),
                                     TaxSubtotal("S", Decimal("7.00"), Decimal("20.00"), Decimal("1.40")))
    assert invoice.allowances_charges == (
        AllowanceCharge(False, Decimal("5.00"), "Treuerabatt", "S", Decimal("19.00")),
        AllowanceCharge(True, Decimal("10.00"), "Versand", "S", Decimal("19.00")))
    assert invoice.totals == FULL_TOTALS


def test_rounding_is_read_into_the_totals():
    spec = replace(InvoiceSpec(), extra_totals={"RoundingAmount": "0.20"}, due_payable="93.00")

    assert read(cii_xml(spec)).totals == replace(FULL_TOTALS, rounding=Decimal("0.20"), due=Decimal("93.00"))


def test_any_prefixes_and_namespace_version_read_the_same():
    assert read(cii_xml(rsm="inv", ram="a", udt="t", version="999")).values == FULL_VALUES


def test_the_tax_total_in_the_invoice_currency_is_taken_over_the_one_in_the_vat_currency():
    invoice = read(cii_xml(replace(InvoiceSpec(), tax_currency_total=("PLN", "54.50"))))

    assert (invoice.values["tax_amount"], invoice.totals.tax) == ("12.80", Decimal("12.80"))


def test_a_single_vat_rate_is_the_invoice_tax_rate():
    spec = replace(InvoiceSpec(), lines=(Line("Beratung", "2", "HUR", "100.00", "200.00"),), adjustments=(),
                   taxes=(Tax("S", "19.00", "200.00", "38.00"),))

    invoice = read(cii_xml(spec))

    assert invoice.values["tax_rate"] == "19.00"
    assert invoice.evidence["tax_rate"] == f"{SETTLEMENT}/ApplicableTradeTax/RateApplicablePercent"


def test_the_vat_number_is_preferred_and_the_tax_number_stands_in_for_it():
    only_tax_number = replace(InvoiceSpec(), seller_tax_ids=(("FC", "201/113/40209"),))

    assert read(cii_xml(only_tax_number)).values["vendor_tax_id"] == "201/113/40209"


def test_white_space_runs_in_names_become_single_spaces():
    spec = replace(InvoiceSpec(), seller="Muster\n   Lieferant   GmbH")

    assert read(cii_xml(spec)).values["vendor_name"] == "Muster Lieferant GmbH"


@pytest.mark.parametrize("type_code", ["381", "261", "262", "296", "308", "532"])
def test_credit_note_kinds_are_credit_notes_with_amounts_as_stated(type_code):
    invoice = read(cii_xml(replace(InvoiceSpec(), type_code=type_code)))

    assert invoice.is_credit_note
    assert (invoice.values["total_amount"], invoice.totals.with_tax) == ("92.80", Decimal("92.80"))
    assert invoice.description == "CII (EN 16931) credit note"


@pytest.mark.parametrize("type_code", ["380", "384", "389"])
def test_invoices_and_corrected_invoices_are_not_credit_notes(type_code):
    assert not read(cii_xml(replace(InvoiceSpec(), type_code=type_code))).is_credit_note


def test_an_amount_that_is_no_number_is_refused():
    with pytest.raises(InvalidEInvoice, match="GrandTotalAmount is '92,80', which is not a number"):
        read(cii_xml(replace(InvoiceSpec(), grand_total="92,80")))


def test_a_date_that_is_no_date_is_refused():
    with pytest.raises(InvalidEInvoice, match="'20241328' is not a date"):
        read(cii_xml(replace(InvoiceSpec(), issued="20241328")))


def test_an_allowance_neither_true_nor_false_is_refused():
    xml = cii_xml().replace(b"<udt:Indicator>true</udt:Indicator>", b"<udt:Indicator>maybe</udt:Indicator>")

    with pytest.raises(InvalidEInvoice, match="ChargeIndicator 'maybe'"):
        read(xml)


def test_a_zugferd1_document_is_not_read_as_cii():
    with pytest.raises(NotAnEInvoice):
        read(zugferd1_xml())
    with pytest.raises(NotAnEInvoice):
        read_zugferd1(parse_xml(cii_xml()))


@pytest.mark.parametrize(("guideline", "expected"), [
    ("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0", "XRechnung 3.0"),
    ("urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung_2.3", "XRechnung 2.3"),
    ("urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p0:extended", "ZUGFeRD 2.0 EXTENDED"),
    ("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", "Peppol BIS Billing 3.0"),
    ("urn:ferd:CrossIndustryDocument:invoice:1p0:extended", "ZUGFeRD 1.0 EXTENDED"),
    ("urn:example:own-profile", "urn:example:own-profile"),
    (None, None)])
def test_profile_names(guideline, expected):
    assert profile_name(guideline) == expected
