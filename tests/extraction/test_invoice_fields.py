"""extraction.invoice_fields on real text layers: PDFs rendered by ledgerdesk.samples and PDFs in other layouts
rendered here with fpdf2, read as the worker reads them and through layout.document_lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fpdf import FPDF

from extraction.invoice_fields import extract_invoice_fields
from extraction.layout import document_lines
from extraction.model import ExtractedField, Line
from tests.helpers import pdf_pages
from ledgerdesk.samples import InvoiceLine, SampleInvoice, render_invoice_pdf

Cell = tuple[float, str]
"""(x in mm from the left edge, text)"""


def lines_of(pdf: bytes) -> list[Line]:
    return document_lines(pdf_pages(pdf))


def extract(pdf: bytes) -> dict[str, ExtractedField]:
    return extract_invoice_fields(lines_of(pdf))


def values(fields: dict[str, ExtractedField]) -> dict[str, object]:
    return {name: field.value for name, field in fields.items()}


def render_rows(title: str, rows: list[list[Cell] | None], *, pages: int = 1) -> bytes:
    """A PDF with ``title`` large at the top, then one text row per entry (None = blank row)."""
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # the core fonts' own encoding; it has the euro sign
    pdf.set_auto_page_break(False)
    per_page = -(-len(rows) // pages)
    for page in range(pages):
        pdf.add_page()
        y = 20.0
        if page == 0:
            pdf.set_font("Helvetica", "B", 18)
            pdf.set_xy(15, y)
            pdf.cell(text=title)
            y += 18
        pdf.set_font("Helvetica", "", 10)
        for row in rows[page * per_page:(page + 1) * per_page]:
            for x, text in row or []:
                pdf.set_xy(x, y)
                pdf.cell(text=text)
            y += 7
    return bytes(pdf.output())


def truth(invoice: SampleInvoice) -> dict[str, str]:
    return {
        "vendor_name": invoice.vendor_name,
        "vendor_tax_id": invoice.vendor_tax_id,
        "customer_name": invoice.customer_name,
        "invoice_number": invoice.invoice_number,
        "invoice_date": invoice.invoice_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "currency": invoice.currency,
        "subtotal": str(invoice.subtotal),
        "tax_amount": str(invoice.tax_amount),
        "total_amount": str(invoice.total_amount),
        "tax_rate": str(invoice.tax_rate.normalize()),
    }


SAMPLES = {
    "default": SampleInvoice(),
    "usd-zero-tax": SampleInvoice(vendor_name="Contoso Hardware Inc", currency="USD", tax_rate=Decimal("0"),
                                  invoice_number="US-88812", invoice_date=date(2023, 12, 30), payment_days=14),
    "chf-7.7": SampleInvoice(vendor_name="Helvetia Druck AG", vendor_tax_id="CHE-123.456.789 MWST", currency="CHF",
                             tax_rate=Decimal("7.7"), invoice_number="2024/118"),
    "gbp-thousands": SampleInvoice(vendor_name="Albion Facilities Management plc", currency="GBP",
                                   tax_rate=Decimal("20"), invoice_number="AFM-000731",
                                   lines=(InvoiceLine("Quarterly cleaning contract", Decimal("3"), Decimal("4150.00")),
                                          InvoiceLine("Window cleaning", Decimal("1"), Decimal("385.35")))),
    "sek-umlaut": SampleInvoice(vendor_name="Göteborgs Kontorsvaror AB", currency="SEK", tax_rate=Decimal("25"),
                                invoice_number="GK 2024 0099", invoice_date=date(2024, 2, 29),
                                lines=(InvoiceLine("Kontorsstolar", Decimal("4"), Decimal("1999.90")),)),
    "half-cent-tax": SampleInvoice(vendor_name="Rounding Works GmbH", tax_rate=Decimal("19"),
                                   lines=(InvoiceLine("Widget", Decimal("1"), Decimal("0.50")),)),
    "many-lines": SampleInvoice(vendor_name="Fabrikam Supplies BV", tax_rate=Decimal("21"), invoice_number="F-12",
                                lines=tuple(InvoiceLine(f"Item {n}", Decimal(n), Decimal("9.99"))
                                            for n in range(1, 9))),
}


@pytest.mark.parametrize("invoice", SAMPLES.values(), ids=SAMPLES.keys())
def test_sample_invoices_are_read_field_by_field(invoice):
    assert values(extract(render_invoice_pdf(invoice))) == truth(invoice)


def test_the_half_cent_sample_really_rounds_half_up():
    invoice = SAMPLES["half-cent-tax"]  # 19% of 0.50 is 0.095
    assert invoice.tax_amount == Decimal("0.10")
    assert extract(render_invoice_pdf(invoice))["tax_amount"].value == "0.10"


def test_each_field_points_to_where_it_was_read():
    fields = extract(render_invoice_pdf(SampleInvoice()))
    total = fields["total_amount"]
    assert total.page == 1 and total.source == "pdf_text" and total.confidence == 0.9
    assert total.evidence == "Total EUR 299.29"
    x0, y0, x1, y1 = total.bbox
    assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
    assert x0 > 0.5, "the value box is right of the label, in the totals column"
    assert fields["invoice_number"].bbox[1] < fields["subtotal"].bbox[1] < total.bbox[1]
    assert fields["tax_rate"].source == "rule" and "19%" in fields["tax_rate"].evidence
    assert fields["vendor_name"].evidence == "largest name-like text at the top of page 1"


def test_the_fields_serialise_in_the_api_shape():
    shape = extract(render_invoice_pdf(SampleInvoice()))["invoice_date"].as_json()
    assert shape["value"] == "2024-03-12"
    assert set(shape) == {"value", "confidence", "page", "bbox", "source", "evidence"}
    assert len(shape["bbox"]) == 4


def test_labels_and_values_in_separate_columns_with_amount_due():
    pdf = render_rows("Contoso Consulting LLC", [
        [(20, "Invoice number"), (130, "C-5521")],
        [(20, "Invoice date"), (130, "March 12, 2024")],
        [(20, "Due date"), (130, "April 11, 2024")],
        None,
        [(20, "Consulting, 8 hours"), (130, "$1,000.00")],
        [(20, "Subtotal"), (130, "$1,000.00")],
        [(20, "Sales tax (8.25%)"), (130, "$82.50")],
        [(20, "Amount due"), (130, "$1,082.50")],
    ])
    fields = extract(pdf)
    assert values(fields) == {
        "vendor_name": "Contoso Consulting LLC", "invoice_number": "C-5521", "invoice_date": "2024-03-12",
        "due_date": "2024-04-11", "subtotal": "1000.00", "tax_amount": "82.50", "tax_rate": "8.25",
        "total_amount": "1082.50", "currency": "USD",
    }
    assert fields["total_amount"].bbox[0] > 0.55, "the value column, not the label"
    assert fields["invoice_number"].confidence == 0.9


def test_german_invoice_with_comma_decimals():
    pdf = render_rows("Müller Bürobedarf GmbH", [
        [(15, "Hauptstraße 5, 10115 Berlin")],
        [(15, "USt-IdNr.: DE123456789")],
        None,
        [(15, "RECHNUNG")],
        [(15, "Rechnungsnummer:"), (60, "RE-2024-117")],
        [(15, "Rechnungsdatum:"), (60, "12.03.2024")],
        [(15, "Fälligkeitsdatum:"), (60, "11.04.2024")],
        None,
        [(120, "Nettobetrag"), (160, "1.037,45 EUR")],
        [(120, "MwSt 19 %"), (160, "197,12 EUR")],
        [(120, "Gesamtbetrag"), (160, "1.234,57 EUR")],
    ])
    assert values(extract(pdf)) == {
        "vendor_name": "Müller Bürobedarf GmbH", "vendor_tax_id": "DE123456789", "invoice_number": "RE-2024-117",
        "invoice_date": "2024-03-12", "due_date": "2024-04-11", "subtotal": "1037.45", "tax_amount": "197.12",
        "tax_rate": "19", "total_amount": "1234.57", "currency": "EUR",
    }


def test_german_tax_label_with_abbreviation_dot_and_spaced_percent():
    pdf = render_rows("Müller Bürobedarf GmbH", [
        [(15, "Rechnungsnummer:"), (60, "RE-2024-118")],
        [(120, "Nettobetrag"), (160, "1.037,45 EUR")],
        [(120, "MwSt. 19 %"), (160, "197,12 EUR")],
        [(120, "Gesamtbetrag"), (160, "1.234,57 EUR")],
    ])
    assert extract(pdf)["tax_amount"].value == "197.12"


def test_text_values_below_their_label_are_read_with_lower_confidence():
    pdf = render_rows("Fabrikam Logistics BV", [
        [(15, "Invoice number")],
        [(15, "FL-9001")],
        [(15, "Invoice date")],
        [(15, "12 Mar 2024")],
        [(15, "Total"), (60, "EUR 512.40")],
    ])
    fields = extract(pdf)
    assert values(fields) == {"vendor_name": "Fabrikam Logistics BV", "invoice_number": "FL-9001",
                              "invoice_date": "2024-03-12", "total_amount": "512.40", "currency": "EUR"}
    assert fields["invoice_number"].confidence == fields["invoice_date"].confidence == 0.75
    assert fields["invoice_number"].evidence == "Invoice number"


def test_an_amount_below_its_label_is_read():
    pdf = render_rows("Fabrikam Logistics BV", [
        [(15, "Invoice number"), (60, "FL-9002")],
        [(130, "Amount due")],
        [(130, "EUR 512.40")],
    ])
    assert extract(pdf)["total_amount"].value == "512.40"


def test_a_header_row_with_the_values_in_the_row_below():
    pdf = render_rows("Fabrikam Logistics BV", [
        [(15, "Invoice number"), (75, "Invoice date"), (135, "Amount due")],
        [(15, "FL-9003"), (75, "2024-03-12"), (135, "EUR 512.40")],
    ])
    found = values(extract(pdf))
    assert (found.get("invoice_number"), found.get("invoice_date"), found.get("total_amount")) == (
        "FL-9003", "2024-03-12", "512.40")


@pytest.mark.parametrize("vendor", ["DATEV eG", "Vattenfall Europe Sales GmbH", "TotalEnergies Marketing SE"])
def test_vendor_names_that_begin_like_a_label(vendor):
    assert extract(render_invoice_pdf(SampleInvoice(vendor_name=vendor)))["vendor_name"].value == vendor


def test_a_line_item_beginning_with_tax_is_not_the_tax_line():
    invoice = SampleInvoice(vendor_name="Smith & Partners Tax Advisers",
                            lines=(InvoiceLine("Tax return 2023", Decimal("1"), Decimal("800.00")),))
    assert extract(render_invoice_pdf(invoice))["tax_amount"].value == str(invoice.tax_amount)


def test_a_line_item_beginning_with_taxi_does_not_disturb_the_tax():
    invoice = SampleInvoice(lines=(InvoiceLine("Taxi transfer airport", Decimal("1"), Decimal("45.00")),))
    assert extract(render_invoice_pdf(invoice))["tax_amount"].value == "8.55"


@pytest.mark.parametrize(("printed", "code"), [("€ 12.00", "EUR"), ("£12.00", "GBP"), ("CNY 12.00", "CNY"),
                                                ("¥12.00", "CNY"), ("12.00 SGD", "SGD")])
def test_the_currency_printed_with_the_total(printed, code):
    pdf = render_rows("Currency Test Ltd", [[(15, "Invoice No:"), (50, "C-1")], [(15, "Total"), (50, printed)]])
    fields = extract(pdf)
    assert fields["currency"].value == code
    assert fields["currency"].confidence == 0.9
    assert fields["total_amount"].value == "12.00"


def test_without_a_currency_at_the_total_the_most_mentioned_currency_is_used():
    pdf = render_rows("Currency Test Ltd", [
        [(15, "Item one"), (120, "USD 5.00")],
        [(15, "Item two"), (120, "USD 7.00")],
        [(15, "Shipping (billed in EUR 3.00)")],
        [(15, "Total"), (120, "12.00")],
    ])
    currency = extract(pdf)["currency"]
    assert currency.value == "USD"
    assert currency.confidence == 0.7
    assert "USD 5.00" in currency.evidence


def test_no_currency_anywhere_gives_no_currency_field():
    pdf = render_rows("Plain Numbers Ltd", [[(15, "Invoice No:"), (50, "P-1")], [(15, "Total"), (50, "12.00")]])
    assert "currency" not in extract(pdf)


def test_the_first_labelled_value_wins():
    pdf = render_rows("Repeat Ltd", [
        [(15, "Invoice No:"), (50, "FIRST-1")],
        [(15, "Total"), (50, "EUR 10.00")],
        [(15, "Invoice No:"), (50, "SECOND-2")],
        [(15, "Total"), (50, "EUR 99.00")],
    ])
    found = values(extract(pdf))
    assert (found["invoice_number"], found["total_amount"]) == ("FIRST-1", "10.00")


def test_fields_on_a_second_page_carry_that_page_and_the_vendor_comes_from_page_one():
    pdf = render_rows("Two Page Traders Ltd", [
        [(15, "Invoice No:"), (50, "TP-2")],
        [(15, "Invoice Date:"), (50, "2024-03-12")],
        [(15, "Subtotal"), (120, "EUR 100.00")],
        [(15, "Total"), (120, "EUR 119.00")],
    ], pages=2)
    fields = extract(pdf)
    assert fields["invoice_number"].page == 1
    assert fields["total_amount"].page == 2 and fields["total_amount"].value == "119.00"
    assert fields["vendor_name"].page == 1 and fields["vendor_name"].value == "Two Page Traders Ltd"


def test_a_page_without_labels_gives_no_labelled_fields():
    pdf = render_rows("Meeting notes", [[(15, "We agreed to meet again next week.")], [(15, "Room 4, 10:00")]])
    assert set(extract(pdf)) <= {"vendor_name"}


def test_no_lines_give_no_fields():
    assert extract_invoice_fields([]) == {}
