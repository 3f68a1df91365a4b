"""Fields of invoices, receipts and expense claims read by the learned model: candidates from the page's lines,
scored by the chooser trained on labelled documents (``ledgerdesk train extraction``).

Each field is the candidate the model prefers, with the model's calibrated probability as its confidence, the
box of its words and the line it came from as evidence. A field the model thinks is not on the page stays
empty."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.embeddings import Encode, shared_encoder
from extraction.fields import fields_for
from extraction.learned.candidates import KINDS, Candidate, candidates
from extraction.learned.features import DOC_TYPES, document_view, feature_matrix
from extraction.learned.scorer import Choice, FieldScorer, ScoredDocument, ScorerSpec, load_scorer
from extraction.model import ExtractedField, Line
from extraction.normalize import chinese_capital_amount, currency_in

MODEL_FILE = Path(__file__).resolve().parent.parent / "trained" / "layout_fields.safetensors"
PRODUCER = "layout-model/1"

NAME, TEXT, CODE = ("line", "block", "rest"), ("line", "rest"), ("code", "rest")
FIELD_KINDS: dict[str, tuple[str, ...]] = {
    "vendor_name": NAME, "vendor_address": NAME, "customer_name": NAME,
    "merchant_name": NAME, "merchant_address": NAME, "employee_name": TEXT, "purpose": TEXT,
    "payment_terms": TEXT, "payment_method": ("line", "rest", "code"),
    "invoice_number": CODE, "po_number": CODE, "vendor_tax_id": CODE, "customer_tax_id": CODE,
    "merchant_tax_id": CODE, "invoice_code": CODE, "check_code": CODE, "employee_id": CODE,
    "vendor_iban": ("rest", "line", "code"),
    "invoice_date": ("date",), "due_date": ("date",), "transaction_date": ("date",),
    "period_start": ("date",), "period_end": ("date",), "transaction_time": ("time",),
    "subtotal": ("amount",), "tax_amount": ("amount",), "total_amount": ("amount",), "tip": ("amount",),
    "tax_rate": ("rate",),
}
"""The fields the model chooses and the kinds of candidate each may come from (currency is read from the
total's line instead)."""
LAYOUT_SPEC = ScorerSpec(tuple(FIELD_KINDS), KINDS, FIELD_KINDS)
HEAD_LINES, TAIL_LINES = 150, 60
"""The lines a long document's fields are looked for in: its beginning (parties, numbers, dates) and its end
(totals), so a dense 50-page document costs no more than a few pages."""


def scored_document(lines: list[Line], doc_type: str,
                    encode_lines: Encode | None = None
                    ) -> tuple[list[Candidate], ScoredDocument]:
    """A document's candidates and their features (targets left empty); ``encode_lines`` embeds the lines
    (default: the shared encoder's ``encode_lines``)."""
    found = candidates(lines)
    embeddings = (encode_lines or shared_encoder().encode_lines)([line.text for line in lines])
    features = feature_matrix(found, document_view(lines, doc_type, found), embeddings)
    kinds = np.asarray([KINDS.index(c.kind) for c in found], dtype=np.int64)
    return found, ScoredDocument(features, kinds)


@lru_cache(maxsize=1)
def shipped_model() -> FieldScorer:
    """The model in the repository, loaded once per process."""
    return load_scorer(MODEL_FILE)


def extract_layout_fields(lines: list[Line], doc_type: str,
                          model: FieldScorer | None = None) -> dict[str, ExtractedField]:
    """The fields of a ``doc_type`` document whose words are ``lines`` (all pages, reading order)."""
    if not lines or doc_type not in DOC_TYPES:
        return {}
    lines = searched_lines(lines)
    found, document = scored_document(lines, doc_type)
    choices = (model or shipped_model()).choose(document)
    wanted = [name for name in fields_for(doc_type) if name in choices]
    fields = {name: _field(found[choices[name].index], choices[name], lines)
              for name in wanted if choices[name].index is not None}
    _add_currency(fields, lines)
    return fields


def searched_lines(lines: list[Line]) -> list[Line]:
    """The first ``HEAD_LINES`` and last ``TAIL_LINES`` lines of a long document; a short one whole."""
    if len(lines) <= HEAD_LINES + TAIL_LINES:
        return lines
    return lines[:HEAD_LINES] + lines[-TAIL_LINES:]


def _field(candidate: Candidate, choice: Choice, lines: list[Line]) -> ExtractedField:
    evidence = " / ".join(line.text for line in lines[candidate.line_index:candidate.line_index + candidate.line_count])
    return ExtractedField(candidate.value, choice.probability, candidate.page, candidate.bbox, "pdf_text", evidence)


def _add_currency(fields: dict[str, ExtractedField], lines: list[Line]) -> None:
    """The currency printed with the total, else the one printed most often on the document."""
    total = fields.get("total_amount")
    if total and (code := currency_in(total.evidence)):
        fields["currency"] = ExtractedField(code, total.confidence, total.page, total.bbox, "pdf_text", total.evidence)
        return
    mentions = Counter(code for line in lines if (code := currency_in(line.text)))
    if mentions:
        code, count = mentions.most_common(1)[0]
        line = next(line for line in lines if currency_in(line.text) == code)
        fields["currency"] = ExtractedField(code, 0.7, line.page, line.bbox, "pdf_text",
                                            f"{line.text} (printed {count} times)")


def printed_checks(lines: list[Line]) -> dict[str, str]:
    """What the page prints only to be checked against the fields: a Chinese total in capital numerals (大写),
    as ``total_amount_in_words``."""
    capital = next((line.text for line in lines if chinese_capital_amount(line.text) is not None), None)
    return {"total_amount_in_words": capital} if capital else {}
