"""``ledgerdesk eval classify``: document types over a mixed folder of corpora, each subfolder of one type.

The corpora folder (``~/data/corpora``) holds receipts (SROIE photos), contracts (Kleister NDA PDFs),
invoices (the e-invoice PDFs, read from their pages, not their XML; the Chinese OFD invoices). Its bank
statements (MT940, CAMT, OFX) are data files, not documents a person reads, so they are not classified here.
The words of each file come from a cache keyed by the file's hash (``ledgerdesk.training.page_cache``), read as
the workers read them: text layers, and OCR for photos and PDFs without text. Training (``ledgerdesk train
classifier``) reads the same list and takes the files that are not held out."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extraction.model import PageText
from ledgerdesk.evaluation.corpora import IMAGE_SUFFIXES
from ledgerdesk.evaluation.metrics import median, percentile, ratio
from ledgerdesk.evaluation.runner import NO_OCR
from ledgerdesk.evaluation.split import choose

TYPED_FOLDERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("sroie/img", "receipt", tuple(IMAGE_SUFFIXES)),
    ("contracts_nda/pdf", "contract", (".pdf",)),
    ("einvoice", "invoice", (".pdf",)),
    ("cn_ofd", "invoice", (".ofd",)),
)
"""Subfolder of the corpora, the type of every document in it, and the files that are documents."""
NOT_AN_INVOICE = re.compile(r"ORDER-X|veraPDF", re.IGNORECASE)
"""Files among the e-invoices that are no invoice: Order-X purchase orders, veraPDF's PDF/A test pages."""


@dataclass(frozen=True)
class TypedFile:
    path: Path
    doc_type: str

    @property
    def name(self) -> str:
        return self.path.name


def typed_files(root: Path) -> list[TypedFile]:
    """Every document of the known subfolders of ``root`` with its expected type, in a fixed order."""
    found = []
    for folder, doc_type, suffixes in TYPED_FOLDERS:
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else []:
            if path.is_file() and path.suffix.lower() in suffixes:
                found.append(TypedFile(path, "other" if NOT_AN_INVOICE.search(path.name) else doc_type))
    return found


class CorpusWords:
    """The pages of corpus files from the page cache: text layers read without OCR; images, and PDFs whose
    text layer is empty, read by the OCR engine ``engine`` (loaded only when a file is not cached yet)."""

    def __init__(self, cache_dir: Path, engine: str):
        from ledgerdesk.training.page_cache import PageCache, lazy_ocr_reader

        self._text = PageCache(cache_dir, NO_OCR, None)
        self._ocr = PageCache(cache_dir, engine, lazy_ocr_reader(engine)) if engine != NO_OCR else None

    def pages(self, path: Path) -> list[PageText]:
        if path.suffix.lower() in IMAGE_SUFFIXES:
            return self._ocr.pages(path) if self._ocr else []
        pages = self._text.pages(path)
        if self._ocr and not any(page.words for page in pages):
            return self._ocr.pages(path)
        return pages


def read_typed(files: Sequence[TypedFile], words: CorpusWords,
               progress: Callable[[int], None] = lambda done: None) -> tuple[list[tuple[TypedFile, list[PageText]]],
                                                                            list[tuple[str, str]]]:
    """Each file's pages; a file that cannot be read is listed with its reason instead."""
    read, failed = [], []
    for typed in files:
        try:
            read.append((typed, words.pages(typed.path)))
        except Exception as exc:  # a broken file is a finding; the others go on
            failed.append((typed.name, f"{type(exc).__name__}: {exc}"))
        progress(1)
    return read, failed


@dataclass
class TypeScores:
    """What the classifier made of labelled documents."""

    confusion: dict[str, Counter] = field(default_factory=dict)
    """Expected type -> predicted type -> documents."""
    seconds: list[float] = field(default_factory=list)
    wrong: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(file, expected, predicted, evidence) of each mistake."""
    failed: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str, expected: str, predicted: str, evidence: str, seconds: float) -> None:
        self.confusion.setdefault(expected, Counter())[predicted] += 1
        self.seconds.append(seconds)
        if predicted != expected:
            self.wrong.append((name, expected, predicted, evidence))

    @property
    def documents(self) -> int:
        return sum(sum(row.values()) for row in self.confusion.values())

    @property
    def accuracy(self) -> float | None:
        return ratio(sum(row[t] for t, row in self.confusion.items()), self.documents)

    def types(self) -> list[str]:
        return sorted({t for row in self.confusion.values() for t in row} | set(self.confusion))

    def precision(self, doc_type: str) -> float | None:
        return ratio(self.confusion.get(doc_type, Counter())[doc_type],
                     sum(row[doc_type] for row in self.confusion.values()))

    def recall(self, doc_type: str) -> float | None:
        row = self.confusion.get(doc_type, Counter())
        return ratio(row[doc_type], sum(row.values()))


def score_types(read: Sequence[tuple[TypedFile, list[PageText]]],
                progress: Callable[[int], None] = lambda done: None) -> TypeScores:
    """Every document classified one at a time (as a worker does), timed."""
    from extraction.classify import classify, warm_up

    scores = TypeScores()
    warm_up()
    for typed, pages in read:
        started = time.perf_counter()
        found = classify(pages)
        scores.add(typed.name, typed.doc_type, found.doc_type, found.evidence, time.perf_counter() - started)
        progress(1)
    return scores


def generated_documents(count: int, seed: int) -> list[tuple[TypedFile, list[PageText]]]:
    """``count`` generated documents of every type and language (``seed`` other than training's), read from their
    text layers; each stands in as a file named after its type, language and layout."""
    import logging

    from ledgerdesk.training.page_cache import read_pages
    from ledgerdesk.training.synthetic import ALL_TYPES, synthetic_documents

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    made = synthetic_documents(count, seed=seed, doc_types=ALL_TYPES, languages=("en", "zh", "de"))
    return [(TypedFile(Path(f"{index:04d}-{d.language}-{d.layout.replace('/', '-')}"), d.doc_type),
             read_pages(d.pdf, None)) for index, d in enumerate(made)]


def chosen_files(root: Path, split: str, limit: int | None) -> tuple[list[TypedFile], int]:
    """The files of ``split`` (cut to ``limit`` per type, the first by name), and how many there were in all."""
    files = typed_files(root)
    in_split = choose(files, [f.name for f in files], split)
    if limit is None:
        return in_split, len(files)
    taken: Counter = Counter()
    kept = []
    for typed in in_split:
        taken[typed.doc_type] += 1
        if taken[typed.doc_type] <= limit:
            kept.append(typed)
    return kept, len(files)


def timing_text(seconds: Sequence[float]) -> str:
    if not seconds:
        return "no documents classified"
    return (f"classification time per document (features, model, evidence; words already read): "
            f"median {1000 * median(seconds):.0f} ms, p95 {1000 * percentile(seconds, 95):.0f} ms")
