"""Uploaded images (PNG, JPEG, TIFF with several pages) as pages: sizes checked before anything is decoded."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import UnreadableDocument
from extraction.pdf_text import check_page_count

UNREADABLE = "The image cannot be decoded ({reason}); upload it again or as PDF."

pillow_heif.register_heif_opener()  # HEIC/HEIF phone photos open like any other image
Image.MAX_IMAGE_PIXELS = None  # our own limit (``check_pixels``, a setting) is checked before decoding, and says why


def open_image(data: bytes, max_pages: int) -> Image.Image:
    """The image, opened lazily (only its header is read), with its page count checked."""
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableDocument(UNREADABLE.format(reason=type(exc).__name__)) from exc
    check_page_count(getattr(image, "n_frames", 1), max_pages, kind="image")
    return image


def image_frames(image: Image.Image, max_pixels: int, bound: tuple[int, int]) -> Iterator[tuple[int, int, Image.Image]]:
    """``(width, height, picture)`` of each page: the original size, and the page turned upright (EXIF) and
    scaled down to ``bound`` (most pixels, longest side): a long receipt keeps its width, a 600 dpi scan
    comes down to a size OCR reads as well and faster."""
    frames = getattr(image, "n_frames", 1)
    for index in range(frames):
        _seek(image, index)
        check_pixels(image.size, max_pixels, index + 1)
        yield image.width, image.height, _bounded_copy(image, bounded_size(image.size, *bound), copy=frames > 1)


def bounded_size(size: tuple[int, int], max_area: int, max_side: int) -> tuple[int, int]:
    """``size`` scaled down (never up, keeping its shape) to at most ``max_area`` pixels and ``max_side``."""
    width, height = size
    scale = min(1.0, (max_area / max(1, width * height)) ** 0.5, max_side / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _seek(image: Image.Image, index: int) -> None:
    try:
        image.seek(index)
    except (EOFError, OSError, ValueError) as exc:
        raise UnreadableDocument(UNREADABLE.format(reason=f"page {index + 1}: {type(exc).__name__}")) from exc


def check_pixels(size: tuple[int, int], max_pixels: int, number: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise UnreadableDocument(
            f"Page {number} of the image is {width:,} x {height:,} pixels ({width * height / 1e6:.0f} megapixels); "
            f"at most {max_pixels / 1e6:.0f} megapixels are read. Scan or photograph it at a lower resolution.")


def _bounded_copy(image: Image.Image, size: tuple[int, int], *, copy: bool) -> Image.Image:
    """Decode the current frame at no more than ``size`` (JPEGs are decoded already reduced)."""
    try:
        if image.format == "JPEG":
            image.draft("RGB", size)
        picture = image.copy() if copy else image
        picture.thumbnail(size)
        ImageOps.exif_transpose(picture, in_place=True)
        return picture if picture.mode == "RGB" else _to_rgb(picture)
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow's decoders raise these for damaged data
        raise UnreadableDocument(UNREADABLE.format(reason=f"{type(exc).__name__}: {exc}")) from exc


def _to_rgb(picture: Image.Image) -> Image.Image:
    if picture.mode.startswith("I;16"):
        picture = picture.point(lambda value: value / 256).convert("L")
    return picture.convert("RGB")
