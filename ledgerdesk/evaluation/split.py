"""Which samples a run scores: a hold-out split decided by a hash of each file's name.

The split depends on nothing but the name, so it is the same on every machine and in every run, and a file
never changes sides when others are added. Tune rules on the rest; quote accuracy on the held-out part."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

HOLDOUT_PERCENT = 20
"""The share of file names held out (never to be looked at while tuning)."""
SPLITS = ("holdout", "all")

T = TypeVar("T")


def is_held_out(name: str, percent: int = HOLDOUT_PERCENT) -> bool:
    """Whether the file called ``name`` belongs to the hold-out part (about ``percent`` of all names)."""
    bucket = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % 100
    return bucket < percent


def choose(items: Sequence[T], names: Sequence[str], split: str) -> list[T]:
    """The items of ``split`` (``holdout`` or ``all``), in their order; ``names[i]`` is the file name of
    ``items[i]``."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    return [item for item, name in zip(items, names, strict=True) if split == "all" or is_held_out(name)]
