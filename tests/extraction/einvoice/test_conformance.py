"""Beyond the sums: an e-invoice that breaks its schema, the rules of the specification it claims (XRechnung,
Peppol BIS), the decimals of EN 16931, its own line arithmetic or the PDF/A it must come in is read all the same,
and sent to a person with the rule and what is wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extraction.einvoice.checks import check_einvoice, is_sum_rule
from extraction.einvoice.model import EInvoice, InvoiceLine, Totals
from extraction.einvoice.pdfa import pdfa_issues
from extraction.einvoice.reader import read_einvoice, read_xml_einvoice
from tests.einvoice_fixtures import XRECHNUNG, factur_x_xmp, line, pdf_with_einvoice, ubl_invoice
from tests.extraction.einvoice.cii_builder import cii_xml, zugferd1_xml


def rules(einvoice: EInvoice) -> list[str]:
    return [issue.rule for issue in check_einvoice(einvoice)]


@pytest.mark.parametrize("xml", [ubl_invoice(), ubl_invoice("CreditNote"), cii_xml(profile="MINIMUM"),
                                 cii_xml(profile="BASIC WL"), cii_xml(profile="BASIC"), cii_xml(profile="EN 16931"),
                                 cii_xml(profile="EXTENDED"), cii_xml(profile="XRECHNUNG"), zugferd1_xml()],
                         ids=["ubl", "ubl-credit-note", "minimum", "basic-wl", "basic", "en16931", "extended",
                              "xrechnung", "zugferd1"])
def test_a_conformant_invoice_breaks_no_rule(xml):
    assert rules(read_xml_einvoice(xml)) == []


def test_an_element_out_of_its_place_breaks_the_ubl_schema_and_says_where():
    xml = ubl_invoice().replace(b"<cbc:IssueDate>2026-11-20</cbc:IssueDate>", b"").replace(
        b"<cbc:DocumentCurrencyCode>", b"<cbc:IssueDate>2026-11-20</cbc:IssueDate><cbc:DocumentCurrencyCode>")
    einvoice = read_xml_einvoice(xml)

    [issue] = einvoice.violations
    assert (issue.rule, issue.severity) == ("schema", "warning")
    assert "UBL-Invoice-2.1.xsd" in issue.message and "Element 'DueDate': This element is not expected" in issue.message
    assert "{urn:" not in issue.message and "line " in issue.message
    assert einvoice.values["invoice_date"] == "2026-11-20"  # still read


def test_lines_in_a_minimum_invoice_break_its_profile_schema():
    """MINIMUM is a restriction: lines belong to BASIC and above."""
    minimum = cii_xml(profile="MINIMUM")
    with_lines = cii_xml(profile="BASIC").replace(b"factur-x.eu:1p0:basic", b"factur-x.eu:1p0:minimum")
    assert b"factur-x.eu:1p0:minimum" in minimum and b"IncludedSupplyChainTradeLineItem" in with_lines

    [issue] = read_xml_einvoice(with_lines).violations
    assert issue.rule == "schema" and "Factur-X_MINIMUM.xsd" in issue.message


def test_an_xrechnung_without_the_seller_contact_and_leitweg_id_is_named_by_rule():
    einvoice = read_xml_einvoice(ubl_invoice(customization=XRECHNUNG))

    assert [issue.rule for issue in einvoice.violations] == ["BR-DE-2", "BR-DE-5", "BR-DE-6", "BR-DE-7", "BR-DE-15"]
    assert einvoice.violations[0].message == ("BR-DE-2: XRechnung asks for the seller's contact (BG-6), which the "
                                              "invoice does not state")


def test_a_peppol_invoice_allows_one_note_and_needs_both_electronic_addresses():
    xml = ubl_invoice().replace(b"<cbc:DocumentCurrencyCode>",
                                b"<cbc:Note>first</cbc:Note><cbc:Note>second</cbc:Note><cbc:DocumentCurrencyCode>")
    without_buyer_address = _without_second_endpoint(xml)

    found = {issue.rule: issue.message for issue in read_xml_einvoice(without_buyer_address).violations}
    assert set(found) == {"PEPPOL-EN16931-R002", "PEPPOL-EN16931-R010"}
    assert found["PEPPOL-EN16931-R002"].endswith("allows one invoice note (BT-22) at most; the invoice has 2")


def test_peppol_rules_follow_the_specification_not_the_network():
    """An XRechnung sent over Peppol names Peppol's business process; it follows XRechnung's rules."""
    xml = ubl_invoice(customization=XRECHNUNG).replace(
        b"<cbc:DocumentCurrencyCode>", b"<cbc:Note>a</cbc:Note><cbc:Note>b</cbc:Note><cbc:DocumentCurrencyCode>")
    assert not [issue for issue in read_xml_einvoice(xml).violations if issue.rule.startswith("PEPPOL")]


def test_a_line_net_amount_with_four_decimals_breaks_br_dec_23():
    lines = [line("Invoice", 1, "Office chairs", "4", "250.00", "1000.0000", "19.00"),
             line("Invoice", 2, "Printer paper", "40", "5.00", "200.00", "7.00")]
    found = {issue.rule: issue for issue in check_einvoice(read_xml_einvoice(ubl_invoice(lines=lines)))}

    assert found["BR-DEC-23"].message == "BR-DEC-23: line 1's net amount is 1000.0000, with more than two decimals"
    assert not is_sum_rule("BR-DEC-23")


def test_a_line_whose_quantity_times_price_is_not_its_net_amount_is_a_sum_that_does_not_add_up():
    lines = [line("Invoice", 1, "Office chairs", "8", "250.00", "1000.00", "19.00"),
             line("Invoice", 2, "Printer paper", "40", "5.00", "200.00", "7.00")]
    [issue] = [i for i in check_einvoice(read_xml_einvoice(ubl_invoice(lines=lines))) if i.rule == "line-net-amount"]

    assert issue.severity == "error" and is_sum_rule(issue.rule)
    assert issue.message == "line-net-amount: line 1's net amount is stated as 1000.00, but 8 x 250.00 = 2000.00"


def test_line_charges_and_allowances_are_part_of_the_line_net_amount():
    einvoice = EInvoice("UBL", None, False, {}, {}, totals=Totals(),
                        lines=(InvoiceLine(quantity=Decimal("3"), unit_price=Decimal("10"), amount=Decimal("28.00"),
                                           adjustments=Decimal("-2.00")),))
    assert "line-net-amount" not in rules(einvoice)


def test_a_cii_line_allowance_is_read_into_the_line():
    xml = cii_xml(profile="EN 16931").replace(
        b"<ram:SpecifiedTradeSettlementLineMonetarySummation>",
        b"<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false</udt:Indicator>"
        b"</ram:ChargeIndicator><ram:ActualAmount>5.00</ram:ActualAmount></ram:SpecifiedTradeAllowanceCharge>"
        b"<ram:SpecifiedTradeSettlementLineMonetarySummation>", 1)
    assert read_xml_einvoice(xml).lines[0].adjustments == Decimal("-5.00")


def test_a_factur_x_pdf_declared_pdfa3_with_an_output_intent_passes():
    assert pdfa_issues(pdf_with_einvoice(ubl_invoice(), {"Total": "1,344.50"})) == []


@pytest.mark.parametrize(("options", "problem"), [
    ({"xmp": None}, "it has no XMP metadata, so it does not declare itself PDF/A"),
    ({"xmp": factur_x_xmp(part="1")}, "its XMP metadata declares PDF/A part 1, not 3 (or 4)"),
    ({"xmp": factur_x_xmp(level="no thing")}, "conformance level 'no thing', which is none of BASIC, BASIC WL"),
    ({"xmp": factur_x_xmp(creator="Muster & Co")}, "XMP metadata is not well-formed XML"),
    ({"output_intent": False}, "page 1 paints in device colours, but the PDF has no output intent"),
])
def test_a_factur_x_pdf_that_is_no_pdfa3_says_why(options, problem):
    data = pdf_with_einvoice(ubl_invoice(), {"Total": "1,344.50"}, **options)
    structured = read_einvoice(data, "application/pdf")

    [issue] = [issue for issue in structured.einvoice.violations if issue.rule == "pdfa"]
    assert issue.message.startswith("The PDF around the e-invoice is not a valid PDF/A-3: ")
    assert problem in issue.message
    assert structured.einvoice.values["total_amount"] == "1344.50"


def _without_second_endpoint(xml: bytes) -> bytes:
    first = xml.index(b"<cbc:EndpointID")
    second = xml.index(b"<cbc:EndpointID", first + 1)
    end = xml.index(b"</cbc:EndpointID>", second) + len(b"</cbc:EndpointID>")
    return xml[:second] + xml[end:]
