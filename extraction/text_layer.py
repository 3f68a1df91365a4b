"""Whether a PDF page's text layer can be trusted, or the page must be read from its picture (OCR)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from extraction.model import PageText

MAX_UNMAPPED_SHARE = 0.1
"""More characters than this without a known meaning: the font's encoding is broken."""
MAX_INVISIBLE_SHARE = 0.5
"""More invisible characters than this: a scanner's own OCR under the picture, which ours reads better."""
MIN_WORDLIKE_SHARE = 0.5
"""Fewer tokens than this that look like words or numbers: the layer is junk."""
MIN_CHARACTERS = 10
"""A page with fewer characters than this (a page number, a stamp) is treated as having no text."""


@dataclass(frozen=True)
class TextLayer:
    page: PageText
    characters: int
    invisible: int = 0
    unmapped: int = 0


def unusable_reason(layer: TextLayer) -> str | None:
    """Why the page should be read from its picture instead (None: its text layer is good)."""
    if layer.characters < MIN_CHARACTERS or not layer.page.words:
        return "no text layer"
    if layer.unmapped > MAX_UNMAPPED_SHARE * layer.characters:
        return "text layer with a broken encoding"
    if layer.invisible > MAX_INVISIBLE_SHARE * layer.characters:
        return "invisible text layer (a scanner's OCR)"
    if wordlike_share([word.text for word in layer.page.words]) < MIN_WORDLIKE_SHARE:
        return "text layer without real words"
    return None


def wordlike_share(tokens: list[str]) -> float:
    """The share of tokens made mostly of letters, digits or CJK characters, with the usual punctuation."""
    return sum(map(_is_wordlike, tokens)) / len(tokens) if tokens else 0.0


def _is_wordlike(token: str) -> bool:
    ordinary = sum(_is_ordinary(ch) for ch in token)
    return ordinary >= 0.8 * len(token)


def _is_ordinary(ch: str) -> bool:
    if ch.isascii():
        return ch.isprintable()
    category = unicodedata.category(ch)
    return category[0] in "LN" and category != "Co" or category in ("Pd", "Ps", "Pe", "Po", "Sc")
