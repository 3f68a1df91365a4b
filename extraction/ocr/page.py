"""OCR of one page image, the same for every engine: find the lines, turn and level the page until they run
upright, read them, and split them into words with boxes on the upright page."""

from __future__ import annotations

import math
from dataclasses import replace

import cv2
import numpy as np
from PIL import Image

from extraction.model import Word
from extraction.ocr.engines import Recognized, TextModels
from extraction.ocr.geometry import Quad, bounds, is_sideways, skew_degrees, turned_half
from extraction.ocr.orientation import Orientation, level
from extraction.ocr.result import OcrPage
from extraction.ocr.words import line_words

MIN_SKEW = 1.0
"""Lines sloping less than this (degrees) are read as they are: each line is cut out along its own slope."""
ORIENTATION_SAMPLE = 20
"""The longest lines asked whether they stand upside down."""
MIN_CONFIDENCE = 0.5
"""Lines read with less confidence are dropped as noise."""


def read_page(engine: TextModels, image: Image.Image) -> OcrPage:
    """Read one page image (any orientation) with ``engine``."""
    image, pixels, orientation, quads = _upright_lines(engine, image.convert("RGB"))
    crops = [_crop(pixels, quad) for quad in quads]
    if _mostly_upside_down(engine, crops):
        orientation = replace(orientation, half_turn=True)
        image = image.transpose(Image.Transpose.ROTATE_180)
        quads = [turned_half(quad, image.width, image.height) for quad in reversed(quads)]  # top to bottom again
        crops = [np.ascontiguousarray(crop[::-1, ::-1]) for crop in reversed(crops)]
    lines = engine.recognize(crops) if crops else []
    return OcrPage(_words(quads, lines, image.size), orientation, image.width, image.height)


def _upright_lines(engine: TextModels, image: Image.Image) -> tuple[Image.Image, np.ndarray, Orientation, list[Quad]]:
    """The page turned a quarter and levelled where its lines say so, its pixels, and the lines found on it."""
    pixels = _pixels(image)
    quarter_turn, quads = False, engine.detect(pixels)
    if is_sideways(quads):
        quarter_turn, image = True, image.transpose(Image.Transpose.ROTATE_270)
        pixels = _pixels(image)
        quads = engine.detect(pixels)
    skew = skew_degrees(quads)
    if abs(skew) < MIN_SKEW:
        return image, pixels, Orientation(quarter_turn), quads
    image = level(image, skew)
    pixels = _pixels(image)
    return image, pixels, Orientation(quarter_turn, skew), engine.detect(pixels)


def _mostly_upside_down(engine: TextModels, crops: list[np.ndarray]) -> bool:
    longest = sorted(crops, key=lambda crop: crop.shape[1], reverse=True)[:ORIENTATION_SAMPLE]
    votes = engine.upside_down(longest) if longest else []
    return sum(votes) > len(votes) / 2


def _pixels(image: Image.Image) -> np.ndarray:
    """The BGR array the models expect."""
    return np.ascontiguousarray(np.asarray(image)[:, :, ::-1])


def _crop(pixels: np.ndarray, quad: Quad) -> np.ndarray:
    """The line cut out along its own slope, as a level strip."""
    width = max(1, math.ceil(max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3]))))
    height = max(1, math.ceil(max(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1]))))
    target = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    transform = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    return cv2.warpPerspective(pixels, transform, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)


def _line_height(quad: Quad) -> float:
    return float(np.linalg.norm(quad[3] - quad[0]))


def _words(quads: list[Quad], lines: list[Recognized], size: tuple[int, int]) -> tuple[Word, ...]:
    width, height = size
    words: list[Word] = []
    for quad, line in zip(quads, lines, strict=True):
        if line.confidence >= MIN_CONFIDENCE and line.text.strip():
            x0, y0, x1, y1 = bounds(quad)
            box = (max(0.0, x0 / width), max(0.0, y0 / height), min(1.0, x1 / width), min(1.0, y1 / height))
            words.extend(line_words(line.text, box, line.confidence, size=_line_height(quad)))
    return tuple(words)
