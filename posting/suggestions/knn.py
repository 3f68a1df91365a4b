"""Learned account suggestions: the account of a new expense line, voted by the confirmed lines most like it. Pure:
vectors and values in, a ``Suggestion`` (or the reason there is none) out.

Every expense or asset line of an approved voucher is an ``Example``: its vendor, its description and the account it
was posted to. Descriptions are compared by their vectors (``description_vectors``): the MiniLM embedding, which
knows that "cloud server hosting" is like "AWS EC2 hosting", beside the description's hashed words, which tell 差旅费
from 办公费 where MiniLM barely knows Chinese.

A line of the same vendor counts as ``VENDOR_BONUS`` more alike. The ``NEIGHBOURS`` examples most alike to a new line
(at least ``MIN_SIMILARITY``) vote for their accounts: a line with the same words counts one vote, and each
``SHARPNESS`` less alike counts e times less, so a few close lines outvote many vague ones, and the vendor's own lines
outvote other vendors' ("Services March" says little; who sent it says much). The account with the most votes is
suggested with the confidence: its votes / (all the votes + ``PRIOR_VOTES``) times n / (n + ``PRIOR_VOUCHERS``), n
the confirmed vouchers behind it, so that a split vote is not certain, nor a few faint votes, nor one voucher alone.
Under ``MIN_CONFIDENCE`` nothing is suggested (an ``Abstention`` says why) and drafting goes on to the category's account or the chart's expense
account. The constants were tuned on generated histories (``ledgerdesk eval suggestions``, other seeds than its own).
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from core.embeddings import CJK_RUN, DIMENSIONS, Encode, hashed_ngrams, unit_length

NEIGHBOURS = 20
MIN_SIMILARITY = 0.4
"""Less alike than this (cosine similarity, with the vendor's bonus), a confirmed line does not vote."""
VENDOR_BONUS = 0.5
"""How much more alike a line of the same vendor counts."""
SHARPNESS = 0.2
"""How much less alike a line may be for its vote to count e times less."""
PRIOR_VOTES = 0.1
PRIOR_VOUCHERS = 1.0
MIN_CONFIDENCE = 0.3
WORD_BUCKETS = 256
MEANING_WEIGHT = 0.8
"""The embedding's part of a description's vector (the hashed words have the rest)."""
CHINESE_MEANING_WEIGHT = 0.3
"""The embedding's part for a description in Chinese, which the MiniLM vocabulary barely knows."""
SHOWN_NEIGHBOURS = 5
QUOTED_CHARACTERS = 60
_NUMBER_LIKE = re.compile(r"\S*\d{3,}\S*")
"""Invoice numbers, dates, amounts: what changes from one voucher of a kind to the next."""


@dataclass(frozen=True)
class Example:
    """A confirmed expense or asset line."""

    voucher_id: uuid.UUID
    vendor_id: uuid.UUID | None
    vendor_name: str
    description: str
    account_code: str


@dataclass(frozen=True)
class Query:
    """A line whose account is asked: its vendor (matched to the master, else as printed) and its description."""

    vendor_id: uuid.UUID | None
    vendor_name: str
    description: str


@dataclass(frozen=True)
class History:
    """A company's examples; row i of ``vectors`` is ``examples[i]``'s description vector."""

    examples: tuple[Example, ...]
    vectors: np.ndarray = field(repr=False, compare=False)
    _vendor_ids: np.ndarray = field(init=False, repr=False, compare=False)
    _vendor_names: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ids = [str(example.vendor_id or "") for example in self.examples]
        object.__setattr__(self, "_vendor_ids", np.array(ids, dtype=object))
        names = [vendor_key(example.vendor_name) for example in self.examples]
        object.__setattr__(self, "_vendor_names", np.array(names, dtype=object))

    def of_vendor(self, query: Query) -> np.ndarray:
        """Which examples are of the query's vendor: the same vendor of the master, or the same name."""
        same = np.zeros(len(self.examples), dtype=bool)
        if query.vendor_id is not None:
            same |= self._vendor_ids == str(query.vendor_id)
        if vendor_key(query.vendor_name):
            same |= self._vendor_names == vendor_key(query.vendor_name)
        return same


Neighbour = tuple[uuid.UUID, str, str, float]
"""A confirmed line that voted: its voucher, its description, its account and how alike it is."""


@dataclass(frozen=True)
class Suggestion:
    account_code: str
    confidence: float
    support: int
    """The confirmed vouchers whose lines voted for the account."""
    vendor_support: int
    """Those of them of the same vendor."""
    neighbours: tuple[Neighbour, ...]
    """The nearest lines that voted (for any account), nearest first."""
    reason: str


@dataclass(frozen=True)
class Abstention:
    """Why history suggests nothing."""

    reason: str
    neighbours: tuple[Neighbour, ...] = ()


NOTHING_LEARNED = Abstention("no confirmed voucher to learn from yet")

Suggestions = Mapping[int | None, Suggestion]
"""What drafting is given: the suggestion for each line item (by its index) and for the document as one line (None)."""
NO_SUGGESTIONS: Suggestions = MappingProxyType({})


@dataclass(frozen=True)
class _Vote:
    example: Example
    similarity: float
    same_vendor: bool

    @property
    def votes(self) -> float:
        """One as alike as the same words, e times less for each ``SHARPNESS`` less alike."""
        return math.exp((self.similarity + VENDOR_BONUS * self.same_vendor - 1.0) / SHARPNESS)

    def neighbour(self) -> Neighbour:
        return (self.example.voucher_id, self.example.description, self.example.account_code,
                round(self.similarity, 3))


def suggest(history: History, query: Query, vector: np.ndarray) -> Suggestion | Abstention:
    """The account the confirmed lines nearest to the query vote for (``vector``: its ``description_vectors``)."""
    if not history.examples:
        return NOTHING_LEARNED
    similarities = history.vectors @ vector
    votes = _nearest(history, query, similarities)
    if not votes:
        return Abstention(_nothing_alike(history, similarities))
    return _elected(votes)


def _nearest(history: History, query: Query, similarities: np.ndarray) -> list[_Vote]:
    same_vendor = history.of_vendor(query)
    alike = similarities + VENDOR_BONUS * same_vendor
    order = np.argsort(-alike, kind="stable")[:NEIGHBOURS]
    return [_Vote(history.examples[i], float(similarities[i]), bool(same_vendor[i])) for i in order
            if alike[i] >= MIN_SIMILARITY]


def _elected(votes: list[_Vote]) -> Suggestion | Abstention:
    tally: dict[str, float] = {}
    for vote in votes:
        tally[vote.example.account_code] = tally.get(vote.example.account_code, 0.0) + vote.votes
    ranked = sorted(tally, key=lambda code: (-tally[code], code))
    winner = ranked[0]
    backing = [vote for vote in votes if vote.example.account_code == winner]
    confidence = _confidence(tally, winner, backing)
    shown = tuple(vote.neighbour() for vote in votes[:SHOWN_NEIGHBOURS])
    if confidence < MIN_CONFIDENCE:
        return Abstention(_unsure(ranked, tally, confidence), shown)
    return Suggestion(winner, round(confidence, 3), _vouchers(backing), _vouchers(v for v in backing if v.same_vendor),
                      shown, _learned_from(backing))


def _confidence(tally: dict[str, float], winner: str, backing: list[_Vote]) -> float:
    vouchers = _vouchers(backing)
    return tally[winner] / (sum(tally.values()) + PRIOR_VOTES) * vouchers / (vouchers + PRIOR_VOUCHERS)


def _vouchers(votes: Iterable[_Vote]) -> int:
    return len({vote.example.voucher_id for vote in votes})


def _learned_from(backing: list[_Vote]) -> str:
    support, nearest = _vouchers(backing), backing[0]
    return (f"learned from {support} confirmed voucher{'s' * (support != 1)} "
            f"({_vouchers(v for v in backing if v.same_vendor)} of this vendor): nearest "
            f"'{_quoted(nearest.example.description)}' -> {nearest.example.account_code} ({nearest.similarity:.2f})")


def _nothing_alike(history: History, similarities: np.ndarray) -> str:
    nearest = int(np.argmax(similarities))
    example = history.examples[nearest]
    return (f"no confirmed line is alike enough (at least {MIN_SIMILARITY}, {VENDOR_BONUS} more for the same "
            "vendor): the nearest, "
            f"'{_quoted(example.description)}' -> {example.account_code}, is {similarities[nearest]:.2f}")


def _unsure(ranked: list[str], tally: dict[str, float], confidence: float) -> str:
    total = sum(tally.values())
    shares = ", ".join(f"{code} {tally[code] / total:.0%}" for code in ranked)
    return f"the confirmed lines like it are not sure ({shares}): confidence {confidence:.2f}, under {MIN_CONFIDENCE}"


def _quoted(description: str) -> str:
    text = " ".join(description.split())
    return text if len(text) <= QUOTED_CHARACTERS else text[:QUOTED_CHARACTERS - 1] + "…"


def description_vectors(descriptions: Sequence[str], encode: Encode) -> np.ndarray:
    """One unit row per description: its MiniLM embedding (from ``encode``) beside its hashed words, weighed by how
    well MiniLM knows its language."""
    texts = [comparable_text(description) for description in descriptions]
    if not texts:
        return np.zeros((0, DIMENSIONS + WORD_BUCKETS), dtype=np.float32)
    return np.stack([_vector(meaning, text) for meaning, text in zip(encode(texts), texts)])


def comparable_text(description: str) -> str:
    """The description without what changes from one voucher to the next (invoice numbers, dates, amounts)."""
    return " ".join(_NUMBER_LIKE.sub(" ", description).split())


def _vector(meaning: np.ndarray, text: str) -> np.ndarray:
    weight = CHINESE_MEANING_WEIGHT if CJK_RUN.search(text) else MEANING_WEIGHT
    words = hashed_ngrams(text, WORD_BUCKETS) * math.sqrt(1 - weight ** 2)
    return unit_length(np.concatenate([meaning * weight, words]))


def vendor_key(name: str) -> str:
    """A vendor's name as compared: case and spacing do not count."""
    return " ".join(name.casefold().split())
