"""Lines recognized by OCR split into words with their share of the line's box, spaces put back."""

from __future__ import annotations

import pytest

from extraction.ocr.words import line_words, repair_spacing


def test_each_word_gets_the_part_of_the_box_its_characters_take():
    words = line_words("TOTAL RM 37.00", (0.1, 0.5, 0.8, 0.55), 0.9)
    assert [w.text for w in words] == ["TOTAL", "RM", "37.00"]
    assert words[0].bbox == pytest.approx((0.1, 0.5, 0.35, 0.55))
    assert words[2].bbox == pytest.approx((0.55, 0.5, 0.8, 0.55))
    assert {w.confidence for w in words} == {0.9}


def test_a_line_without_spaces_stays_one_word():
    [word] = line_words("价税合计", (0.2, 0.1, 0.4, 0.12), 0.95)
    assert word.text == "价税合计" and word.bbox == (0.2, 0.1, 0.4, 0.12)


@pytest.mark.parametrize("read, printed", [
    ("BANDAR BARU,SELANGOR", "BANDAR BARU, SELANGOR"),
    ("HEALTH,AND BEAUTY", "HEALTH, AND BEAUTY"),
    ("TOTAL 1,103.03", "TOTAL 1,103.03"),
    ("NO 12,JALAN", "NO 12, JALAN"),
    ("A,B", "A,B"),
    ("SDN BHD", "SDN BHD"),
])
def test_a_space_dropped_after_a_comma_between_words_is_put_back(read, printed):
    assert repair_spacing(read) == printed
