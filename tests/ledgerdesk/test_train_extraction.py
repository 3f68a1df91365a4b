"""ledgerdesk.training.layout_fields: `train extraction` from generated documents alone (no corpora) writes a model
that loads and reads fields, and keeps the line embeddings for the next run."""

from __future__ import annotations

from pathlib import Path

from extraction.layout import document_lines
from extraction.learned.layout_fields import extract_layout_fields
from extraction.learned.scorer import TrainingOptions, load_scorer
from ledgerdesk.training.layout_fields import train_extraction
from ledgerdesk.training.page_cache import EmbeddingCache
from ledgerdesk.training.synthetic import synthetic_document
from tests.helpers import pdf_pages


def test_training_from_generated_documents_writes_a_model_that_reads_fields(tmp_path: Path):
    out, said = tmp_path / "layout.safetensors", []
    train_extraction(None, out, cache=tmp_path / "cache", synthetic=14, options=TrainingOptions(epochs=2),
                     progress=said.append)
    model = load_scorer(out)
    assert model.info["trained_on"] == 11 and model.info["calibrated_on"] == 3
    assert any("training on 11 documents" in line for line in said)
    generated = synthetic_document("invoice", 90020, "en")
    fields = extract_layout_fields(document_lines(pdf_pages(generated.pdf)), "invoice", model)
    assert fields and all(0 < f.confidence <= 1 and f.evidence for f in fields.values())
    assert EmbeddingCache(tmp_path / "cache" / "line_embeddings", lambda texts: None).keys
