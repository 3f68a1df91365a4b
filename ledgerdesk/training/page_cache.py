"""The words of corpus files, read once and kept: training reads the same receipts many times, and OCR of a
few hundred photos takes minutes.

The cache lives under ``var/cache/pages/<engine>/`` keyed by the file's SHA-256, so a changed file is read again
and nothing in it depends on where the corpus is. Pages are read exactly as the workers read them (same limits,
same engine)."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from extraction.model import PageText, word_from_json, word_json
from extraction.reading import PageReader, read_document
from intake.sniff import sniff_media_type
from ledgerdesk.evaluation.runner import read_limits

CACHE_VERSION = 1


class PageCache:
    """Pages of files read with one engine (``reader`` None: text layers only), kept in ``folder``."""

    def __init__(self, folder: Path, engine: str, reader: PageReader | None):
        self.folder, self.engine, self.reader = folder / engine, engine, reader
        self.folder.mkdir(parents=True, exist_ok=True)

    def pages(self, path: Path) -> list[PageText]:
        """The pages of the file at ``path``: from the cache, else read now and kept."""
        data = path.read_bytes()
        entry = self.folder / f"{hashlib.sha256(data).hexdigest()}.json"
        if entry.exists():
            return pages_from_json(json.loads(entry.read_text("utf-8")))
        kept = pages_json(read_pages(data, self.reader))
        entry.write_text(json.dumps(kept, ensure_ascii=False), "utf-8")
        return pages_from_json(kept)  # as kept (boxes rounded): a first run trains on what the next ones read


def read_pages(data: bytes, reader: PageReader | None) -> list[PageText]:
    """A file's pages with their words, read with the workers' limits."""
    media_type = sniff_media_type(io.BytesIO(data))
    return [page.text for page in read_document(data, media_type, read_limits(), reader)]


def pages_json(pages: list[PageText]) -> dict:
    return {"version": CACHE_VERSION, "pages": [
        {"number": p.number, "width": p.width, "height": p.height, "source": p.source,
         "words": [word_json(w) for w in p.words]} for p in pages]}


def pages_from_json(data: dict) -> list[PageText]:
    return [PageText(p["number"], p["width"], p["height"], p["source"], tuple(map(word_from_json, p["words"])))
            for p in data["pages"]]


def lazy_ocr_reader(engine: str) -> PageReader:
    """A page reader for ``engine`` that loads the engine on the first page it is given (a warm cache needs none)."""
    loaded: list[PageReader] = []

    def read(image):
        if not loaded:
            from ledgerdesk.evaluation.runner import Stopwatch, load_timed_engine

            found = load_timed_engine(engine, Stopwatch())
            if found.reader is None:
                raise RuntimeError(f"OCR engine {engine} could not be loaded: {found.error}")
            loaded.append(found.reader)
        return loaded[0](image)
    return read


class EmbeddingCache:
    """Embeddings of texts (a contract's sentences, a page's lines) kept on disk between training runs: encoding is
    most of a run's time, and the texts do not change when the features around them do."""

    def __init__(self, folder: Path, encode: Callable[[Sequence[str]], np.ndarray]):
        self.folder, self._encode = folder, encode
        self.folder.mkdir(parents=True, exist_ok=True)
        keys_file, vectors_file = folder / "keys.json", folder / "vectors.npy"
        self.keys: list[str] = json.loads(keys_file.read_text("utf-8")) if keys_file.exists() else []
        self.vectors = np.load(vectors_file) if vectors_file.exists() else np.zeros((0, 384), np.float32)
        self.index = {key: row for row, key in enumerate(self.keys)}
        self._new_keys: list[str] = []
        self._new_vectors: list[np.ndarray] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """``texts`` embedded, each from the cache or encoded now."""
        missing = [t for t in dict.fromkeys(texts) if t not in self.index]
        if missing:
            encoded = self._encode(missing)
            for text, vector in zip(missing, encoded):
                self.index[text] = len(self.keys) + len(self._new_keys)
                self._new_keys.append(text)
                self._new_vectors.append(vector)
        return np.stack([self._vector(self.index[t]) for t in texts])

    def _vector(self, row: int) -> np.ndarray:
        return self.vectors[row] if row < len(self.keys) else self._new_vectors[row - len(self.keys)]

    def save(self) -> None:
        if not self._new_keys:
            return
        self.keys += self._new_keys
        self.vectors = np.concatenate([self.vectors, np.stack(self._new_vectors)])
        self._new_keys, self._new_vectors = [], []
        (self.folder / "keys.json").write_text(json.dumps(self.keys, ensure_ascii=False), "utf-8")
        np.save(self.folder / "vectors.npy", self.vectors)
