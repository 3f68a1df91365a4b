"""Small helpers shared by tests: uploading generated documents and reading them back."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ledgerdesk.samples import SampleInvoice, render_invoice_pdf


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
