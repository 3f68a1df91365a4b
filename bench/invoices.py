"""Distinct generated invoices with their true field values (the benchmark's ground truth)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ledgerdesk.samples import InvoiceLine, SampleInvoice, render_invoice_pdf

ACCURACY_FIELDS = ("invoice_number", "invoice_date", "vendor_name", "currency", "subtotal", "tax_amount",
                   "total_amount")

VENDORS = (
    ("Northwind Office Supplies Ltd", "12 Harbour Road, Bristol BS1 4AA", "GB123456789"),
    ("Contoso Hardware Inc", "400 Pine Street, Seattle WA 98101", "US-94-1234567"),
    ("Müller Bürobedarf GmbH", "Hauptstraße 5, 10115 Berlin", "DE811907980"),
    ("Fabrikam Logistics BV", "Keizersgracht 12, 1015 CR Amsterdam", "NL859123456B01"),
    ("Helvetia Druck AG", "Bahnhofstrasse 3, 8001 Zürich", "CHE-123.456.789"),
    ("Albion Facilities Management plc", "1 King Street, Manchester M2 4LQ", "GB987654321"),
    ("Göteborgs Kontorsvaror AB", "Avenyn 7, 411 36 Göteborg", "SE556677889901"),
    ("Lumière Services SARL", "8 rue de Rivoli, 75004 Paris", "FR40303265045"),
)
CURRENCIES = ("EUR", "EUR", "EUR", "USD", "GBP", "CHF", "SEK")
TAX_RATES = tuple(Decimal(r) for r in ("0", "5.5", "7", "10", "19", "20", "21", "25"))
ITEMS = ("Printer paper A4, 80g (box)", "Toner cartridge black", "Office chair, ergonomic", "Desk lamp LED",
         "Cleaning service, March", "Freight Rotterdam-Hamburg", "Software licence, annual", "Consulting hours",
         "Catering for workshop", "Archive boxes (pack of 10)", "Laptop stand", "Courier delivery")
NUMBER_FORMATS = ("INV-{year}-{n:04d}", "{year}/{n}", "RE{year}{n:05d}", "F-{n}", "{prefix}-{n:06d}")


@dataclass(frozen=True)
class GeneratedInvoice:
    invoice: SampleInvoice
    pdf: bytes

    @property
    def truth(self) -> dict[str, str]:
        """The values an extractor should find, in the API's canonical form."""
        invoice = self.invoice
        return {
            "invoice_number": invoice.invoice_number, "invoice_date": invoice.invoice_date.isoformat(),
            "vendor_name": invoice.vendor_name, "currency": invoice.currency, "subtotal": str(invoice.subtotal),
            "tax_amount": str(invoice.tax_amount), "total_amount": str(invoice.total_amount),
        }


def generate(count: int, seed: int) -> list[GeneratedInvoice]:
    """``count`` invoices, each different (and so each a new document, never a duplicate)."""
    rng = random.Random(seed)
    invoices = [_invoice(rng, index) for index in range(count)]
    return [GeneratedInvoice(invoice, render_invoice_pdf(invoice)) for invoice in invoices]


def _invoice(rng: random.Random, index: int) -> SampleInvoice:
    vendor, address, tax_id = rng.choice(VENDORS)
    issued = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 540))
    number = rng.choice(NUMBER_FORMATS).format(year=issued.year, n=1000 + index, prefix=vendor[:3].upper())
    lines = tuple(
        InvoiceLine(rng.choice(ITEMS), Decimal(rng.randrange(1, 25)),
                    Decimal(rng.randrange(100, 250_000)) / 100)
        for _ in range(rng.randrange(1, 6))
    )
    return SampleInvoice(vendor_name=vendor, vendor_address=address, vendor_tax_id=tax_id, invoice_number=number,
                         invoice_date=issued, payment_days=rng.choice((14, 30, 45, 60)),
                         currency=rng.choice(CURRENCIES), tax_rate=rng.choice(TAX_RATES), lines=lines)


def upload_files(count: int, seed: int = 1) -> list[tuple[str, bytes]]:
    """``(filename, bytes)`` of ``count`` generated invoices, each different bytes (the service refuses a file it
    already holds as a duplicate)."""
    files = [(f"invoice-{index:05d}.pdf", sample.pdf) for index, sample in enumerate(generate(count, seed))]
    if len({data for _, data in files}) != count:
        raise AssertionError("the generator made two identical invoices; the uploads would be refused as duplicates")
    return files
