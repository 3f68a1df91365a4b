"""ledgerdesk.training.line_items: lines labelled from a document's known items, and `train line-items` from
generated documents alone (no corpora) writing a model that loads and reads items, the same for the same seed."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from extraction.layout import document_lines
from extraction.learned.line_items import extract_line_items
from extraction.learned.line_model import CONTINUATION, HEADER, OTHER, START, load_line_model
from extraction.learned.scorer import TrainingOptions
from ledgerdesk.cli import main
from ledgerdesk.training.line_items import item_line_labels, train_line_items
from ledgerdesk.training.synthetic import synthetic_document
from tests.helpers import pdf_pages


def labelled(doc_type: str, seed: int, language: str):
    generated = synthetic_document(doc_type, seed, language)
    lines = document_lines(pdf_pages(generated.pdf))
    return generated, lines, item_line_labels(lines, generated.line_items)


def test_an_invoice_table_gives_its_header_its_rows_and_a_wrapped_descriptions_second_line():
    generated, lines, labels = labelled("invoice", 91001, "en")
    header = labels.index(HEADER)
    assert "Qty" in lines[header].text or "Quantity" in lines[header].text or "Unit" in lines[header].text
    assert labels.count(START) == len(generated.line_items)
    wrapped = labels.index(CONTINUATION)
    assert labels[wrapped - 1] == START and lines[wrapped].text in generated.line_items[
        labels[:wrapped].count(START) - 1]["description"]


def test_a_receipts_article_starts_its_item_and_the_quantity_line_below_continues_it():
    generated, lines, labels = labelled("receipt", 8, "en")
    assert generated.layout == "receipt/roll-80mm-my"
    starts = [lines[i].text for i, label in enumerate(labels) if label == START]
    assert starts == [item["description"] for item in generated.line_items]
    assert all(labels[i + 1] == CONTINUATION and " x " in lines[i + 1].text for i, label in enumerate(labels)
               if label == START)
    assert labels[0] == OTHER and HEADER not in labels


def test_items_not_on_the_page_leave_the_document_unlabelled():
    generated, lines, _ = labelled("receipt", 8, "en")
    assert item_line_labels(lines, [{"description": "Pallet of bricks", "amount": "999.99"}]) is None


def test_training_from_generated_documents_writes_a_model_that_reads_items(tmp_path: Path):
    said = []
    out = tmp_path / "items.safetensors"
    train_line_items(None, out, cache=tmp_path / "cache", synthetic=15, options=TrainingOptions(epochs=3),
                     progress=said.append)
    model = load_line_model(out)
    assert (model.info["trained_on"], model.info["calibrated_on"], model.info["real"]) == (12, 3, 0)
    assert any("training on 12 documents" in line for line in said)
    generated = synthetic_document("invoice", 91004, "de")
    items = extract_line_items(document_lines(pdf_pages(generated.pdf)), "invoice", model)
    assert all(0 < item["confidence"] <= 1 and item["evidence"] for item in items)
    again = tmp_path / "again.safetensors"
    result = CliRunner().invoke(main, ["train", "line-items", "--synthetic", "15", "--epochs", "3", "--out",
                                       str(again), "--cache", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    assert again.read_bytes() == out.read_bytes()
