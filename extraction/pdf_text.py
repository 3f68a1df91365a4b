"""A PDF's pages one at a time (pypdfium2): the words of its text layer with boxes, and the page drawn.

pdfium reads a dense page's text in a fraction of the time pdfminer needs and keeps one page in memory at a
time, so a small file with many dense pages cannot take minutes or gigabytes.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from core.errors import UnreadableDocument
from extraction.model import PageText, Word
from extraction.text_layer import TextLayer

PASSWORD_ERROR = 4
"""pdfium's FPDF_ERR_PASSWORD."""
ENCRYPTED = "The PDF is encrypted with a password; upload an unprotected copy."
INVISIBLE_TEXT = 3
"""pdfium's FPDF_TEXTRENDERMODE_INVISIBLE."""
DEVICE_SCALE = 10
"""Page coordinates are mapped at ten device units per point, so word boxes keep a tenth of a point."""


@contextmanager
def open_pdf(data: bytes, max_pages: int) -> Iterator[pdfium.PdfDocument]:
    """The opened PDF, refused with a readable reason when it is damaged, locked, empty or too long."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument(ENCRYPTED if getattr(exc, "err_code", None) == PASSWORD_ERROR
                                 else f"The PDF is damaged and cannot be opened ({exc}).") from exc
    try:
        check_page_count(len(document), max_pages)
        yield document
    finally:
        document.close()


def check_page_count(count: int, max_pages: int, kind: str = "PDF") -> None:
    if count == 0:
        raise UnreadableDocument(f"The {kind} has no pages.")
    if count > max_pages:
        raise UnreadableDocument(f"The {kind} has {count:,} pages; at most {max_pages:,} are read.")


def page_text(page: pdfium.PdfPage, number: int) -> TextLayer:
    """The words of one page's text layer, with boxes as fractions of the page as it is displayed, and what
    tells whether the layer can be trusted."""
    width, height = page_size(page, number)
    to_display = display_transform(page, width, height)
    textpage = page.get_textpage()
    try:
        codes = [pdfium_c.FPDFText_GetUnicode(textpage.raw, i) for i in range(textpage.count_chars())]
        words = tuple(word for first, last in word_spans(codes)
                      if (word := _word(textpage, codes, first, last, to_display)).text)
        invisible, unmapped = _hidden_and_unmapped(textpage, len(codes))
    finally:
        textpage.close()
    page_words = PageText(number=number, width=width, height=height, source="pdf_text", words=words)
    return TextLayer(page_words, characters=len(codes), invisible=invisible, unmapped=unmapped)


def _hidden_and_unmapped(textpage: pdfium.PdfTextPage, count: int) -> tuple[int, int]:
    """How many characters are drawn invisibly (a scanner's OCR layer under its picture) and how many have no
    known Unicode meaning (a font without a usable encoding)."""
    modes: dict[int, int] = {}
    invisible = unmapped = 0
    for index in range(count):
        text_object = pdfium_c.FPDFText_GetTextObject(textpage.raw, index)
        address = ctypes.cast(text_object, ctypes.c_void_p).value or 0
        if address not in modes:
            modes[address] = pdfium_c.FPDFTextObj_GetTextRenderMode(text_object) if address else 0
        invisible += modes[address] == INVISIBLE_TEXT
        unmapped += pdfium_c.FPDFText_HasUnicodeMapError(textpage.raw, index) == 1
    return invisible, unmapped


def draw_page(page: pdfium.PdfPage, number: int, dpi: float, max_side: int) -> Image.Image:
    """The page as an image at ``dpi``, or smaller so that its longest side is at most ``max_side`` pixels."""
    width, height = page_size(page, number)
    scale = min(dpi / 72, (max_side - 1) / max(width, height))  # -1: the renderer rounds up
    return page.render(scale=scale, may_draw_forms=True).to_pil()


def page_size(page: pdfium.PdfPage, number: int) -> tuple[float, float]:
    width, height = page.get_size()
    if not (width >= 1 and height >= 1):
        raise UnreadableDocument(f"Page {number} of the PDF has no size (its MediaBox is empty), so it can be "
                                 "neither drawn nor read. Export or scan the document again.")
    return float(width), float(height)


Transform = tuple[float, float, float, float, float, float]
"""An affine map ``(a, b, c, d, e, f)``: ``x' = a*x + c*y + e``, ``y' = b*x + d*y + f``."""


def display_transform(page: pdfium.PdfPage, width: float, height: float) -> Transform:
    """Page space (points, origin bottom left) to fractions of the displayed page (rotation and crop box
    applied, origin top left), from where pdfium maps three points."""
    e, f = _to_device(page, width, height, 0.0, 0.0)
    x_x, x_y = _to_device(page, width, height, 1000.0, 0.0)
    y_x, y_y = _to_device(page, width, height, 0.0, 1000.0)
    return (x_x - e) / 1000, (x_y - f) / 1000, (y_x - e) / 1000, (y_y - f) / 1000, e, f


def _to_device(page: pdfium.PdfPage, width: float, height: float, x: float, y: float) -> tuple[float, float]:
    columns, rows = int(width * DEVICE_SCALE), int(height * DEVICE_SCALE)
    device_x, device_y = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, columns, rows, 0, x, y, device_x, device_y)
    return device_x.value / columns, device_y.value / rows


def apply(transform: Transform, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = transform
    return a * x + c * y + e, b * x + d * y + f


def word_spans(codes: list[int]) -> Iterator[tuple[int, int]]:
    """``(first, last)`` character indexes of each run of non-space characters (pdfium puts a space or a line
    break between words, also where the PDF only left a gap)."""
    first = None
    for index, code in enumerate(codes):
        if _is_space(code):
            if first is not None:
                yield first, index - 1
            first = None
        elif first is None:
            first = index
    if first is not None:
        yield first, len(codes) - 1


def _is_space(code: int) -> bool:
    return code < 0x21 or (code > 0x7F and chr(code).isspace())


def _word(textpage: pdfium.PdfTextPage, codes: list[int], first: int, last: int, to_display: Transform) -> Word:
    """The word from character ``first`` to ``last``; its box spans the loose boxes of its first and last
    characters (loose boxes have the font's full height, so a word's box does not depend on its letters)."""
    start, end = _loose_box(textpage, first), _loose_box(textpage, last)
    x0, y0 = apply(to_display, start.left, start.top)
    x1, y1 = apply(to_display, end.right, end.bottom)
    if to_display[1] or to_display[2]:  # a turned page: the other two corners may lie further out
        (x2, y2), (x3, y3) = apply(to_display, start.left, end.bottom), apply(to_display, end.right, start.top)
        x0, x1, y0, y1 = min(x0, x1, x2, x3), max(x0, x1, x2, x3), min(y0, y1, y2, y3), max(y0, y1, y2, y3)
    bbox = (_clamp(min(x0, x1)), _clamp(min(y0, y1)), _clamp(max(x0, x1)), _clamp(max(y0, y1)))
    return Word(text=utf16_text(codes[first:last + 1]), bbox=bbox, confidence=1.0,
                size=pdfium_c.FPDFText_GetFontSize(textpage.raw, first))


def _loose_box(textpage: pdfium.PdfTextPage, index: int) -> pdfium_c.FS_RECTF:
    box = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, index, box)
    return box


def _clamp(value: float) -> float:
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


def utf16_text(codes: list[int]) -> str:
    """Text from pdfium's code units: surrogate pairs joined, unpaired halves and control characters dropped."""
    if max(codes) < 0xD800:  # the common case: no surrogates to pair
        text = "".join(map(chr, codes))
    else:
        raw = b"".join(min(code, 0xFFFF).to_bytes(2, "little") for code in codes)
        text = raw.decode("utf-16-le", "replace").replace("\ufffd", "")
    return text if text.isprintable() else "".join(ch for ch in text if ch.isprintable())
