"""Generated sample documents: invoices as text-layer PDFs, for the demo, the tests and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from fpdf import FPDF

from core.money import round_money


@dataclass(frozen=True)
class InvoiceLine:
    description: str
    quantity: Decimal
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return round_money(self.quantity * self.unit_price)


@dataclass(frozen=True)
class SampleInvoice:
    vendor_name: str = "Northwind Office Supplies Ltd"
    vendor_address: str = "12 Harbour Road, Bristol BS1 4AA"
    vendor_tax_id: str = "GB123456789"
    customer_name: str = "Demo Trading GmbH"
    invoice_number: str = "INV-2024-0042"
    invoice_date: date = date(2024, 3, 12)
    payment_days: int = 30
    currency: str = "EUR"
    tax_rate: Decimal = Decimal("19")
    references: tuple[tuple[str, str], ...] = ()
    """More labelled values printed under the invoice number and dates: ``(("Document ID:", "D-7781"),)``."""
    lines: tuple[InvoiceLine, ...] = field(default_factory=lambda: (
        InvoiceLine("Printer paper A4, 80g (box)", Decimal("5"), Decimal("24.90")),
        InvoiceLine("Toner cartridge black", Decimal("2"), Decimal("63.50")),
    ))

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def tax_amount(self) -> Decimal:
        return round_money(self.subtotal * self.tax_rate / 100)

    @property
    def total_amount(self) -> Decimal:
        return self.subtotal + self.tax_amount

    @property
    def due_date(self) -> date:
        return self.invoice_date + timedelta(days=self.payment_days)


def render_invoice_pdf(invoice: SampleInvoice, producer: str | None = None) -> bytes:
    """A one-page A4 invoice with a real text layer (``producer``: the PDF's Producer, for other bytes of the same
    invoice)."""
    pdf = FPDF(format="A4")
    if producer:
        pdf.set_producer(producer)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, invoice.vendor_name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 5, invoice.vendor_address, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, f"VAT ID: {invoice.vendor_tax_id}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, "INVOICE", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for label, value in (("Invoice No:", invoice.invoice_number), ("Invoice Date:", invoice.invoice_date.isoformat()),
                         ("Due Date:", invoice.due_date.isoformat()), *invoice.references,
                         ("Bill To:", invoice.customer_name)):
        pdf.cell(35, 6, label)
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    _line_table(pdf, invoice)
    pdf.ln(4)
    for label, amount in (("Subtotal", invoice.subtotal), (f"VAT {invoice.tax_rate}%", invoice.tax_amount),
                          ("Total", invoice.total_amount)):
        pdf.cell(120, 6, "")
        pdf.cell(30, 6, label)
        pdf.cell(30, 6, f"{invoice.currency} {amount:,.2f}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.cell(0, 5, f"Payment terms: {invoice.payment_days} days net. Thank you for your business.")
    return bytes(pdf.output())


def _line_table(pdf: FPDF, invoice: SampleInvoice) -> None:
    pdf.set_font("Helvetica", "B", 10)
    for text, width in (("Description", 100), ("Qty", 20), ("Unit price", 30), ("Amount", 30)):
        pdf.cell(width, 7, text, border="B")
    pdf.ln()
    pdf.set_font("Helvetica", "", 10)
    for line in invoice.lines:
        pdf.cell(100, 6, line.description)
        pdf.cell(20, 6, f"{line.quantity}", align="R")
        pdf.cell(30, 6, f"{line.unit_price:,.2f}", align="R")
        pdf.cell(30, 6, f"{line.amount:,.2f}", align="R", new_x="LMARGIN", new_y="NEXT")
