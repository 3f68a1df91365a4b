"""Page images: drawn at a bounded size, with clear errors for pages that are not there or not readable."""

from __future__ import annotations

import io

import pytest
from fpdf import FPDF
from PIL import Image

from core.errors import NotFound, UnreadableDocument
from intake.render import MAX_SIDE_PIXELS, page_png
from ledgerdesk.samples import SampleInvoice, render_invoice_pdf


def _size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


def test_an_a4_page_is_drawn_at_screen_resolution():
    width, height = _size(page_png(render_invoice_pdf(SampleInvoice()), "application/pdf", 1))
    assert 880 <= width <= 920 and 1260 <= height <= 1300  # 8.27 x 11.69 inches at 110 dpi


def test_a_huge_page_is_drawn_no_larger_than_the_bound():
    pdf = FPDF(unit="mm", format=(5000, 3000))
    pdf.add_page()
    pdf.set_font("Helvetica", size=200)
    pdf.text(100, 500, "A billboard-sized invoice")
    width, height = _size(page_png(bytes(pdf.output()), "application/pdf", 1))
    assert max(width, height) <= MAX_SIDE_PIXELS and width > height


def test_a_large_photo_is_scaled_down():
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), "white").save(buffer, format="JPEG")
    assert _size(page_png(buffer.getvalue(), "image/jpeg", 1)) == (MAX_SIDE_PIXELS, MAX_SIDE_PIXELS * 3 // 4)


def test_missing_pages_and_unreadable_images_are_named():
    with pytest.raises(NotFound, match="there is no page 2"):
        page_png(render_invoice_pdf(SampleInvoice()), "application/pdf", 2)
    with pytest.raises(UnreadableDocument):
        page_png(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png", 1)
    with pytest.raises(NotFound):
        page_png(b"<Invoice/>", "application/xml", 1)
