"""What OCR gives for one page (a plain value: it travels between processes)."""

from __future__ import annotations

from dataclasses import dataclass

from extraction.model import Word
from extraction.ocr.orientation import Orientation


@dataclass(frozen=True)
class OcrPage:
    """The words of a page, with boxes as fractions of the page after ``orientation`` was applied to it."""

    words: tuple[Word, ...]
    orientation: Orientation
    width: int
    height: int
