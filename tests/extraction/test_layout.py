"""extraction.layout: words into reading-order lines."""

from __future__ import annotations

from extraction.layout import page_lines
from extraction.model import PageText, Word


def test_two_slanted_lines_of_a_photo_do_not_interleave():
    """A tilted receipt: the name's words drift down into the height of the address line below it."""
    words = (Word("LIGHTROOM", (0.10, 0.100, 0.30, 0.120)), Word("GALLERY", (0.32, 0.106, 0.48, 0.126)),
             Word("SDN", (0.50, 0.112, 0.56, 0.132)), Word("No:", (0.10, 0.118, 0.16, 0.136)),
             Word("28,", (0.18, 0.120, 0.22, 0.138)), Word("JALAN", (0.24, 0.124, 0.34, 0.142)))
    lines = page_lines(PageText(1, 600, 900, "ocr", words))
    assert [line.text for line in lines] == ["LIGHTROOM GALLERY SDN", "No: 28, JALAN"]


def test_words_side_by_side_share_a_line_in_left_to_right_order():
    words = (Word("9.00", (0.7, 0.5, 0.8, 0.52)), Word("TOTAL", (0.1, 0.501, 0.2, 0.521)))
    assert [line.text for line in page_lines(PageText(1, 600, 900, "ocr", words))] == ["TOTAL 9.00"]
