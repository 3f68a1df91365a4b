"""Page pictures the OCR tests draw themselves: lines of text in a real font, turned, skewed, noisy."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageDraw, ImageFont

from ledgerdesk.training.fonts import MissingFont, font_path

RECEIPT_LINES = ("GOLDEN HARVEST TRADING SDN BHD", "NO 12 JALAN HARMONI 3/2", "TAX INVOICE 000123",
                 "DATE 12/03/2024", "COFFEE BEANS 2 x 18.50", "TOTAL RM 37.00")
CHINESE_LINES = ("增值税专用发票", "购买方名称 上海示例有限公司", "价税合计 壹佰贰拾元整")


def font(kind: str, size: int) -> ImageFont.FreeTypeFont:
    try:
        path = font_path(kind)
    except MissingFont as exc:
        pytest.fail(f"{exc} (CI installs it)", pytrace=False)
    return ImageFont.truetype(str(path), size)


def text_page(lines=RECEIPT_LINES, kind: str = "latin", size: int = 30, width: int = 900) -> Image.Image:
    """White page with ``lines`` of black text, one under the other, with margins."""
    face = font(kind, size)
    page = Image.new("RGB", (width, 80 + int(len(lines) * size * 1.8)), "white")
    draw = ImageDraw.Draw(page)
    for index, line in enumerate(lines):
        draw.text((60, 40 + int(index * size * 1.8)), line, fill="black", font=face)
    return page


def noisy_jpeg(page: Image.Image, quality: int = 35, seed: int = 7) -> bytes:
    """The page with speckles, saved as a rough JPEG, as a cheap phone or fax would."""
    speckled = page.copy()
    pixels, rng = speckled.load(), random.Random(seed)
    for _ in range(page.width * page.height // 60):
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        pixels[x, y] = (rng.randrange(120, 256),) * 3
    return encoded(speckled, "JPEG", quality=quality)


def encoded(page: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    page.save(buffer, fmt, **options)
    return buffer.getvalue()
