"""A run's outcomes summed up into numbers, pure: speed, OCR accuracy against transcripts, classification and
field scores. A file that failed counts as read and extracted as nothing (its expected words and values are
misses) and is left out of the timings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ledgerdesk.evaluation.confidence import (
    JudgedDocument, ReliabilityBin, StraightThrough, judged_document, reliability, straight_through,
)
from ledgerdesk.evaluation.item_scores import ItemCounts, score_items
from ledgerdesk.evaluation.metrics import (
    FieldCounts, Value, accuracy, character_errors, macro_f1, matched_tokens, median, micro_f1, percentile, ratio,
    score_fields,
)
from ledgerdesk.evaluation.runner import EngineRun, Outcome

RECEIPT_FIELD_ON_AN_INVOICE = {"merchant_name": "vendor_name", "merchant_address": "vendor_address",
                               "merchant_tax_id": "vendor_tax_id", "transaction_date": "invoice_date"}
"""A receipt the pipeline reads as an invoice (many print "TAX INVOICE") names its fields as an invoice's: the
seller's name is ``vendor_name`` there. Scored under the receipt's name when the receipt's own is missing."""


def predicted_values(produced: Mapping[str, Value], fields: Sequence[str]) -> dict[str, Value]:
    """The values the pipeline produced for the scored ``fields``, a receipt field taken from its invoice twin
    when it is missing under its own name."""
    values = {}
    for name in fields:
        value = produced.get(name, produced.get(RECEIPT_FIELD_ON_AN_INVOICE.get(name, "")))
        if value is not None:
            values[name] = value
    return values


@dataclass(frozen=True)
class Speed:
    documents: int
    pages: int
    ocr_pages: int
    per_page_median: float | None
    per_page_p95: float | None
    per_document_median: float | None
    per_document_p95: float | None
    stage_seconds: dict[str, float]
    """Seconds per stage over all documents read: read, ocr, extract, and inside ocr detect, orientation,
    recognize."""


@dataclass(frozen=True)
class Reading:
    """OCR against the reference transcripts."""

    reference_tokens: int
    matched_tokens: int
    reference_characters: int
    character_edits: int

    @property
    def token_recall(self) -> float | None:
        return ratio(self.matched_tokens, self.reference_tokens)

    @property
    def character_error_rate(self) -> float | None:
        return ratio(self.character_edits, self.reference_characters)


@dataclass(frozen=True)
class Extraction:
    doc_type_accuracy: float | None
    doc_types: dict[str, dict[str, int]]
    """Expected type -> predicted type (``error`` for a file that failed) -> documents."""
    field_counts: dict[str, FieldCounts]
    produced: dict[str, int]
    """Every field name the pipeline produced, scored or not -> documents it came out of."""
    reliability: list[ReliabilityBin] = field(default_factory=list)
    straight_through: list[StraightThrough] = field(default_factory=list)
    items: ItemCounts | None = None
    """Line items against the files' own (where the corpus knows them)."""

    @property
    def pooled(self) -> FieldCounts:
        """All fields' counts added up: micro precision and recall."""
        return sum(self.field_counts.values(), FieldCounts())

    @property
    def micro_f1(self) -> float | None:
        return micro_f1(self.field_counts)

    @property
    def macro_f1(self) -> float | None:
        return macro_f1(self.field_counts)


@dataclass(frozen=True)
class RunSummary:
    engine: str
    load_seconds: float
    load_error: str | None
    peak_rss_mb: float
    speed: Speed
    reading: Reading | None
    extraction: Extraction | None
    errors: list[tuple[str, str]]
    """``(file, reason)`` of each file that failed."""


def summarise(run: EngineRun, fields: Sequence[str], *, extracted: bool) -> RunSummary:
    """The numbers of one engine's run over a corpus whose scored fields are ``fields``."""
    outcomes = run.outcomes
    transcribed = [o for o in outcomes if o.sample.reference_tokens is not None]
    return RunSummary(
        engine=run.engine, load_seconds=run.load_seconds, load_error=run.load_error, peak_rss_mb=run.peak_rss_mb,
        speed=speed(outcomes), reading=reading(transcribed) if transcribed else None,
        extraction=extraction(outcomes, fields) if extracted else None,
        errors=[(o.sample.name, o.error) for o in outcomes if o.error])


def speed(outcomes: Sequence[Outcome]) -> Speed:
    """Timings of the files that were read (failures left out): per page, per document, per stage."""
    read = [o for o in outcomes if not o.error]
    per_page = [o.total_seconds / o.pages for o in read if o.pages]
    per_document = [o.total_seconds for o in read]
    stages: Counter[str] = Counter()
    for outcome in read:
        stages.update(outcome.seconds)
    return Speed(len(read), sum(o.pages for o in read), sum(o.ocr_pages for o in read),
                 median(per_page), percentile(per_page, 95),
                 median(per_document), percentile(per_document, 95), dict(stages))


def reading(outcomes: Sequence[Outcome]) -> Reading:
    """Token recall and character errors pooled over the transcribed samples."""
    tokens = matched = characters = edits = 0
    for outcome in outcomes:
        reference, hypothesis = outcome.sample.reference_tokens or [], outcome.tokens or []
        sample_edits, sample_characters = character_errors(reference, hypothesis)
        tokens, matched = tokens + len(reference), matched + matched_tokens(reference, hypothesis)
        characters, edits = characters + sample_characters, edits + sample_edits
    return Reading(tokens, matched, characters, edits)


def extraction(outcomes: Sequence[Outcome], fields: Sequence[str]) -> Extraction:
    """Classification and field scores; a failed file predicted nothing."""
    predicted_types = [(o.sample.expected_doc_type, "error" if o.error else o.doc_type) for o in outcomes]
    doc_types: dict[str, Counter[str]] = {}
    for expected, predicted in predicted_types:
        doc_types.setdefault(expected or "unlabelled", Counter())[predicted or "none"] += 1
    pairs = [(o.sample.expected, predicted_values(o.fields, fields)) for o in outcomes]
    produced = Counter(name for o in outcomes for name in o.fields)
    judged = [judged_outcome(o, fields) for o in outcomes if o.sample.valid]
    return Extraction(accuracy(predicted_types), {k: dict(v) for k, v in doc_types.items()},
                      score_fields(pairs, fields), dict(produced), reliability(judged), straight_through(judged),
                      item_counts(outcomes))


def item_counts(outcomes: Sequence[Outcome]) -> ItemCounts | None:
    """The line items of the outcomes whose sample knows its items, scored; None when none does."""
    known = [o for o in outcomes if o.sample.items is not None]
    return sum((score_items(o.sample.items, o.line_items) for o in known), ItemCounts()) if known else None


def judged_outcome(outcome: Outcome, fields: Sequence[str]) -> JudgedDocument:
    """An outcome's scored fields with their confidences, judged right or wrong (a receipt field read under its
    invoice name takes that field's confidence)."""
    given = outcome.confidences
    confidences = {name: given.get(name, given.get(RECEIPT_FIELD_ON_AN_INVOICE.get(name, ""), 0.0)) for name in fields}
    return judged_document(outcome.sample.expected, predicted_values(outcome.fields, fields), confidences, fields,
                           flagged=bool(outcome.flags) or outcome.error is not None)
