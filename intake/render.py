"""Page images for the review page: a PDF page or an uploaded image, as PNG."""

from __future__ import annotations

import io

import pdfplumber
from PIL import Image, UnidentifiedImageError

from core.errors import NotFound, UnreadableDocument


MAX_SIDE_PIXELS = 2200
"""A page is drawn no larger than this on its longest side, however large the PDF says it is."""


def page_png(data: bytes, media_type: str, number: int, resolution: int = 110) -> bytes:
    """PNG bytes of page ``number`` (1-based)."""
    if media_type == "application/pdf":
        return _pdf_page_png(data, number, resolution)
    if media_type.startswith("image/"):
        return _image_page_png(data, number)
    raise NotFound(f"{media_type} documents have no page images.")


def _pdf_page_png(data: bytes, number: int, resolution: int) -> bytes:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not 1 <= number <= len(pdf.pages):
                raise NotFound(f"The document has {len(pdf.pages)} page(s); there is no page {number}.")
            page = pdf.pages[number - 1]
            image = page.to_image(resolution=_bounded_resolution(page.width, page.height, resolution)).original
    except NotFound:
        raise
    except Exception as exc:  # pdfium and pdfminer raise many types for damaged files
        raise UnreadableDocument(f"The PDF page cannot be drawn ({type(exc).__name__}).") from exc
    return _png_bytes(image)


def _bounded_resolution(width_points: float, height_points: float, wanted: int) -> float:
    longest_inches = max(float(width_points), float(height_points), 1.0) / 72
    return min(wanted, (MAX_SIDE_PIXELS - 1) / longest_inches)  # -1: the renderer rounds up


def _image_page_png(data: bytes, number: int) -> bytes:
    try:
        image = Image.open(io.BytesIO(data))
        image.seek(number - 1)
        image = image.convert("RGB")
    except EOFError as exc:
        raise NotFound(f"The image has no page {number}.") from exc
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise UnreadableDocument("The image cannot be decoded.") from exc
    image.thumbnail((MAX_SIDE_PIXELS, MAX_SIDE_PIXELS))
    return _png_bytes(image)


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
