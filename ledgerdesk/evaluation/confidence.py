"""Whether the confidences can be acted on, pure: a reliability table (stated confidence against measured
accuracy) and what straight-through processing would have done at several confidence floors.

A field value counts as right when it equals the labelled one (normalised as the field scores are); a value
produced for a field the labels say is absent counts as wrong. Only the scored fields take part."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ledgerdesk.evaluation.metrics import Value, as_values, normalise

BIN_EDGES = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001)
FLOORS = (0.8, 0.9, 0.95, 0.98, 0.99)
"""Confidence floors straight-through is measured at (the routing's floor is one setting among these)."""


@dataclass(frozen=True)
class JudgedField:
    confidence: float
    right: bool


@dataclass(frozen=True)
class JudgedDocument:
    fields: dict[str, JudgedField]
    complete: bool
    """Every scored field the labels hold was produced."""
    flagged: bool
    """The pipeline raised a warning or an error (the document goes to review whatever the confidences)."""


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    values: int
    mean_confidence: float | None
    accuracy: float | None


@dataclass(frozen=True)
class StraightThrough:
    floor: float
    documents: int
    straight: int
    all_right: int

    @property
    def rate(self) -> float | None:
        return self.straight / self.documents if self.documents else None

    @property
    def precision(self) -> float | None:
        """The share of straight-through documents right on every field."""
        return self.all_right / self.straight if self.straight else None


def judged_document(expected: Mapping[str, Value], produced: Mapping[str, Value],
                    confidences: Mapping[str, float], fields: Sequence[str], flagged: bool) -> JudgedDocument:
    """One document's produced fields, each with its confidence and whether it is right."""
    judged = {name: JudgedField(confidences.get(name, 0.0), _same(name, expected.get(name), produced[name]))
              for name in fields if name in produced}
    complete = all(name in produced for name in fields if as_values(expected.get(name)))
    return JudgedDocument(judged, complete, flagged)


def _same(name: str, expected: Value | None, produced: Value) -> bool:
    wanted = sorted(normalise(name, v) for v in as_values(expected))
    return bool(wanted) and wanted == sorted(normalise(name, v) for v in as_values(produced))


def reliability(documents: Sequence[JudgedDocument]) -> list[ReliabilityBin]:
    """Produced field values binned by confidence, each bin's mean confidence next to its measured accuracy."""
    judged = [f for d in documents for f in d.fields.values()]
    bins = []
    for low, high in zip(BIN_EDGES, BIN_EDGES[1:]):
        inside = [f for f in judged if low <= f.confidence < high]
        mean = sum(f.confidence for f in inside) / len(inside) if inside else None
        accuracy = sum(f.right for f in inside) / len(inside) if inside else None
        bins.append(ReliabilityBin(low, min(high, 1.0), len(inside), mean, accuracy))
    return bins


def straight_through(documents: Sequence[JudgedDocument], floors: Sequence[float] = FLOORS) -> list[StraightThrough]:
    """At each floor: how many documents would skip the queue (complete, nothing flagged, every field at or above
    the floor) and how many of those were right on every field."""
    results = []
    for floor in floors:
        straight = [d for d in documents if _passes(d, floor)]
        right = sum(all(f.right for f in d.fields.values()) for d in straight)
        results.append(StraightThrough(floor, len(documents), len(straight), right))
    return results


def _passes(document: JudgedDocument, floor: float) -> bool:
    return (document.complete and not document.flagged and bool(document.fields)
            and all(f.confidence >= floor for f in document.fields.values()))
