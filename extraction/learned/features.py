"""What the field model sees of each candidate: its kind, where it stands on the page, what its text looks like,
how its value compares with the document's other values, the words around it (the labels: hashed, so
Chinese labels count as much as English ones) and the MiniLM embeddings of its line and the line above."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from core.embeddings import DIMENSIONS
from extraction.learned.candidates import KINDS, Candidate
from extraction.model import Line

HASH_BUCKETS = 256
"""Buckets per context (left of the value on its line, the line above, the line below, the value itself)."""
CONTEXTS = ("left", "above", "below", "own")
DOC_TYPES = ("invoice", "receipt", "expense_claim")
"""The types whose fields the layout model reads (the type is one of its features)."""
TOKEN = re.compile(r"[A-Za-z]+|\d+|[\u4e00-\u9fff]|[^\sA-Za-z\d\u4e00-\u9fff]")
SHAPE_FEATURES = 30


@dataclass(frozen=True)
class DocumentView:
    """The document-wide facts a candidate is compared with, computed once per document."""

    lines: list[Line]
    doc_type: str
    amounts: list[float]
    value_counts: Counter
    median_height: float
    pages: int


def document_view(lines: list[Line], doc_type: str, found: list[Candidate]) -> DocumentView:
    amounts = sorted((float(c.value) for c in found if c.kind == "amount"), reverse=True)
    heights = sorted(w.bbox[3] - w.bbox[1] for line in lines for w in line.words) or [0.01]
    return DocumentView(lines, doc_type, amounts, Counter((c.kind, c.value) for c in found),
                        heights[len(heights) // 2], max((line.page for line in lines), default=1))


def feature_count() -> int:
    return len(KINDS) + len(DOC_TYPES) + SHAPE_FEATURES + len(CONTEXTS) * HASH_BUCKETS + 2 * DIMENSIONS


def feature_matrix(found: list[Candidate], view: DocumentView, line_embeddings: np.ndarray) -> np.ndarray:
    """One row per candidate (``feature_count()`` columns); ``line_embeddings`` has one row per line."""
    rows = np.zeros((len(found), feature_count()), dtype=np.float32)
    for row, candidate in enumerate(found):
        rows[row] = candidate_features(candidate, view, line_embeddings)
    return rows


def candidate_features(candidate: Candidate, view: DocumentView, line_embeddings: np.ndarray) -> np.ndarray:
    parts = [_one_hot(KINDS, candidate.kind), _one_hot(DOC_TYPES, view.doc_type),
             _shape(candidate, view), *(hashed_words(text) for text in _contexts(candidate, view.lines)),
             _own_embedding(candidate, line_embeddings), _above_embedding(candidate, line_embeddings)]
    return np.concatenate(parts)


def _one_hot(names: tuple[str, ...], name: str) -> np.ndarray:
    vector = np.zeros(len(names), dtype=np.float32)
    if name in names:
        vector[names.index(name)] = 1.0
    return vector


def _shape(candidate: Candidate, view: DocumentView) -> np.ndarray:
    """Position, size and the look of the value, and how it ranks among the document's values."""
    x0, y0, x1, y1 = candidate.bbox
    text = candidate.value
    line_count = max(len(view.lines), 1)
    values = [
        x0, y0, x1, y1, x1 - x0, y1 - y0, (x0 + x1) / 2,
        (candidate.page - 1) / max(view.pages - 1, 1), float(candidate.page == 1), float(candidate.page == view.pages),
        candidate.line_index / line_count, (line_count - candidate.line_index) / line_count,
        min(candidate.line_index, 10) / 10, min(line_count - 1 - candidate.line_index, 10) / 10,
        _word_height(candidate) / view.median_height, candidate.line_count / 4,
        min(len(text), 80) / 80, min(len(candidate.words), 12) / 12,
        _share(text, str.isdigit), _share(text, str.isupper), _share(text, str.isalpha),
        _share(text, lambda ch: "\u4e00" <= ch <= "\u9fff"), float(":" in candidate.text or "：" in candidate.text),
        min(view.value_counts[(candidate.kind, text)], 5) / 5,
        *_amount_rank(candidate, view),
        float(candidate.line_index + candidate.line_count >= line_count), float(candidate.line_index == 0),
    ]
    return np.asarray(values, dtype=np.float32)


def _word_height(candidate: Candidate) -> float:
    return max(w.bbox[3] - w.bbox[1] for w in candidate.words)


def _share(text: str, test) -> float:
    return sum(map(test, text)) / max(len(text), 1)


def _amount_rank(candidate: Candidate, view: DocumentView) -> tuple[float, float, float, float]:
    """For an amount: log size, whether it is the largest, its rank from the top, and its share of the largest."""
    if candidate.kind != "amount" or not view.amounts:
        return 0.0, 0.0, 0.0, 0.0
    amount = float(candidate.value)
    rank = sum(other > amount for other in view.amounts)
    largest = view.amounts[0] or 1.0
    return (math.log10(abs(amount) + 1) / 6, float(rank == 0), min(rank, 10) / 10,
            max(min(amount / largest, 1.0), -1.0))


def _contexts(candidate: Candidate, lines: list[Line]) -> tuple[str, str, str, str]:
    """The text left of the candidate on its line, the line above, the line below, and the candidate's own."""
    line = lines[candidate.line_index]
    first = candidate.words[0]
    left = " ".join(w.text for w in line.words if w.bbox[2] <= first.bbox[0] + 1e-6 and w is not first)
    above = lines[candidate.line_index - 1].text if candidate.line_index > 0 else ""
    last_line = candidate.line_index + candidate.line_count
    below = lines[last_line].text if last_line < len(lines) else ""
    return left, above, below, candidate.text


@lru_cache(maxsize=8192)
def hashed_words(text: str) -> np.ndarray:
    """Counts of the text's lower-cased tokens (Latin words, numbers as their length, single CJK characters and
    CJK pairs) in ``HASH_BUCKETS`` buckets, scaled to length one."""
    vector = np.zeros(HASH_BUCKETS, dtype=np.float32)
    for token in _tokens(text):
        vector[_bucket(token)] += 1.0
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _tokens(text: str) -> list[str]:
    raw = [t.lower() if not t.isdigit() else f"#{len(t)}" for t in TOKEN.findall(text)]
    cjk_pairs = [a + b for a, b in zip(raw, raw[1:]) if _is_cjk(a) and _is_cjk(b)]
    return raw + cjk_pairs


def _is_cjk(token: str) -> bool:
    return len(token) == 1 and "\u4e00" <= token <= "\u9fff"


@lru_cache(maxsize=65536)
def _bucket(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=4).digest(), "big") % HASH_BUCKETS


def _own_embedding(candidate: Candidate, line_embeddings: np.ndarray) -> np.ndarray:
    rows = line_embeddings[candidate.line_index:candidate.line_index + candidate.line_count]
    return rows.mean(axis=0)


def _above_embedding(candidate: Candidate, line_embeddings: np.ndarray) -> np.ndarray:
    if candidate.line_index == 0:
        return np.zeros(DIMENSIONS, dtype=np.float32)
    return line_embeddings[candidate.line_index - 1]
