"""Document type from a document's pages: a small learned classifier over text embeddings, keywords (English,
German, French, Chinese), layout and character n-grams, explaining itself with the keywords it saw.

The model ships with the package (``extraction/trained/classifier.safetensors``); a retrained one in the
settings' model folder (``ledgerdesk train classifier``) wins. Both are loaded once per process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extraction.learned.doc_classifier import DocumentClassifier, load_classifier
from extraction.learned.doc_features import DocumentText, document_text, features, keyword_hits
from extraction.model import PageText
from models.document import DOC_TYPES

MODEL_FILE = "classifier.safetensors"
SHIPPED_MODEL = Path(__file__).parent / "trained" / MODEL_FILE
NO_TEXT_CONFIDENCE = 0.2
EVIDENCE_KEYWORDS = 4


@dataclass(frozen=True)
class Classification:
    doc_type: str
    confidence: float
    evidence: str


NO_TEXT = Classification("other", NO_TEXT_CONFIDENCE, "no text on the pages")


def classify(pages: Sequence[PageText], declared: str | None = None) -> Classification:
    """The most likely type of the document made of ``pages``; a declared type wins, a document without text is
    ``other`` with a low confidence."""
    if declared in DOC_TYPES:
        return Classification(declared, 1.0, "declared at upload")
    return classify_document(document_text(pages))


def classify_document(document: DocumentText) -> Classification:
    """The model's choice for one document's text and layout."""
    return classify_many([document])[0]


def classify_many(documents: Sequence[DocumentText]) -> list[Classification]:
    """The choice for each document, the ones with text in one batch through the encoder and the network."""
    from core.embeddings import shared_encoder

    with_text = [document for document in documents if has_text(document)]
    found = iter([])
    if with_text:
        model = shared_classifier()
        rows = model.probabilities(features(with_text, shared_encoder()))
        found = iter([_explained(document, model.doc_types, row) for document, row in zip(with_text, rows)])
    return [next(found) if has_text(document) else NO_TEXT for document in documents]


def has_text(document: DocumentText) -> bool:
    return any(line.strip() for line in document.lines)


def _explained(document: DocumentText, doc_types: Sequence[str], row) -> Classification:
    best = int(row.argmax())
    doc_type, probability = doc_types[best], round(float(row[best]), 3)
    hits = keyword_hits(document.text, doc_type)[:EVIDENCE_KEYWORDS]
    said = f"keywords: {', '.join(hits)}; " if hits else "no keywords of this type; "
    return Classification(doc_type, probability, f"{said}model p={probability}")


def model_path() -> Path:
    """The retrained model in the settings' model folder if there is one, else the shipped model."""
    from core.settings import get_settings

    retrained = get_settings().models_dir / MODEL_FILE
    return retrained if retrained.is_file() else SHIPPED_MODEL


def warm_up() -> None:
    """Load the encoder and the model now rather than on the first document."""
    from core.embeddings import shared_encoder

    shared_encoder()
    shared_classifier()


@lru_cache(maxsize=1)
def shared_classifier() -> DocumentClassifier:
    """The process's classifier, loaded on first use (``cache_clear()`` makes the next use look again)."""
    return load_classifier(model_path())
