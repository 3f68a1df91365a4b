"""Line items scored, pure: the items read from a document against the items it holds.

An expected item and a read one are the same item when their amounts are equal and their descriptions alike at
least a little (``SAME_AMOUNT_LIKENESS``), or when their descriptions are alike (``LIKENESS``) whatever the
amounts; each item is matched once, the likeliest pairs first. Items found count as precision (matched / read)
and recall (matched / expected); of the matched ones, the share whose amount, quantity, unit price and description
agree exactly (numbers compared as numbers: ``20.0000`` is ``20``; descriptions after case and spacing)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation

from ledgerdesk.evaluation.metrics import FieldCounts

LIKENESS = 0.7
SAME_AMOUNT_LIKENESS = 0.3
Item = Mapping[str, object]


@dataclass(frozen=True)
class ItemCounts:
    """Counts over documents; add them up with ``+``."""

    documents: int = 0
    expected: int = 0
    read: int = 0
    matched: int = 0
    amount_right: int = 0
    quantity_expected: int = 0
    quantity_right: int = 0
    price_expected: int = 0
    price_right: int = 0
    description_right: int = 0
    documents_right: int = 0
    """Documents whose every expected item was read with its amount, and nothing else."""

    def __add__(self, other: ItemCounts) -> ItemCounts:
        return ItemCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def found(self) -> FieldCounts:
        """The items as entities: matched ones are true positives, the other read ones false positives, the missed
        ones false negatives (for precision, recall and F1)."""
        return FieldCounts(self.matched, self.read - self.matched, self.expected - self.matched)


def score_items(expected: Sequence[Item], read: Sequence[Item]) -> ItemCounts:
    """The counts of one document."""
    pairs = [(expected[e], read[r]) for e, r in matched_items(expected, read)]
    amounts = sum(same_number(want.get("amount"), got.get("amount")) for want, got in pairs)
    quantity = [same_number(want["quantity"], got.get("quantity")) for want, got in pairs if want.get("quantity")]
    price = [same_number(want["unit_price"], got.get("unit_price")) for want, got in pairs if want.get("unit_price")]
    described = sum(_text(want.get("description")) == _text(got.get("description")) for want, got in pairs)
    right = amounts == len(expected) == len(read) == len(pairs)
    return ItemCounts(1, len(expected), len(read), len(pairs), amounts, len(quantity), sum(quantity), len(price),
                      sum(price), described, int(right))


def matched_items(expected: Sequence[Item], read: Sequence[Item]) -> list[tuple[int, int]]:
    """``(expected index, read index)`` of the items that are the same, each used once, likeliest first."""
    scored = []
    for e, want in enumerate(expected):
        for r, got in enumerate(read):
            alike = likeness(want.get("description"), got.get("description"))
            same = same_number(want.get("amount"), got.get("amount"))
            if alike >= LIKENESS or (same and alike >= SAME_AMOUNT_LIKENESS):
                scored.append((same + alike, e, r))
    pairs, used_e, used_r = [], set(), set()
    for _, e, r in sorted(scored, key=lambda s: -s[0]):
        if e not in used_e and r not in used_r:
            pairs.append((e, r))
            used_e.add(e)
            used_r.add(r)
    return sorted(pairs)


def likeness(expected: object, read: object) -> float:
    """How alike two descriptions are, 0..1, after case and spacing."""
    return difflib.SequenceMatcher(None, _text(expected), _text(read)).ratio() if expected and read else 0.0


def same_number(expected: object, read: object) -> bool:
    first, second = _number(expected), _number(read)
    return first is not None and first == second


def _number(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _text(value: object) -> str:
    return " ".join(str(value or "").casefold().split())
