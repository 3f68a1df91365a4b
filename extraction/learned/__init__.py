"""Learned classification and field extraction: MiniLM sentence embeddings, candidate features and small trained
models shipped in ``extraction/trained/``."""

from __future__ import annotations


def preload_models(threads: int = 1) -> None:
    """Load the encoder and the shipped models now, in a worker before it forks a horse per job, so no job pays
    for loading them; inference then runs on ``threads`` threads (one per worker: workers are one per core)."""
    import torch

    from extraction.learned.encoder import shared_encoder
    from extraction.learned.layout_fields import shipped_model

    torch.set_num_threads(threads)
    shared_encoder()
    shipped_model()
