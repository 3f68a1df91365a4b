"""Each sample through the real pipeline, in this process, timed per stage.

Stages: ``read`` (decoding the file, its PDF text layer, drawing pages), ``ocr`` (pages without usable text,
read by the engine, which is loaded here once, never through a worker's OCR process) and ``extract``
(classification and fields). Inside ``ocr`` the engine's three models are timed too: ``detect``,
``orientation`` (the upside-down check) and ``recognize``. A file that fails is counted with its reason; the
run goes on."""

from __future__ import annotations

import io
import resource
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial

import numpy as np
from PIL import Image

from core.settings import get_settings
from extraction.layout import document_lines
from extraction.model import ExtractionResult, PageText
from extraction.ocr.engines import EngineOptions, Recognized, TextModels, configured_options, load_engine
from extraction.ocr.geometry import Quad
from extraction.ocr.page import OcrPage, read_page
from extraction.einvoice.model import StructuredInvoice
from extraction.einvoice.reader import read_einvoice
from extraction.pipeline import DocumentInput, analyse
from extraction.reading import PageReader, ReadLimits, read_document
from intake.sniff import sniff_media_type
from ledgerdesk.evaluation.corpora import Sample
from ledgerdesk.evaluation.metrics import Value

NO_OCR = "none"
"""The engine name that reads text layers only."""


class Stopwatch:
    """Seconds spent per stage, added up until the next ``lap``."""

    def __init__(self) -> None:
        self._seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self._seconds[stage] += time.perf_counter() - started

    def lap(self) -> dict[str, float]:
        """The seconds per stage since the last lap; starts the next one."""
        seconds, self._seconds = dict(self._seconds), defaultdict(float)
        return seconds


class TimedModels:
    """An OCR engine whose models report their time to a stopwatch; otherwise the engine itself."""

    def __init__(self, engine: TextModels, stopwatch: Stopwatch):
        self.name, self._engine, self._stopwatch = engine.name, engine, stopwatch

    def detect(self, image: np.ndarray) -> list[Quad]:
        with self._stopwatch.timing("detect"):
            return self._engine.detect(image)

    def upside_down(self, crops: Sequence[np.ndarray]) -> list[bool]:
        with self._stopwatch.timing("orientation"):
            return self._engine.upside_down(crops)

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        with self._stopwatch.timing("recognize"):
            return self._engine.recognize(crops)


def timed_reader(reader: PageReader, stopwatch: Stopwatch) -> PageReader:
    """``reader`` reporting each page's OCR time as the ``ocr`` stage."""
    def read(image: Image.Image) -> OcrPage:
        with stopwatch.timing("ocr"):
            return reader(image)
    return read


@dataclass(frozen=True)
class Engine:
    """An OCR engine ready to read pages (``reader`` None: text layers only), or why it could not be loaded."""

    name: str
    reader: PageReader | None
    load_seconds: float = 0.0
    error: str | None = None


def default_engine() -> str:
    """The engine the settings name (``none`` when OCR is switched off)."""
    options = configured_options()
    return options.name if options else NO_OCR


def load_timed_engine(name: str, stopwatch: Stopwatch) -> Engine:
    """The engine ``name`` with the configured threads and detection size, its models timed by ``stopwatch``;
    an engine that cannot load (not installed, models missing) comes back with the reason instead."""
    if name == NO_OCR:
        return Engine(name, None)
    options = replace(configured_options() or EngineOptions(), name=name)
    started = time.perf_counter()
    try:
        models = load_engine(options)
    except Exception as exc:  # any failure to load is a finding to report, not a reason to stop the others
        return Engine(name, None, time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
    reader = timed_reader(partial(read_page, TimedModels(models, stopwatch)), stopwatch)
    return Engine(name, reader, time.perf_counter() - started)


@dataclass
class Outcome:
    """What the pipeline made of one sample, and the seconds each stage took."""

    sample: Sample
    pages: int = 0
    ocr_pages: int = 0
    """Pages read by OCR (no usable text layer)."""
    seconds: dict[str, float] = field(default_factory=dict)
    doc_type: str | None = None
    fields: dict[str, Value] = field(default_factory=dict)
    """Every field the pipeline produced, by its canonical name."""
    confidences: dict[str, float] = field(default_factory=dict)
    """The confidence the pipeline gave each produced field."""
    tokens: list[str] | None = None
    """The words read, in reading order (kept for samples with a reference transcript)."""
    error: str | None = None
    structured_format: str | None = None
    """The e-invoice the file carried, as named to a person (``UBL (Peppol BIS Billing 3.0) invoice``)."""
    flags: tuple[str, ...] = ()
    """The rules behind every error or warning the pipeline raised (what sends a document to review)."""
    line_items: list[dict] = field(default_factory=list)
    """The line items (an expense claim's items) the pipeline read."""

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.get(stage, 0.0) for stage in ("read", "ocr", "extract"))


@dataclass
class EngineRun:
    """All samples read with one engine."""

    engine: str
    outcomes: list[Outcome]
    load_seconds: float = 0.0
    load_error: str | None = None
    peak_rss_mb: float = 0.0
    """The process's peak resident memory when this engine had finished (it includes earlier engines' runs)."""


def read_limits() -> ReadLimits:
    """The limits the workers read with (settings: pages, pixels, OCR resolution)."""
    settings = get_settings()
    return ReadLimits(max_pages=settings.max_pages, max_pixels=settings.max_image_pixels, ocr_dpi=settings.ocr_dpi)


def run_engines(samples: Sequence[Sample], engines: Sequence[str], *, extract: bool,
                progress: Callable[[int], None] = lambda done: None) -> list[EngineRun]:
    """Every sample with each engine in turn; ``progress`` is told how many samples each step finished."""
    return [run_engine(samples, name, extract=extract, progress=progress) for name in engines]


def run_engine(samples: Sequence[Sample], name: str, *, extract: bool,
               progress: Callable[[int], None] = lambda done: None) -> EngineRun:
    """Every sample read with the engine ``name`` (and classified and extracted when ``extract``)."""
    stopwatch = Stopwatch()
    engine = load_timed_engine(name, stopwatch)
    if engine.error:
        progress(len(samples))
        return EngineRun(name, [], engine.load_seconds, engine.error, peak_rss_mb())
    limits, today, outcomes = read_limits(), date.today(), []
    for sample in samples:
        outcomes.append(run_sample(sample, engine.reader, limits, stopwatch, extract=extract, today=today))
        progress(1)
    return EngineRun(name, outcomes, engine.load_seconds, None, peak_rss_mb())


def run_sample(sample: Sample, reader: PageReader | None, limits: ReadLimits, stopwatch: Stopwatch, *,
               extract: bool, today: date) -> Outcome:
    """One file read (and extracted), its stages timed; any failure is kept as the outcome's ``error``."""
    stopwatch.lap()
    try:
        data = sample.path.read_bytes()
        media_type = sniff_media_type(io.BytesIO(data))
        with stopwatch.timing("read"):
            structured = StructuredInvoice() if sample.pages_only else read_einvoice(data, media_type)
            ocr = None if structured.einvoice else reader
            pages = [page.text for page in read_document(data, media_type, limits, ocr)]
        result = None
        if extract:
            with stopwatch.timing("extract"):
                result = analyse(pages, DocumentInput(sample.name, "eval", "", media_type, None), today=today,
                                 structured=structured)
    except Exception as exc:  # the file's failure is a finding; the run goes on with the next
        return Outcome(sample, seconds=_stage_seconds(stopwatch.lap()), error=f"{type(exc).__name__}: {exc}")
    outcome = _outcome(sample, pages, result, _stage_seconds(stopwatch.lap()))
    outcome.structured_format = structured.einvoice.description if structured.einvoice else None
    return outcome


def _outcome(sample: Sample, pages: list[PageText], result: ExtractionResult | None,
             seconds: dict[str, float]) -> Outcome:
    tokens = None
    if sample.reference_tokens is not None:
        tokens = [word.text for line in document_lines(pages) for word in line.words]
    outcome = Outcome(sample, len(pages), sum(page.source == "ocr" for page in pages), seconds, tokens=tokens)
    if result is not None:
        outcome.doc_type = result.doc_type
        produced = {name: found for name, found in result.fields.items() if found.value is not None}
        outcome.fields = {name: _plain_value(found.value) for name, found in produced.items()}
        outcome.confidences = {name: found.confidence for name, found in produced.items()}
        outcome.flags = tuple(issue.rule for issue in result.issues if issue.severity in ("error", "warning"))
        outcome.line_items = result.line_items
    return outcome


def _plain_value(value: object) -> Value:
    return tuple(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def _stage_seconds(lap: dict[str, float]) -> dict[str, float]:
    """The lap with OCR taken out of ``read`` (reading calls OCR for pages without usable text)."""
    seconds = dict(lap)
    seconds["read"] = max(0.0, seconds.get("read", 0.0) - seconds.get("ocr", 0.0))
    return seconds


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
