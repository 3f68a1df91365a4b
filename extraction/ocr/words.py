"""A recognized line split into words: each word gets the part of the line's box its characters take."""

from __future__ import annotations

import re

from extraction.model import BBox, Word

WORD = re.compile(r"\S+")
GLUED_AT_COMMA = re.compile(r"(?<=[^\W_]{2}),(?=[^\W\d_]{2})")
"""A comma between two words with no space after it ("HEALTH,AND"): recognizers drop that space; printed
text almost never lacks it (between digits, "1,103.03", the comma is a thousands separator and stays)."""


def repair_spacing(text: str) -> str:
    """The line as printed: the space after a comma between words put back."""
    return GLUED_AT_COMMA.sub(", ", text)


def line_words(text: str, box: BBox, confidence: float, size: float = 0.0) -> list[Word]:
    """The words of ``text`` (split at spaces), each with a box cut from ``box`` in proportion to its
    characters; a line without spaces (Chinese, say) stays one word. ``size`` is the line's height in pixels,
    which compares between lines of a page as a font size does."""
    text = repair_spacing(text)
    x0, y0, x1, y1 = box
    per_char = (x1 - x0) / max(len(text), 1)
    return [Word(match.group(), (x0 + per_char * match.start(), y0, x0 + per_char * match.end(), y1), confidence,
                 size) for match in WORD.finditer(text)]
