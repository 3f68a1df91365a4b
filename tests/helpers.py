"""Small helpers shared by tests: uploading generated documents and reading them back."""

from __future__ import annotations

import random

from fastapi.testclient import TestClient
from fpdf import FPDF

from ledgerdesk.samples import SampleInvoice, render_invoice_pdf

DENSE_WORDS = ("invoice", "total", "amount", "tax", "net", "EUR", "12.50", "item", "service", "delivery", "qty",
               "Rechnung", "Betrag", "19%", "2024-03-01", "INV-0042")


def upload(client: TestClient, data: bytes, filename: str = "invoice.pdf", **form) -> dict:
    response = client.post("/api/v1/documents", files={"file": (filename, data, "application/pdf")}, data=form)
    assert response.status_code in (200, 201), response.text
    return response.json()


def upload_invoice(client: TestClient, invoice: SampleInvoice | None = None) -> dict:
    return upload(client, render_invoice_pdf(invoice or SampleInvoice()))


def pdf_pages(data: bytes, max_pages: int = 10, max_pixels: int = 60_000_000) -> list:
    """The pages (``PageText``) of a PDF, as the worker reads them."""
    from extraction.reading import ReadLimits, read_document

    return [page.text for page in read_document(data, "application/pdf", ReadLimits(max_pages, max_pixels))]


def dense_pdf(pages: int, seed: int = 1) -> bytes:
    """Pages full of 4-point text (about 8 KB each, 130 lines of 60 words): slow enough to read that a job can
    be caught in the middle. The hostile-files benchmark uses it too."""
    rng, pdf = random.Random(seed), FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=4)
    for _ in range(pages):
        pdf.add_page()
        for line in range(130):
            pdf.text(5, 5 + line * 2.2, " ".join(rng.choice(DENSE_WORDS) for _ in range(60)))
    return bytes(pdf.output())
