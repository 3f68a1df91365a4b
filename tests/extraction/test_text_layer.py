"""Whether a PDF page's text layer is trusted or the page is read from its picture."""

from __future__ import annotations

import pytest

from extraction.model import PageText, Word
from extraction.text_layer import TextLayer, unusable_reason, wordlike_share


def layer(text: str, **counts: int) -> TextLayer:
    words = tuple(Word(token, (0, 0, 0.1, 0.1)) for token in text.split())
    return TextLayer(PageText(1, 595, 842, "pdf_text", words), characters=len(text), **counts)


def test_an_ordinary_text_layer_is_used():
    assert unusable_reason(layer("Invoice INV-2024-001 dated 12.03.2024, total EUR 1.103,03")) is None


def test_chinese_text_is_ordinary_text():
    assert unusable_reason(layer("增值税专用发票 价税合计 ¥120.00")) is None


@pytest.mark.parametrize("text, counts, reason", [
    ("", {}, "no text layer"),
    ("12", {}, "no text layer"),
    ("Invoice total 12.00 EUR paid", {"unmapped": 20}, "broken encoding"),
    ("Invoice total 12.00 EUR paid", {"invisible": 25}, "invisible text layer"),
    ("\ue001\ue002\ue003 \ue004\ue005 \ue006\ue007\ue008\ue009", {}, "without real words"),
])
def test_a_layer_that_cannot_be_trusted_says_why(text, counts, reason):
    assert reason in unusable_reason(layer(text, **counts))


def test_wordlike_share_counts_tokens_of_letters_and_digits():
    assert wordlike_share(["Total", "12.00", "\x7f\x7f\x7f", "\ue000\ue001"]) == 0.5
    assert wordlike_share([]) == 0.0
