"""Hostile files, made in memory by the benchmark (never committed): dense and huge PDFs, decompression-bomb
images, lies about the type, damaged and encrypted files."""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from fpdf import FPDF
from PIL import Image

from tests.helpers import dense_pdf



@dataclass(frozen=True)
class HostileFile:
    name: str
    """What it is, for the table."""
    filename: str
    make: Callable[[], bytes]
    fetch_pages: bool = False
    """The document whose page images are then fetched six at once."""
    slow: bool = False
    """Takes minutes: left out of quick runs."""


def hostile_files() -> list[HostileFile]:
    return [
        HostileFile("dense text PDF, 50 pages", "dense-50.pdf", lambda: dense_pdf(50)),
        HostileFile("dense text PDF, 200 pages", "dense-200.pdf", lambda: dense_pdf(200), slow=True),
        HostileFile("PNG 7500x7500 (56 MP, within the limit)", "big.png", lambda: patterned_png(7500, 7500),
                    fetch_pages=True),
        HostileFile("PNG 13000x13000, one colour", "poster-13k.png", lambda: plain_png(13000, 13000)),
        HostileFile("PNG 30000x30000, one colour", "poster-30k.png", lambda: plain_png(30000, 30000)),
        HostileFile("PDF with 300,000 pages", "many-pages.pdf", lambda: many_pages_pdf(300_000)),
        HostileFile("PDF with a zero-size MediaBox", "zero-mediabox.pdf", zero_mediabox_pdf),
        HostileFile("PDF page of 200 x 200 inches, no text (OCR)", "huge-page.pdf", huge_page_pdf),
        HostileFile("TIFF with 5,000 frames", "frames.tif", lambda: many_frames_tiff(5000)),
        HostileFile("truncated JPEG photo", "cut.jpg", truncated_jpeg),
        HostileFile("HEIC without a decodable image", "photo.heic", lambda: b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64),
        HostileFile("HTML named .pdf", "page.pdf", html_page),
        HostileFile("SVG named .pdf", "drawing.pdf", svg_drawing),
        HostileFile("corrupt PDF", "corrupt.pdf", corrupt_pdf),
        HostileFile("encrypted PDF (user password)", "locked.pdf", encrypted_pdf),
    ]


def plain_png(width: int, height: int) -> bytes:
    """A one-colour image of any size in a few kilobytes: 1-bit greyscale, every row the same, compressed row by
    row (never held whole)."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    return _png(width, height, bit_depth=1, colour_type=0, rows=(row for _ in range(height)))


def patterned_png(width: int, height: int) -> bytes:
    """An RGB image that compresses well as a file but not as a page image: bands of a repeating pattern."""
    rng = random.Random(7)
    pattern = bytes(rng.randrange(256) for _ in range(3 * 997))
    line = (pattern * (3 * width // len(pattern) + 1))[:3 * width]
    rows = (b"\x00" + line[(y // 64) % 997:] + line[:(y // 64) % 997] for y in range(height))
    return _png(width, height, bit_depth=8, colour_type=2, rows=rows)


def _png(width: int, height: int, *, bit_depth: int, colour_type: int, rows) -> bytes:
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for row in rows) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


PAGE_TEXT = b"BT /F1 12 Tf 72 720 Td (Contract annex) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def many_pages_pdf(pages: int) -> bytes:
    """``pages`` pages in about 6 bytes each: one page object, referenced ``pages`` times by the page tree."""
    kids = b" ".join([b"3 0 R"] * pages)
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(PAGE_TEXT),
        FONT,
    ])


def zero_mediabox_pdf() -> bytes:
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 0 0] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(PAGE_TEXT),
        FONT,
    ])


def huge_page_pdf() -> bytes:
    """One empty page as large as PDF allows (14,400 points a side): no text layer, so it is drawn for OCR."""
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] >>"])


def many_frames_tiff(frames: int) -> bytes:
    """A TIFF with ``frames`` tiny pages (refused by its page count before any is decoded)."""
    pages = [Image.new("1", (8, 8)) for _ in range(frames)]
    buffer = io.BytesIO()
    pages[0].save(buffer, "TIFF", save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    """A phone-sized JPEG cut off after its first kilobytes, as a failed transfer leaves it."""
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 4000), (200, 190, 180)).save(buffer, "JPEG")
    return buffer.getvalue()[:4000]


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1; the first is the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)


def html_page() -> bytes:
    return (b"<!DOCTYPE html>\n<html><head><title>Invoice</title></head><body><h1>Invoice INV-1</h1>"
            b"<p>Total: 100.00 EUR</p><script>alert('hi')</script></body></html>\n")


def svg_drawing() -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="800" '
            b'height="600"><text x="10" y="20">Invoice INV-1 total 100.00 EUR</text></svg>\n')


def corrupt_pdf() -> bytes:
    """A PDF header followed by 200 KB of noise."""
    return b"%PDF-1.7\n" + random.Random(3).randbytes(200_000)


def encrypted_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.text(20, 20, "Invoice INV-1, total 100.00 EUR")
    pdf.set_encryption(owner_password="bench-owner", user_password="bench-user")
    return bytes(pdf.output())
