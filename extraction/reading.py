"""A document's pages, one at a time and within limits: the words read from each page and the page drawn as
a PNG for the review page. Pure: bytes in, pages out; storing them is the caller's business."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image

from extraction.image_pages import image_frames, open_image
from extraction.model import PageText
from extraction.pdf_text import draw_page, open_pdf, page_text

PAGED_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/tiff")


@dataclass(frozen=True)
class ReadLimits:
    max_pages: int
    max_pixels: int
    """Largest image page (width x height) that is decoded."""
    image_side: int = 2200
    """Longest side of a stored page image, in pixels."""
    image_dpi: float = 110


@dataclass(frozen=True)
class ReadPage:
    text: PageText
    png: bytes


def count_pages(data: bytes, media_type: str, limits: ReadLimits) -> int:
    """How many pages the document has (0 for XML and OFD); raises ``UnreadableDocument`` past the limits."""
    if media_type == "application/pdf":
        with open_pdf(data, limits.max_pages) as document:
            return len(document)
    if media_type.startswith("image/"):
        return getattr(open_image(data, limits.max_pages), "n_frames", 1)
    return 0


def read_document(data: bytes, media_type: str, limits: ReadLimits) -> Iterator[ReadPage]:
    """Every page of a PDF or image, in order; nothing for other types. Raises ``UnreadableDocument``."""
    if media_type == "application/pdf":
        yield from _pdf_pages(data, limits)
    elif media_type.startswith("image/"):
        yield from _image_pages(data, limits)


def _pdf_pages(data: bytes, limits: ReadLimits) -> Iterator[ReadPage]:
    with open_pdf(data, limits.max_pages) as document:
        for index in range(len(document)):
            page = document[index]
            try:
                text = page_text(page, index + 1)
                png = png_bytes(draw_page(page, index + 1, limits.image_dpi, limits.image_side))
            finally:
                page.close()
            yield ReadPage(text, png)


def _image_pages(data: bytes, limits: ReadLimits) -> Iterator[ReadPage]:
    frames = image_frames(open_image(data, limits.max_pages), limits.max_pixels, limits.image_side)
    for number, (width, height, picture) in enumerate(frames, start=1):
        yield ReadPage(PageText(number=number, width=width, height=height, source="image", words=()),
                       png_bytes(picture))


def png_bytes(image: Image.Image) -> bytes:
    """A quickly compressed PNG: page images are written once and read a few times."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
