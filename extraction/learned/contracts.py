"""A contract's fields (DESIGN.md section 5) chosen by the learned chooser among the candidates in its text.

``extract_contract_fields`` finds candidates (``contract_candidates``), describes each (``contract_features``) and
lets the shipped model (``extraction/trained/contract_fields.safetensors``, loaded once per process) pick, per
field, the candidate that holds it or none; ``parties`` takes every name likely enough. Each field keeps the page,
box and sentence of the candidate it came from. Training lives in ``ledgerdesk/training/contracts.py``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.embeddings import Encode, shared_encoder
from extraction.learned.contract_candidates import KINDS, Candidate, currency_of, find_candidates
from extraction.learned.contract_features import feature_rows
from extraction.learned.document_text import DocumentText, Span, document_text
from extraction.learned.scorer import Choice, FieldScorer, ScoredDocument, ScorerSpec, load_scorer
from extraction.model import ExtractedField, Line

PRODUCER = "contract-fields/1"
MODEL_PATH = Path(__file__).resolve().parent.parent / "trained" / "contract_fields.safetensors"
FIELD_KINDS: dict[str, tuple[str, ...]] = {
    "title": ("heading",),
    "contract_number": ("identifier",),
    "parties": ("organisation", "name"),
    "effective_date": ("date",),
    "expiration_date": ("date",),
    "term": ("duration",),
    "total_value": ("amount",),
    "payment_terms": ("phrase",),
    "jurisdiction": ("place",),
    "renewal": ("phrase",),
}
"""Each learned field and the kinds of candidate it may come from; ``currency`` is the chosen amount's."""
MULTIPLE = ("parties",)
DEFAULT_THRESHOLD = 0.5
"""The probability a party needs unless the model stores its own (fitted on calibration documents)."""


def contract_spec(fields: Sequence[str] = tuple(FIELD_KINDS)) -> ScorerSpec:
    """What the contract model chooses: ``fields`` (those the training data has truth for) from ``KINDS``."""
    return ScorerSpec(tuple(fields), KINDS, {name: FIELD_KINDS[name] for name in fields},
                      multiple=tuple(name for name in MULTIPLE if name in fields))


@dataclass(frozen=True)
class ContractCandidates:
    """A contract's text, its candidates and their feature rows, ready to be scored."""

    document: DocumentText
    candidates: list[Candidate]
    features: np.ndarray

    def scored(self, spec: ScorerSpec) -> ScoredDocument:
        kinds = np.array([spec.kinds.index(c.kind) for c in self.candidates], dtype=np.int64)
        return ScoredDocument(self.features, kinds)


def contract_candidates(lines: list[Line], encode: Encode) -> ContractCandidates:
    """Candidates and features of the contract whose lines are ``lines``."""
    document = document_text(lines)
    candidates = find_candidates(document)
    return ContractCandidates(document, candidates, feature_rows(document, candidates, encode))


@lru_cache(maxsize=1)
def contract_model() -> FieldScorer:
    """The shipped model, read once per process (no network)."""
    return load_scorer(MODEL_PATH)


def extract_contract_fields(lines: list[Line]) -> dict[str, ExtractedField]:
    """The contract fields found in ``lines`` (all pages, reading order); a field the model does not find on the
    document is left out rather than guessed."""
    if not lines:
        return {}
    found = contract_candidates(lines, shared_encoder().encode)
    if not found.candidates:
        return {}
    return chosen_fields(contract_model(), found)


def chosen_fields(model: FieldScorer, found: ContractCandidates,
                  thresholds: dict[str, float] | None = None) -> dict[str, ExtractedField]:
    """The model's choices among ``found``'s candidates as fields with their evidence; ``thresholds`` (field ->
    least probability) default to those the model was calibrated with."""
    thresholds = model.info.get("thresholds", {}) if thresholds is None else thresholds
    chosen = model.choose_all(found.scored(model.spec), thresholds.get("parties", DEFAULT_THRESHOLD))
    fields = {}
    for name, choices in chosen.items():
        choices = [c for c in choices if c.probability >= thresholds.get(name, 0.0)]
        if choices:
            fields[name] = _list_field(found, choices) if name in model.spec.multiple else \
                _single_field(found, choices[0])
    if "total_value" in fields:
        fields["currency"] = _currency_field(found, chosen["total_value"][0])
    return {name: field for name, field in fields.items() if field is not None}


def _single_field(found: ContractCandidates, choice: Choice) -> ExtractedField:
    candidate = found.candidates[choice.index]
    page, bbox = found.document.place(candidate.span)
    return ExtractedField(candidate.value, choice.probability, page, bbox, "pdf_text", _evidence(found, [candidate]))


def _list_field(found: ContractCandidates, choices: list[Choice]) -> ExtractedField:
    """Several values (parties), likeliest first: a candidate is left out when it overlaps one kept or its value
    contains or is contained in a kept value (``Palm Inc.`` and ``Palm Inc. and PalmSource Inc.``). In the order
    the document first names them; page and box are those of the first."""
    kept: list[tuple[Candidate, float]] = []
    for choice in choices:
        candidate = found.candidates[choice.index]
        if not any(_overlap(candidate.span, other.span) or _nested(candidate.value, other.value)
                   for other, _ in kept):
            kept.append((candidate, choice.probability))
    kept = sorted(((_as_written(found, c), p) for c, p in kept), key=lambda pair: pair[0].span.start)
    page, bbox = found.document.place(kept[0][0].span)
    return ExtractedField([c.value for c, _ in kept], min(p for _, p in kept), page, bbox, "pdf_text",
                          _evidence(found, [c for c, _ in kept]))


def _as_written(found: ContractCandidates, candidate: Candidate) -> Candidate:
    """The first mention of the same name, preferring one not in capitals (``Bluefin Logistics LLC`` in the
    opening paragraph rather than ``BLUEFIN LOGISTICS LLC`` above a signature)."""
    same = [c for c in found.candidates if c.kind == candidate.kind and c.value.upper() == candidate.value.upper()]
    return min(same, key=lambda c: (c.value.isupper(), c.span.start))


def _currency_field(found: ContractCandidates, choice: Choice) -> ExtractedField | None:
    candidate = found.candidates[choice.index]
    currency = currency_of(candidate)
    if currency is None:
        return None
    page, bbox = found.document.place(candidate.span)
    return ExtractedField(currency, choice.probability, page, bbox, "pdf_text", _evidence(found, [candidate]))


def _evidence(found: ContractCandidates, candidates: list[Candidate]) -> str:
    """The sentences the values were read in, each once."""
    sentences = dict.fromkeys(found.document.snippet(found.document.sentence(c.span)) for c in candidates)
    return " … ".join(sentences)


def _nested(first: str, second: str) -> bool:
    """Whether one name holds the other, word for word (``Central European Distribution`` in ``Central European
    Distribution Corporation``)."""
    a, b = f" {' '.join(first.upper().split())} ", f" {' '.join(second.upper().split())} "
    return a in b or b in a


def _overlap(first: Span, second: Span) -> bool:
    return first.start < second.end and second.start < first.end
