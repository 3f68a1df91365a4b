"""``ledgerdesk train classifier`` and ``ledgerdesk eval classify``: a model retrained from a small generated set
is written to the model folder, and from then on it is the one that classifies."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from core.settings import get_settings
from extraction.classify import MODEL_FILE, SHIPPED_MODEL, classify, model_path, shared_classifier
from ledgerdesk.cli import main
from ledgerdesk.training.page_cache import read_pages
from ledgerdesk.training.synthetic import synthetic_documents


@pytest.fixture
def model_dir(tmp_path, monkeypatch):
    """A model folder of the test's own; the shipped model is back in charge afterwards."""
    folder = tmp_path / "models"
    monkeypatch.setenv("LEDGERDESK_MODEL_DIR", str(folder))
    get_settings.cache_clear()
    shared_classifier.cache_clear()
    yield folder
    monkeypatch.delenv("LEDGERDESK_MODEL_DIR")
    get_settings.cache_clear()
    shared_classifier.cache_clear()


def test_a_retrained_model_is_written_and_then_wins(model_dir):
    assert model_path() == SHIPPED_MODEL
    result = CliRunner().invoke(main, ["train", "classifier", "--synthetic", "30", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "training on 60 x" in result.output and "saved" in result.output  # each also cut to its head
    assert model_path() == model_dir / MODEL_FILE
    model = shared_classifier()
    assert model.info["path"] == str(model_dir / MODEL_FILE) and model.info["seed"] == 3
    assert model.info["origins"] == {"synthetic": 30, "synthetic:head": 30}
    invoice = next(synthetic_documents(1, seed=5, doc_types=("invoice",), languages=("en",)))
    assert classify(read_pages(invoice.pdf, None)).doc_type in model.doc_types


def test_training_with_nothing_to_learn_from_is_a_usage_error(model_dir):
    result = CliRunner().invoke(main, ["train", "classifier", "--synthetic", "0"])
    assert result.exit_code == 2 and "no training documents" in result.output
    assert not (model_dir / MODEL_FILE).exists()


def test_eval_classify_prints_accuracy_confusion_and_per_type_tables(tmp_path):
    root = tmp_path / "corpora"
    for folder, doc_type in (("contracts_nda/pdf", "contract"), ("einvoice/mine", "invoice")):
        made = next(synthetic_documents(1, seed=11, doc_types=(doc_type,), languages=("en",)))
        (root / folder).mkdir(parents=True)
        (root / folder / f"{doc_type}.pdf").write_bytes(made.pdf)
    result = CliRunner().invoke(main, ["eval", "classify", str(root), "--split", "all", "--engine", "none",
                                       "--cache", str(tmp_path / "cache"), "--synthetic", "6"])
    assert result.exit_code == 0, result.output
    corpora, generated = result.stdout.split("generated documents: 6 (seed")
    assert "documents 2, accuracy 1.000" in corpora
    assert "documents 6, accuracy" in generated
    assert "confusion (rows: expected, columns: predicted)" in result.stdout
    rows = {line.split()[0]: line.split()[1:] for line in corpora.splitlines() if line.strip()}
    assert rows["contract"][-3:] == ["1.000", "1.000", "1.000"]
    assert list((tmp_path / "cache" / "none").glob("*.json"))
