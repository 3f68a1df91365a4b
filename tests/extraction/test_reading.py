"""Reading documents page by page within limits: page images of bounded size, words where the page shows them,
and hostile files refused with a readable reason before they cost anything."""

from __future__ import annotations

import io
import struct
import zlib

import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from PIL import Image

from core.errors import UnreadableDocument
from extraction.reading import ReadLimits, count_pages, read_document
from ledgerdesk.samples import SampleInvoice, render_invoice_pdf

LIMITS = ReadLimits(max_pages=20, max_pixels=60_000_000)


def _pages(data: bytes, media_type: str = "application/pdf", limits: ReadLimits = LIMITS):
    return list(read_document(data, media_type, limits))


def _size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


def _refusal(data: bytes, media_type: str, limits: ReadLimits = LIMITS) -> str:
    with pytest.raises(UnreadableDocument) as raised:
        _pages(data, media_type, limits)
    return raised.value.detail


def _jpeg(size: tuple[int, int], orientation: int | None = None) -> bytes:
    image, exif = Image.new("RGB", size, "white"), Image.Exif()
    image.paste((200, 0, 0), (0, 0, size[0] // 4, size[1] // 4))  # a red mark in the top left corner
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels in a few dozen bytes (its pixels are never sent)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def pdf_with_page_tree(count: int, media_box: str = "0 0 612 792") -> bytes:
    """A tiny PDF whose page tree lists one page object ``count`` times."""
    kids = " ".join(["3 0 R"] * count)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
               f"<< /Type /Page /Parent 2 0 R /MediaBox [{media_box}] >>".encode()]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_an_a4_page_is_drawn_at_screen_resolution_with_its_words():
    [page] = _pages(render_invoice_pdf(SampleInvoice()))
    width, height = _size(page.png)
    assert 880 <= width <= 920 and 1260 <= height <= 1300  # 8.27 x 11.69 inches at 110 dpi
    assert page.text.source == "pdf_text" and "INV-2024-0042" in [w.text for w in page.text.words]


def test_a_huge_page_is_drawn_no_larger_than_the_bound():
    pdf = FPDF(unit="mm", format=(5000, 3000))
    pdf.add_page()
    pdf.set_font("Helvetica", size=200)
    pdf.text(100, 500, "A billboard-sized invoice")
    [page] = _pages(bytes(pdf.output()))
    width, height = _size(page.png)
    assert max(width, height) <= LIMITS.image_side and width > height


def test_words_on_a_turned_page_are_boxed_where_the_page_shows_them():
    document = pdfium.PdfDocument(render_invoice_pdf(SampleInvoice()))
    document[0].set_rotation(90)
    buffer = io.BytesIO()
    document.save(buffer)
    [page] = _pages(buffer.getvalue())
    vendor = next(w for w in page.text.words if w.text == "Northwind")
    assert _size(page.png)[0] > _size(page.png)[1]  # drawn in landscape
    x0, y0, x1, y1 = vendor.bbox
    assert x0 > 0.8 and y0 < 0.4 and (y1 - y0) > (x1 - x0)  # top left of the page, now top right, running down


def test_a_large_photo_is_scaled_down_and_keeps_its_size_on_record():
    [page] = _pages(_jpeg((4000, 3000)), "image/jpeg")
    assert _size(page.png) == (2309, 1732)  # four megapixels
    assert (page.text.width, page.text.height, page.text.source, page.text.words) == (4000, 3000, "image", ())


def test_a_long_receipt_keeps_its_width_and_a_very_long_one_its_shape():
    assert _size(_pages(_jpeg((900, 4000)), "image/jpeg")[0].png) == (900, 4000)
    width, height = _size(_pages(_jpeg((600, 9000)), "image/jpeg")[0].png)
    assert height <= 4400 and abs(width / height - 600 / 9000) < 0.001


def test_a_photo_taken_sideways_is_turned_upright():
    [page] = _pages(_jpeg((400, 300), orientation=6), "image/jpeg")  # 6: the camera was turned clockwise
    image = Image.open(io.BytesIO(page.png)).convert("RGB")
    assert image.size == (300, 400)
    assert image.getpixel((image.width - 5, 5))[0] > 150  # the red top-left mark is now top right


def test_every_page_of_a_tiff_is_read():
    frames, buffer = [Image.new("L", (300, 400), shade) for shade in (0, 128, 255)], io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    assert [p.text.number for p in _pages(buffer.getvalue(), "image/tiff")] == [1, 2, 3]


@pytest.mark.parametrize("width, height", [(13000, 13000), (30000, 30000)])
def test_an_image_over_the_pixel_limit_is_refused_before_it_is_decoded(width, height):
    detail = _refusal(png_header_only(width, height), "image/png")
    assert f"{width:,} x {height:,} pixels" in detail and "at most 60 megapixels" in detail


def test_a_pdf_with_300000_pages_is_refused_by_its_count():
    data = pdf_with_page_tree(300_000)
    assert len(data) < 2_000_000
    assert _refusal(data, "application/pdf") == "The PDF has 300,000 pages; at most 20 are read."
    with pytest.raises(UnreadableDocument):
        count_pages(data, "application/pdf", LIMITS)


def test_a_page_with_an_empty_media_box_is_read_at_the_default_size():
    """Readers (and pdfium) treat an empty MediaBox as US letter; so do we, instead of failing on it."""
    [page] = _pages(pdf_with_page_tree(1, media_box="0 0 0 0"))
    assert (page.text.width, page.text.height) == (612, 792) and page.text.words == ()
    assert _size(page.png) == (935, 1210)


def test_a_damaged_image_is_refused_readably():
    assert _refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png").startswith("The image cannot be decoded")
    truncated = _jpeg((800, 600))[:300]
    assert "cannot be decoded" in _refusal(truncated, "image/jpeg")


def test_documents_without_pages_give_none():
    assert _pages(b"<Invoice/>", "application/xml") == []
    assert count_pages(b"<Invoice/>", "application/xml", LIMITS) == 0
