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


def _confirmed_document(session, company, name: str, lines: list[str], types: list[tuple[str, str]]) -> None:
    """A document with one page of ``lines`` and an extraction per (kind, doc_type), versions in order."""
    from models.document import Document, Extraction, Page

    document = Document(company_id=company.id, filename=name, media_type="application/pdf", size_bytes=1,
                        sha256=name.ljust(64, "0"))
    session.add(document)
    session.flush()
    words = [{"text": line, "bbox": [0.1, 0.05 * (row + 1), 0.6, 0.05 * (row + 1) + 0.02], "confidence": 1.0}
             for row, line in enumerate(lines)]
    session.add(Page(company_id=company.id, document_id=document.id, number=1, width=595, height=842,
                     source="pdf_text", words=words))
    for version, (kind, doc_type) in enumerate(types, start=1):
        session.add(Extraction(company_id=company.id, document_id=document.id, version=version, kind=kind,
                               producer=kind, doc_type=doc_type))


def test_confirmed_documents_train_with_their_latest_human_type(model_dir, company):
    from core.db import transaction
    from ledgerdesk.training.classifier import confirmed_pages

    with transaction() as session:
        _confirmed_document(session, company, "a", ["Account statement", "Closing balance 10.00"],
                            [("machine", "invoice"), ("human", "bank_statement")])
        _confirmed_document(session, company, "b", ["Invoice 7"], [("machine", "invoice")])
        _confirmed_document(session, company, "c", ["Travel expenses", "Taxi 12.00"],
                            [("machine", "receipt"), ("human", "receipt"), ("human", "expense_claim")])
    with transaction(read_only=True) as session:
        found = confirmed_pages(session)
    assert sorted((pages[0].words[0].text, doc_type) for pages, doc_type in found) == [
        ("Account statement", "bank_statement"), ("Travel expenses", "expense_claim")]
    result = CliRunner().invoke(main, ["train", "classifier", "--from-db", "--synthetic", "0"])
    assert result.exit_code == 0, result.output
    assert "2 confirmed documents in the database" in result.output
    shared_classifier.cache_clear()
    assert shared_classifier().info["origins"] == {"database": 2}


def test_training_is_reproducible(tmp_path):
    from ledgerdesk.training.classifier import TrainingPlan, gather, train

    examples = gather(TrainingPlan(synthetic=6, seed=4), say=lambda line: None)
    for name in ("first", "second"):
        train(examples, seed=4, say=lambda line: None).save(tmp_path / name)
    assert (tmp_path / "first").read_bytes() == (tmp_path / "second").read_bytes()
