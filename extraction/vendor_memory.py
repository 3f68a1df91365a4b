"""What clerks' confirmations teach about one vendor's documents, and using it on the vendor's next document.

Pure: lines and field values in, plain values out. When a clerk approves a document of a known vendor, each
confirmed value is looked for among the page's candidates (``extraction.learned.candidates``); where it is printed
(its label words left of it and above it, its box, its kind) is remembered per vendor and field, and counted when
the next approved document agrees. On the vendor's next document the candidate with the same label and place is
taken for the field where the model read something else or nothing, saying what it was learned from.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from extraction.learned.candidates import Candidate
from extraction.model import BBox, ExtractedField, Line

IDENTITY_FIELDS = frozenset({"vendor_name", "vendor_tax_id", "vendor_iban", "merchant_name", "merchant_tax_id"})
"""The fields that matched the vendor: the master, not the memory, speaks for them."""
VALUE_ONLY_FIELDS = frozenset({"currency"})
"""Remembered as a value (the vendor's currency), used when the page does not say."""
KIND_PREFERENCE = ("amount", "date", "code", "time", "rate", "rest", "line", "block")
"""A value printed alone is remembered before the lines and blocks that contain it."""
LABEL_WORDS = 4
"""How many label words next to a value are kept."""
NEAR = 0.25
"""A candidate this far (page fraction) from the remembered place scores nothing for its position."""
MIN_SCORE = 0.55
"""A candidate is taken from this score on (labels and place together, 0..1)."""
SAME_PLACE = 0.05
"""Two observations this close agree on the place even without labels."""


@dataclass(frozen=True)
class FieldMemory:
    """Where one vendor's documents print one field."""

    field: str
    kind: str
    value: str
    left: tuple[str, ...] = ()
    above: tuple[str, ...] = ()
    page: int | None = None
    bbox: BBox | None = None
    confirmations: int = 1

    def as_json(self) -> dict[str, Any]:
        """The stored, inspectable form (``VendorFieldMemory.memory``); the count is kept beside it."""
        return {"kind": self.kind, "value": self.value, "left": list(self.left), "above": list(self.above),
                "page": self.page, "bbox": [round(v, 4) for v in self.bbox] if self.bbox else None}

    @classmethod
    def from_json(cls, field: str, data: dict[str, Any], confirmations: int) -> FieldMemory:
        return cls(field, data["kind"], data.get("value", ""), tuple(data.get("left", ())),
                   tuple(data.get("above", ())), data.get("page"),
                   tuple(data["bbox"]) if data.get("bbox") else None, confirmations)


@dataclass(frozen=True)
class Recalled:
    candidate: Candidate
    score: float


# learning


def observe(field: str, value: Any, hint: BBox | None, lines: list[Line],
            found: list[Candidate]) -> FieldMemory | None:
    """Where the confirmed ``value`` of ``field`` is printed: the candidate with that value nearest ``hint`` (the
    machine's box, kept when a clerk corrects), of the most specific kind. None when it is not printed."""
    if field in IDENTITY_FIELDS or value in (None, "", []) or isinstance(value, (list, dict)):
        return None
    if field in VALUE_ONLY_FIELDS:
        return FieldMemory(field, "value", str(value))
    same = [c for c in found if same_value(c.value, value)]
    if not same:
        return None
    best = min(same, key=lambda c: (_distance(c.bbox, hint) if hint else 0.0, _kind_rank(c.kind)))
    return memory_of(field, best, lines)


def memory_of(field: str, candidate: Candidate, lines: list[Line]) -> FieldMemory:
    return FieldMemory(field, candidate.kind, candidate.value, label_left(candidate, lines),
                       label_above(candidate, lines), candidate.page, candidate.bbox)


def remembered(previous: FieldMemory | None, observed: FieldMemory) -> FieldMemory:
    """The memory after one more confirmed document: counted when it agrees with what was remembered, started
    again when the vendor's layout changed."""
    if previous is None or not agrees(previous, observed):
        return observed
    return replace(observed, confirmations=previous.confirmations + 1)


def agrees(previous: FieldMemory, observed: FieldMemory) -> bool:
    """The same kind at the same label, or at the same place."""
    if previous.kind != observed.kind:
        return False
    if previous.kind == "value":
        return previous.value == observed.value
    if previous.left or previous.above:
        return label_similarity(previous, observed.left, observed.above) >= 0.5
    return previous.bbox is not None and observed.bbox is not None and \
        _distance(previous.bbox, observed.bbox) <= SAME_PLACE


# recalling


def recalled_fields(fields: dict[str, ExtractedField], memories: list[FieldMemory], lines: list[Line],
                    found: list[Candidate], sources: dict[int, str]) -> dict[str, ExtractedField]:
    """The fields with what the memory finds on this document where the model read another value or none."""
    updated = dict(fields)
    for memory in memories:
        if learned := learned_field(memory, fields.get(memory.field), lines, found, sources):
            updated[memory.field] = learned
    return updated


def learned_field(memory: FieldMemory, current: ExtractedField | None, lines: list[Line], found: list[Candidate],
                  sources: dict[int, str]) -> ExtractedField | None:
    """The field as the memory reads it, or None to keep the model's (it agrees, or nothing fits)."""
    if memory.kind == "value":
        return _remembered_value(memory, current)
    recall = best_candidate(memory, lines, found)
    if recall is None:
        return None
    if current is not None and same_value(current.value, recall.candidate.value):
        return _agreed(memory, current)
    candidate = recall.candidate
    return ExtractedField(candidate.value, learned_confidence(memory.confirmations), candidate.page, candidate.bbox,
                          sources.get(candidate.page, "rule"), _evidence(memory, current))


def best_candidate(memory: FieldMemory, lines: list[Line], found: list[Candidate]) -> Recalled | None:
    """The candidate of the remembered kind with the most alike labels and place, if it is alike enough."""
    scored = [Recalled(c, candidate_score(memory, c, lines)) for c in found if c.kind == memory.kind]
    best = max(scored, key=lambda r: r.score, default=None)
    return best if best is not None and best.score >= MIN_SCORE else None


def candidate_score(memory: FieldMemory, candidate: Candidate, lines: list[Line]) -> float:
    """Labels weigh most: a vendor's layout moves values around more than it renames their labels."""
    place = _place_score(memory, candidate)
    if not (memory.left or memory.above):
        return place
    labels = label_similarity(memory, label_left(candidate, lines), label_above(candidate, lines))
    return 0.7 * labels + 0.3 * place


def learned_confidence(confirmations: int) -> float:
    """0.8 after one confirmed document, 0.86 after two, 0.9 after three, ... never above 0.97."""
    return min(0.97, 1 - 0.2 * 0.7 ** (max(confirmations, 1) - 1))


def learned_from(confirmations: int) -> str:
    plural = "document" if confirmations == 1 else "documents"
    return f"learned from {confirmations} confirmed {plural} of this vendor"


def _remembered_value(memory: FieldMemory, current: ExtractedField | None) -> ExtractedField | None:
    if current is not None and current.value not in (None, ""):
        return None
    return ExtractedField(memory.value, learned_confidence(memory.confirmations), None, None, "rule",
                          f"not printed on the page; {learned_from(memory.confirmations)}")


def _agreed(memory: FieldMemory, current: ExtractedField) -> ExtractedField:
    confidence = max(current.confidence, learned_confidence(memory.confirmations))
    evidence = f"{current.evidence}; agrees with what was {learned_from(memory.confirmations)}".lstrip("; ")
    return replace(current, confidence=confidence, evidence=evidence)


def _evidence(memory: FieldMemory, current: ExtractedField | None) -> str:
    where = f" (the value printed after {' '.join(memory.left)!r})" if memory.left else \
        (f" (the value printed under {' '.join(memory.above)!r})" if memory.above else " (the same place)")
    was = f"; the model read {current.value!r}" if current is not None and current.value not in (None, "") else ""
    return f"{learned_from(memory.confirmations)}{where}{was}"


# labels and places


def label_left(candidate: Candidate, lines: list[Line]) -> tuple[str, ...]:
    """The label words printed left of the value on its line."""
    start = candidate.words[0].bbox[0]
    words = [w.text for w in lines[candidate.line_index].words if w.bbox[2] <= start + 1e-4]
    return label_words(words)[-LABEL_WORDS:]


def label_above(candidate: Candidate, lines: list[Line]) -> tuple[str, ...]:
    """The label words printed right above the value (a column heading, a label on the line before)."""
    index = candidate.line_index - 1
    if index < 0 or lines[index].page != candidate.page:
        return ()
    x0, _, x1, _ = candidate.bbox
    words = [w.text for w in lines[index].words if w.bbox[0] < x1 + 0.02 and w.bbox[2] > x0 - 0.02]
    return label_words(words)[:LABEL_WORDS]


def label_words(texts: list[str]) -> tuple[str, ...]:
    """Words as labels: lower case, without punctuation; anything with a digit is a value, not a label."""
    words = [t for text in texts for t in re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())]
    return tuple(word for word in words if not any(ch.isdigit() for ch in word))


def label_similarity(memory: FieldMemory, left: tuple[str, ...], above: tuple[str, ...]) -> float:
    """How alike two values' labels are (Jaccard), the label on the line weighing more than the one above."""
    parts = [(0.65, memory.left, left), (0.35, memory.above, above)]
    weighted = [(weight, _jaccard(ours, theirs)) for weight, ours, theirs in parts if ours or theirs]
    total = sum(weight for weight, _ in weighted)
    return sum(weight * score for weight, score in weighted) / total if total else 0.0


def same_value(a: Any, b: Any) -> bool:
    """Equal once case and spaces are set aside (canonical amounts and dates compare as text)."""
    return _comparable(a) == _comparable(b) and _comparable(a) != ""


def _comparable(value: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value if value is not None else ""))).casefold()


def _place_score(memory: FieldMemory, candidate: Candidate) -> float:
    if memory.bbox is None:
        return 0.0
    page_penalty = 0.0 if memory.page in (None, candidate.page) else 0.5
    return max(0.0, 1 - _distance(memory.bbox, candidate.bbox) / NEAR - page_penalty)


def _distance(a: BBox, b: BBox) -> float:
    return math.dist(((a[0] + a[2]) / 2, (a[1] + a[3]) / 2), ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2))


def _jaccard(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    first, second = set(a), set(b)
    return len(first & second) / len(first | second) if first | second else 0.0


def _kind_rank(kind: str) -> int:
    return KIND_PREFERENCE.index(kind) if kind in KIND_PREFERENCE else len(KIND_PREFERENCE)
