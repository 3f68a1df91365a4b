"""One payment for several invoices: which of the candidate items add up to the amount paid. Pure.

Bounded, so a vendor with hundreds of open items costs no more than one with a dozen: at most ``MAX_POOL`` items are
considered (the caller puts those the remittance names first, then the counterparty's due nearest the payment), in
subsets of two to ``MAX_SIZE`` items: at most C(12,2) + C(12,3) + C(12,4) = 781 sums per payment. The items the
remittance names are also tried all together, however many. The search stops at ``MAX_ANSWERS`` subsets that fit:
more than one is ambiguous anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

MAX_POOL = 12
MAX_SIZE = 4
MAX_ANSWERS = 3


def fitting_subsets(amounts: Sequence[int], low: int, high: int,
                    named: Sequence[int] = ()) -> list[tuple[int, ...]]:
    """The subsets (as indexes into ``amounts``, in cents, all on one side of zero) that add up to between ``low``
    and ``high``: ``named`` (the indexes the remittance names) all together first, then the others by size."""
    sign = -1 if low < 0 else 1
    pool = sorted(range(min(len(amounts), MAX_POOL)), key=lambda index: sign * amounts[index])
    sizes = [sign * amounts[index] for index in pool]
    low, high = (low, high) if sign > 0 else (-high, -low)
    found = [tuple(named)] if len(named) > 1 and low <= sum(sizes_of(amounts, named, sign)) <= high else []
    for size in range(2, MAX_SIZE + 1):
        picks: list[tuple[int, ...]] = []
        _adding_up(sizes, size, low, high, 0, 0, (), picks, MAX_ANSWERS - len(found) + 1)
        for picked in picks:
            subset = tuple(sorted(pool[index] for index in picked))
            if subset != tuple(sorted(named)):
                found.append(subset)
            if len(found) >= MAX_ANSWERS:
                return found[:MAX_ANSWERS]
    return found


def sizes_of(amounts: Sequence[int], indexes: Sequence[int], sign: int) -> list[int]:
    return [sign * amounts[index] for index in indexes]


def _adding_up(sizes: list[int], size: int, low: int, high: int, start: int, total: int, picked: tuple[int, ...],
               found: list[tuple[int, ...]], limit: int) -> None:
    """Ways to pick ``size`` more of ``sizes`` (ascending) from ``start`` on that bring ``total`` to between ``low``
    and ``high``, added to ``found`` in order until it holds ``limit`` (one more than the answers still wanted: one
    of them may be the named items, counted apart); a branch stops as soon as its total is past ``high`` (every later
    size is as large). Appending to a list, not yielding: a generator per branch costs more than the sums."""
    if size == 1:
        for index in range(start, len(sizes)):
            reached = total + sizes[index]
            if reached > high:
                return
            if reached >= low:
                found.append(picked + (index,))
                if len(found) >= limit:
                    return
        return
    if total + sum(sizes[len(sizes) - size:]) < low:
        return  # even the largest would not reach it
    for index in range(start, len(sizes) - size + 1):
        if total + sizes[index] * size > high or len(found) >= limit:
            return
        _adding_up(sizes, size - 1, low, high, index + 1, total + sizes[index], picked + (index,), found, limit)
