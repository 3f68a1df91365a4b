"""A document's pages, one at a time and within limits: the words read from each page and the page drawn as
a PNG for the review page. Pure: bytes in, pages out; storing them is the caller's business."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image

from extraction.duplicates import difference_hash
from extraction.einvoice.ofd import read_ofd
from extraction.image_pages import image_frames, open_image
from extraction.model import PageText
from extraction.ocr.result import OcrPage
from extraction.pdf_text import draw_page, open_pdf, page_text
from extraction.text_layer import unusable_reason

PageReader = Callable[[Image.Image], OcrPage]
"""OCR of one page image (``extraction.ocr.page.read_page`` with a loaded engine, or a worker's OCR process)."""



@dataclass(frozen=True)
class ReadLimits:
    max_pages: int
    max_pixels: int
    """Largest image page (width x height) that is decoded."""
    image_side: int = 2200
    """Longest side of a drawn PDF page, in pixels."""
    photo_area: int = 4_000_000
    photo_side: int = 4400
    """A photo or scan is scaled down to at most this many pixels, and this longest side."""
    image_dpi: float = 110
    ocr_dpi: float = 200
    """A page without a usable text layer is drawn this finely for OCR (and that drawing is its page image)."""


@dataclass(frozen=True)
class ReadPage:
    text: PageText
    png: bytes | None
    """The page drawn for the review page (None where it could not be drawn: an OFD page, say)."""
    image_hash: int | None = None
    """The first page's picture hash (``extraction.duplicates.difference_hash``), to find it again re-encoded."""


def count_pages(data: bytes, media_type: str, limits: ReadLimits) -> int:
    """How many pages the document has (0 for XML and OFD); raises ``UnreadableDocument`` past the limits."""
    if media_type == "application/pdf":
        with open_pdf(data, limits.max_pages) as document:
            return len(document)
    if media_type.startswith("image/"):
        return getattr(open_image(data, limits.max_pages), "n_frames", 1)
    return 0


def read_document(data: bytes, media_type: str, limits: ReadLimits,
                  ocr: PageReader | None = None) -> Iterator[ReadPage]:
    """Every page of a PDF or image, in order; the first page of an OFD; nothing for XML. Pages without a usable
    text layer are read by ``ocr`` (without one, they come without words). Raises ``UnreadableDocument``."""
    if media_type == "application/pdf":
        yield from _pdf_pages(data, limits, ocr)
    elif media_type.startswith("image/"):
        yield from _image_pages(data, limits, ocr)
    elif media_type == "application/ofd":
        yield from _ofd_pages(data)


def _ofd_pages(data: bytes) -> Iterator[ReadPage]:
    """An OFD's first page: its text objects as words, drawn where feasible (its invoice data is read apart)."""
    package = read_ofd(data, draw=True)
    if package.first_page is not None:
        drawn = package.first_page_image
        yield _drawn(package.first_page, drawn) if drawn is not None else ReadPage(package.first_page, None)


def _pdf_pages(data: bytes, limits: ReadLimits, ocr: PageReader | None) -> Iterator[ReadPage]:
    with open_pdf(data, limits.max_pages) as document:
        for index in range(len(document)):
            page = document[index]
            try:
                yield _pdf_page(page, index + 1, limits, ocr)
            finally:
                page.close()


def _pdf_page(page: pdfium.PdfPage, number: int, limits: ReadLimits, ocr: PageReader | None) -> ReadPage:
    """The page's text layer where it is usable; otherwise the page drawn finely and read by OCR."""
    layer = page_text(page, number)
    if ocr is None or unusable_reason(layer) is None:
        return _drawn(layer.page, draw_page(page, number, limits.image_dpi, limits.image_side))
    return _read_picture(draw_page(page, number, limits.ocr_dpi, limits.image_side), number, ocr)


def _image_pages(data: bytes, limits: ReadLimits, ocr: PageReader | None) -> Iterator[ReadPage]:
    frames = image_frames(open_image(data, limits.max_pages), limits.max_pixels, (limits.photo_area, limits.photo_side))
    for number, (width, height, picture) in enumerate(frames, start=1):
        if ocr is None:
            yield _drawn(PageText(number=number, width=width, height=height, source="image", words=()), picture)
        else:
            yield _read_picture(picture, number, ocr)


def _read_picture(picture: Image.Image, number: int, ocr: PageReader) -> ReadPage:
    """OCR of a page image; the stored image is the page as OCR straightened it, so the boxes fit it."""
    read = ocr(picture)
    upright = read.orientation.apply(picture.convert("RGB"))
    page = PageText(number=number, width=read.width, height=read.height, source="ocr", words=read.words)
    return _drawn(page, upright)


def _drawn(text: PageText, picture: Image.Image) -> ReadPage:
    """A page with its drawing; the first page also with its picture hash."""
    return ReadPage(text, png_bytes(picture), difference_hash(picture) if text.number == 1 else None)


def png_bytes(image: Image.Image) -> bytes:
    """A quickly compressed PNG: page images are written once and read a few times."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
