"""One payment for several invoices: which of the candidate items add up to the amount paid. Pure.

Bounded, so a vendor with hundreds of open items costs no more than one with a dozen: at most ``MAX_POOL`` items are
considered (the caller puts those the remittance names first, then the counterparty's due nearest the payment), in
subsets of two to ``MAX_SIZE`` items: at most C(12,2) + C(12,3) + C(12,4) = 781 sums per payment. The items the
remittance names are also tried all together, however many. The search stops at ``MAX_ANSWERS`` subsets that fit:
more than one is ambiguous anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

MAX_POOL = 12
MAX_SIZE = 4
MAX_ANSWERS = 3


def fitting_subsets(amounts: Sequence[int], target: int, tolerance: int,
                    named: Sequence[int] = ()) -> list[tuple[int, ...]]:
    """The subsets (as indexes into ``amounts``, in cents) that add up to ``target`` within ``tolerance``: ``named``
    (the indexes the remittance names) as a whole first, then by size."""
    pool = list(range(min(len(amounts), MAX_POOL)))
    tries = [tuple(named)] if len(named) > MAX_SIZE else []
    found: list[tuple[int, ...]] = []
    for subset in _subsets(tries, pool):
        if abs(sum(amounts[index] for index in subset) - target) <= tolerance:
            found.append(subset)
            if len(found) == MAX_ANSWERS:
                break
    return found


def _subsets(first: list[tuple[int, ...]], pool: list[int]):
    yield from first
    for size in range(2, MAX_SIZE + 1):
        yield from combinations(pool, size)
