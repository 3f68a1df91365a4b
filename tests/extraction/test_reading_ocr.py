"""Reading scans and photos with real OCR: PDFs page by page (text layer where it is good, the picture
where it is not), images of every accepted kind, and what is stored for the review page."""

from __future__ import annotations

import io
from functools import partial

import pytest
from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image

from core.errors import UnreadableDocument
from extraction.ocr.page import read_page
from extraction.reading import ReadLimits, read_document
from tests.extraction.pictures import CHINESE_LINES, encoded, noisy_jpeg, text_page

LIMITS = ReadLimits(max_pages=20, max_pixels=60_000_000)


@pytest.fixture
def ocr(ocr_engine):
    return partial(read_page, ocr_engine)


def pages(data: bytes, media_type: str, ocr, limits: ReadLimits = LIMITS):
    return list(read_document(data, media_type, limits, ocr))


def text_of(page) -> str:
    return " ".join(word.text for word in page.text.words)


def pdf(*page_makers) -> bytes:
    """A PDF with one A4 page per maker; each draws on the FPDF it is given."""
    document = FPDF(unit="pt", format="A4")
    for make in page_makers:
        document.add_page()
        make(document)
    return bytes(document.output())


def typed_text(line: str):
    def make(document: FPDF) -> None:
        document.set_font("helvetica", size=14)
        document.text(60, 100, line)
    return make


def scanned(picture: Image.Image, hidden_text: str | None = None):
    """A page that is a picture, with an invisible text layer on top if ``hidden_text`` (as scanners make)."""
    def make(document: FPDF) -> None:
        document.image(io.BytesIO(encoded(picture, "PNG")), x=0, y=0, w=document.w)
        if hidden_text:
            document.set_font("helvetica", size=12)
            document.text_mode = TextMode.INVISIBLE
            document.text(60, 100, hidden_text)
            document.text_mode = TextMode.FILL
    return make


def test_a_scanned_pdf_is_read_by_ocr(ocr):
    [page] = pages(pdf(scanned(text_page())), "application/pdf", ocr)
    assert page.text.source == "ocr"
    assert "GOLDEN HARVEST TRADING SDN BHD" in text_of(page)


def test_a_mixed_pdf_is_read_page_by_page(ocr):
    typed, scan = pages(pdf(typed_text("Invoice INV-77 typed page"), scanned(text_page())), "application/pdf", ocr)
    assert (typed.text.source, scan.text.source) == ("pdf_text", "ocr")
    assert "INV-77" in text_of(typed) and "TOTAL RM 37.00" in text_of(scan)


def test_a_scanners_invisible_text_layer_is_replaced_by_our_reading(ocr):
    [page] = pages(pdf(scanned(text_page(), hidden_text="G0LDEN HARV3ST junk layer " * 3)), "application/pdf", ocr)
    assert page.text.source == "ocr"
    assert "GOLDEN HARVEST" in text_of(page) and "junk" not in text_of(page)


def test_without_an_engine_a_scan_comes_without_words():
    [page] = pages(pdf(scanned(text_page())), "application/pdf", None)
    assert page.text.source == "pdf_text" and page.text.words == ()


@pytest.mark.parametrize("fmt, media_type", [("PNG", "image/png"), ("WEBP", "image/webp"), ("BMP", "image/bmp"),
                                             ("HEIF", "image/heic")])
def test_photos_of_every_accepted_kind_are_read(ocr, fmt, media_type):
    [page] = pages(encoded(text_page(), fmt), media_type, ocr)
    assert page.text.source == "ocr" and "TOTAL RM 37.00" in text_of(page)


def test_a_noisy_jpeg_photo_is_read(ocr):
    [page] = pages(noisy_jpeg(text_page()), "image/jpeg", ocr)
    assert "GOLDEN HARVEST" in text_of(page)


def test_each_page_of_a_tiff_is_read(ocr):
    first, second = text_page(), text_page(CHINESE_LINES, kind="cjk", size=34)
    tiff = encoded(first, "TIFF", save_all=True, append_images=[second])
    english, chinese = pages(tiff, "image/tiff", ocr)
    assert "GOLDEN HARVEST" in text_of(english) and "增值税专用发票" in text_of(chinese)


def test_the_stored_page_image_is_the_page_turned_upright(ocr):
    picture = text_page().rotate(180)
    [page] = pages(encoded(picture, "PNG"), "image/png", ocr)
    stored = Image.open(io.BytesIO(page.png))
    assert stored.size == (page.text.width, page.text.height)
    assert list(stored.tobytes()) == list(text_page().tobytes())  # exactly the page as it was drawn


def test_a_tiff_with_too_many_frames_is_refused_before_reading(ocr):
    frames = [Image.new("1", (8, 8)) for _ in range(30)]
    tiff = encoded(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(UnreadableDocument, match="The image has 30 pages; at most 20 are read"):
        pages(tiff, "image/tiff", ocr)


@pytest.mark.parametrize("data", [encoded(Image.new("RGB", (64, 64)), "HEIF")[:200], b"\x00\x00\x00\x18ftypheic" + b"\x00" * 16])
def test_a_heic_without_a_decodable_image_is_refused_readably(ocr, data):
    with pytest.raises(UnreadableDocument, match="cannot be decoded"):
        pages(data, "image/heic", ocr)


@pytest.mark.parametrize("size", [(1, 1), (1, 20000), (20000, 3), (5, 5)], ids=["dot", "thread", "strip", "tiny"])
def test_degenerate_images_are_read_without_words_and_without_trouble(ocr, size):
    [page] = pages(encoded(Image.new("RGB", size, "black" if size == (5, 5) else "white"), "PNG"), "image/png", ocr)
    assert page.text.words == () and max(page.text.width, page.text.height) <= LIMITS.photo_side


def test_a_page_with_a_huge_media_box_is_drawn_within_bounds_for_ocr(ocr):
    document = FPDF(unit="pt", format=(14400, 14400))  # 200 x 200 inches, the largest page PDF allows
    document.add_page()
    [page] = pages(bytes(document.output()), "application/pdf", ocr)
    assert page.text.source == "ocr" and page.text.words == ()
    assert Image.open(io.BytesIO(page.png)).size == (LIMITS.image_side - 1, LIMITS.image_side - 1)
