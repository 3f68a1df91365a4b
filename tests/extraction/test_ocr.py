"""Real OCR (the configured engine, PP-OCRv6 by default) on pages the tests draw: English and Chinese, turned,
skewed, noisy; and the words' boxes on the page image that is stored."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from extraction.ocr.page import read_page
from tests.extraction.pictures import CHINESE_LINES, RECEIPT_LINES, noisy_jpeg, text_page


def read_text(page) -> str:
    return " ".join(word.text for word in page.words)


def test_an_upright_receipt_is_read_word_by_word_with_spaces(ocr_engine):
    page = read_page(ocr_engine, text_page())
    text = read_text(page)
    for expected in ("GOLDEN HARVEST TRADING SDN BHD", "JALAN HARMONI 3/2", "TOTAL RM 37.00"):
        assert expected in text
    assert page.orientation.degrees == 0 and page.orientation.skew == 0
    assert all(0.5 <= word.confidence <= 1 for word in page.words)


def test_chinese_text_is_read(ocr_engine):
    text = read_text(read_page(ocr_engine, text_page(CHINESE_LINES, kind="cjk", size=34)))
    for expected in ("增值税专用发票", "上海示例有限公司", "价税合计"):
        assert expected in text


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_turned_page_is_read_upright(ocr_engine, degrees):
    page = read_page(ocr_engine, text_page().rotate(degrees, expand=True))  # Pillow turns counter-clockwise
    assert page.orientation.degrees == degrees  # ... and the page is turned back clockwise
    assert "GOLDEN HARVEST TRADING" in read_text(page)
    assert read_text(page).index("GOLDEN") < read_text(page).index("TOTAL")  # top to bottom


def test_a_skewed_scan_is_levelled_before_it_is_read(ocr_engine):
    page = read_page(ocr_engine, text_page().rotate(6, expand=True, fillcolor="white", resample=Image.BICUBIC))
    assert -7 < page.orientation.skew < -4
    assert "TOTAL RM 37.00" in read_text(page)


def test_a_noisy_jpeg_is_read(ocr_engine):
    text = read_text(read_page(ocr_engine, Image.open(io.BytesIO(noisy_jpeg(text_page())))))
    assert "GOLDEN HARVEST" in text and "37.00" in text


def test_boxes_land_on_the_word_in_the_page_as_it_is_stored(ocr_engine):
    picture = text_page().rotate(90, expand=True)
    page = read_page(ocr_engine, picture)
    upright = page.orientation.apply(picture)
    assert upright.size == (page.width, page.height)
    total = next(word for word in page.words if word.text == "TOTAL")
    x0, y0, x1, y1 = total.bbox
    last_line_top = (40 + 5 * 30 * 1.8) / upright.height
    assert x0 < 0.2 and abs(y0 - last_line_top) < 0.05 and x1 < 0.5 and y1 > y0
    assert _ink_share(upright, total.bbox) > 0.05  # the box covers printed text, not empty paper


def test_a_blank_page_gives_no_words(ocr_engine):
    page = read_page(ocr_engine, Image.new("RGB", (800, 1000), "white"))
    assert page.words == () and page.orientation.degrees == 0


def test_every_line_of_the_receipt_is_found(ocr_engine):
    page = read_page(ocr_engine, text_page())
    tops = sorted({round(word.bbox[1], 2) for word in page.words})
    assert len(tops) == len(RECEIPT_LINES)


def _ink_share(image: Image.Image, box) -> float:
    x0, y0, x1, y1 = (round(v * s) for v, s in zip(box, (*image.size, *image.size)))
    grey = image.crop((x0, y0, x1, y1)).convert("L")
    return sum(1 for value in grey.tobytes() if value < 128) / max(1, grey.width * grey.height)


def test_words_carry_the_height_of_their_line_as_their_size(ocr_engine):
    page = read_page(ocr_engine, text_page(("BIG TITLE",), size=60).crop((0, 0, 900, 140)))
    small = read_page(ocr_engine, text_page(("small print",), size=24))
    assert page.words[0].size > 1.8 * small.words[0].size > 0
