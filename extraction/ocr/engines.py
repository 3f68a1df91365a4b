"""The one interface every OCR engine offers, and the registry that loads one by name.

An engine is three models, each called with plain numpy images (BGR, uint8, as OpenCV reads them): a text
detector, a classifier that tells an upside-down line, and a recognizer. What is done with them (turning the page, straightening it,
splitting lines into words) is ours and the same for every engine (``extraction.ocr.page``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from core.settings import get_settings

if TYPE_CHECKING:  # numpy is loaded with an engine, not by every process that only names one
    import numpy as np

    from extraction.ocr.geometry import Quad


class EngineUnavailable(RuntimeError):
    """The engine named in the settings cannot be loaded (not installed, or its model files missing)."""


@dataclass(frozen=True)
class EngineOptions:
    name: str = "rapidocr"
    threads: int = 2
    """CPU threads one engine uses for one page."""
    detection_side: int = 960
    """The longest side, in pixels, at which text is looked for (recognition reads the full-size crops)."""


@dataclass(frozen=True)
class Recognized:
    text: str
    confidence: float


class TextModels(Protocol):
    name: str

    def detect(self, image: np.ndarray) -> list[Quad]:
        """The boxes of text lines on the page, top to bottom."""

    def upside_down(self, crops: Sequence[np.ndarray]) -> list[bool]:
        """For each line image: is it upside down?"""

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        """The text of each line image."""


def _rapidocr(options: EngineOptions) -> TextModels:
    from extraction.ocr.rapid import RapidModels
    return RapidModels(options)


def _paddle(options: EngineOptions) -> TextModels:
    from extraction.ocr.paddle import PaddleModels
    return PaddleModels(options)


ENGINES: dict[str, Callable[[EngineOptions], TextModels]] = {"rapidocr": _rapidocr, "paddle": _paddle}
MEMORY_MB = {"rapidocr": 2048, "paddle": 4096}
"""What an engine's process needs at most, measured on receipts and A4 pages (paddle levels off near 3.8 GB)."""


@lru_cache(maxsize=2)
def load_engine(options: EngineOptions) -> TextModels:
    """The engine, loaded once per process and options."""
    if options.name not in ENGINES:
        raise EngineUnavailable(f"unknown OCR engine {options.name!r}; choose one of {', '.join(ENGINES)}")
    return ENGINES[options.name](options)


def memory_limit_mb(options: EngineOptions) -> int:
    """The memory limit of a process that runs this engine: the setting, or the engine's own need."""
    return get_settings().ocr_memory_mb or MEMORY_MB.get(options.name, 2048)


def configured_options() -> EngineOptions | None:
    """The engine the settings name (None: OCR is switched off)."""
    settings = get_settings()
    if settings.ocr_engine == "none":
        return None
    threads = settings.ocr_threads or min(os.cpu_count() or 1, 4)
    return EngineOptions(settings.ocr_engine, threads, settings.ocr_detection_side)
