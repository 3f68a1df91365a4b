"""Learned classification and field extraction: MiniLM sentence embeddings, candidate features and small trained
models shipped in ``extraction/trained/``."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def preload_models(threads: int = 1) -> None:
    """Load the encoder and the shipped models once, in a worker before its first job (each job's horse is forked
    from the worker and starts with what it holds), so no job pays for loading them; inference then runs on
    ``threads`` threads (one per worker: workers are one per core, and a single thread never starts the thread pool
    a forked horse could not use)."""
    import torch

    from extraction.classify import warm_up
    from extraction.learned.category import category_embeddings
    from extraction.learned.contracts import contract_model
    from extraction.learned.layout_fields import shipped_model
    from extraction.learned.line_items import shipped_model as line_model

    torch.set_num_threads(threads)
    warm_up()
    shipped_model()
    line_model()
    contract_model()
    category_embeddings()
