"""Scores, pure: per-field precision, recall and F1 over normalised values, classification accuracy, token recall
and character error rate against reference transcripts, and the medians and percentiles of timings.

A value "missing" is ``None`` here; ratios with nothing to divide by are ``None`` too (shown as ``-``)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from core.money import parse_amount, parse_date
from extraction.fields import AMOUNT_FIELDS, DATE_FIELDS

Value = str | tuple[str, ...]
"""A field's value: one string, or several for a field such as a contract's ``parties``."""


def normalise(field: str, value: str) -> str:
    """The form in which a value is compared: upper case with single spaces; amounts as plain numbers
    (``RM 9.00`` -> ``9``) and dates as ISO (``25/12/2018`` -> ``2018-12-25``) where they parse."""
    text = " ".join(str(value).upper().split())
    if field in AMOUNT_FIELDS and (amount := parse_amount(text)) is not None:
        return format(amount.normalize(), "f")
    if field in DATE_FIELDS and (found := parse_date(text)) is not None:
        return found.isoformat()
    return text


def as_values(value: Value | None) -> tuple[str, ...]:
    """A field's value as a tuple of non-empty strings (``None`` and blanks are no value)."""
    values = (value,) if isinstance(value, str) else tuple(value or ())
    return tuple(str(v) for v in values if str(v).strip())


@dataclass(frozen=True)
class FieldCounts:
    """Entity-level counts for one field: a predicted value equal to an expected one is a true positive."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def __add__(self, other: FieldCounts) -> FieldCounts:
        return FieldCounts(self.true_positives + other.true_positives, self.false_positives + other.false_positives,
                           self.false_negatives + other.false_negatives)

    @property
    def expected(self) -> int:
        return self.true_positives + self.false_negatives

    @property
    def predicted(self) -> int:
        return self.true_positives + self.false_positives

    @property
    def precision(self) -> float | None:
        return ratio(self.true_positives, self.predicted)

    @property
    def recall(self) -> float | None:
        return ratio(self.true_positives, self.expected)

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall; 0 when nothing matched, None when there was nothing at all."""
        if self.expected + self.predicted == 0:
            return None
        return 2 * self.true_positives / (self.expected + self.predicted)


def compare_field(field: str, expected: Value | None, predicted: Value | None) -> FieldCounts:
    """The counts for one field of one document; several values are compared as multisets."""
    wanted = Counter(normalise(field, v) for v in as_values(expected))
    got = Counter(normalise(field, v) for v in as_values(predicted))
    hits = sum((wanted & got).values())
    return FieldCounts(hits, sum(got.values()) - hits, sum(wanted.values()) - hits)


def score_fields(documents: Iterable[tuple[Mapping[str, Value], Mapping[str, Value]]],
                 fields: Sequence[str]) -> dict[str, FieldCounts]:
    """Counts per field over ``(expected, predicted)`` pairs; fields outside ``fields`` are not scored."""
    totals = {field: FieldCounts() for field in fields}
    for expected, predicted in documents:
        for field in fields:
            totals[field] += compare_field(field, expected.get(field), predicted.get(field))
    return totals


def micro_f1(counts: Mapping[str, FieldCounts]) -> float | None:
    """F1 of all fields' counts pooled: every expected value weighs the same."""
    return sum(counts.values(), FieldCounts()).f1


def macro_f1(counts: Mapping[str, FieldCounts]) -> float | None:
    """The mean of the fields' F1: every field weighs the same (fields never expected nor predicted are left out)."""
    scores = [c.f1 for c in counts.values() if c.f1 is not None]
    return sum(scores) / len(scores) if scores else None


def accuracy(pairs: Iterable[tuple[str | None, str | None]]) -> float | None:
    """The share of ``(expected, predicted)`` pairs that agree, over pairs whose expected value is known."""
    judged = [expected == predicted for expected, predicted in pairs if expected is not None]
    return ratio(sum(judged), len(judged))


def matched_tokens(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """How many reference tokens the hypothesis has, compared case-insensitively as multisets."""
    wanted = Counter(token.casefold() for token in reference)
    return sum((wanted & Counter(token.casefold() for token in hypothesis)).values())


def character_errors(reference: Sequence[str], hypothesis: Sequence[str]) -> tuple[int, int]:
    """``(edits, reference length)`` between the two token sequences, each joined by single spaces and compared
    case-insensitively (SROIE's transcripts are all upper case); their ratio is the character error rate.
    Reading-order differences count as errors too."""
    truth = " ".join(reference).casefold()
    return edit_distance(truth, " ".join(hypothesis).casefold()), len(truth)


def edit_distance(source: str, target: str) -> int:
    """Levenshtein distance: the fewest insertions, deletions and substitutions that turn ``source`` into
    ``target``. One numpy row per character of ``source``."""
    if not source or not target:
        return len(source) + len(target)
    target_codes = np.frombuffer(target.encode("utf-32-le"), dtype=np.uint32)
    offsets = np.arange(len(target) + 1)
    previous = offsets
    for row, char in enumerate(source, start=1):
        substituted_or_deleted = np.minimum(previous[:-1] + (target_codes != ord(char)), previous[1:] + 1)
        current = np.concatenate(([row], substituted_or_deleted))
        previous = np.minimum.accumulate(current - offsets) + offsets  # insertions: left neighbour + 1
    return int(previous[-1])


def ratio(part: float, whole: float) -> float | None:
    """``part / whole``, or None when ``whole`` is 0."""
    return part / whole if whole else None


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None when empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0..100), interpolating linearly between the closest ranks; None when empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
