"""A PDF's e-invoice XML is the truth; its printed page is compared with it, and locates the fields it agrees on."""

from __future__ import annotations

from extraction.einvoice.compare import compared_with_page
from extraction.model import ExtractedField


def xml(value: str) -> ExtractedField:
    return ExtractedField(value, 1.0, None, None, "einvoice", "UBL invoice: Invoice/ID")


def printed(value: str) -> ExtractedField:
    return ExtractedField(value, 0.9, 1, (0.1, 0.2, 0.3, 0.25), "pdf_text", "'Invoice no: ...'")


def test_agreeing_fields_gain_the_box_they_are_printed_in():
    fields, issues = compared_with_page({"invoice_number": xml("INV-1"), "total_amount": xml("-1344.50")},
                                        {"invoice_number": printed("inv-1"), "total_amount": printed("1,344.50")},
                                        "Invoice no: inv-1\nTotal 1,344.50")
    assert issues == []
    assert fields["invoice_number"].value == "INV-1" and fields["invoice_number"].source == "einvoice"
    assert (fields["invoice_number"].page, fields["invoice_number"].bbox) == (1, (0.1, 0.2, 0.3, 0.25))
    assert fields["total_amount"].value == "-1344.50" and fields["total_amount"].page == 1


def test_a_disagreement_keeps_the_xml_and_shows_both_values():
    fields, issues = compared_with_page({"total_amount": xml("1344.50"), "vendor_name": xml("Müller GmbH")},
                                        {"total_amount": printed("1,434.50"), "vendor_name": printed("Mueller")},
                                        "Mueller\nTotal 1,434.50")
    assert fields["total_amount"].value == "1344.50" and fields["total_amount"].bbox is None
    [issue] = issues
    assert (issue.rule, issue.severity) == ("einvoice_mismatch", "warning")
    assert "'1344.50'" in issue.message and "'1,434.50'" in issue.message and issue.message.startswith("total_amount")


def test_fields_only_one_side_has_are_left_alone():
    fields, issues = compared_with_page({"due_date": xml("2026-12-20")}, {"po_number": printed("PO-1")}, "PO-1")
    assert issues == [] and list(fields) == ["due_date"]


def test_a_page_that_prints_the_xml_value_elsewhere_does_not_contradict_it():
    """The page reading took the wrong words (a reference number as the VAT); the page itself agrees."""
    fields, issues = compared_with_page({"tax_amount": xml("56.87"), "vendor_tax_id": xml("DE123456789")},
                                        {"tax_amount": printed("123456789.00"), "vendor_tax_id": printed("Home Page")},
                                        "Order 123456789\nHome Page\nVAT ID DE 123 456 789\nVAT 19 % 56,87 EUR")
    assert issues == []
    assert fields["tax_amount"].value == "56.87" and fields["tax_amount"].bbox is None
