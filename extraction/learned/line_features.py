"""What the line model sees of each line of a document: its words (hashed, so Chinese and German labels count as
much as English ones), what its tokens are (amounts, plain numbers, a quantity x price pair, rates, dates), where
it stands on the page and against the total's line, how its numbers line up under the column labels of the header
above it (``Qty``, ``Menge``, ``数量``, ``金额`` ...) and with the amounts of the other lines, and the same look
of the lines just above and below."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from extraction.learned.features import HASH_BUCKETS, hashed_words
from extraction.learned.item_rows import Column, Token, best_product, column_role, header_columns, row_tokens
from extraction.model import Line

NUMERIC_ROLES = ("quantity", "unit_price", "amount", "tax_rate", "tax_amount")
HEADER_REACH = 40
"""How many lines above a line its table's header may stand."""
ALIGNED = 0.01
"""Two amounts whose right edges are this close (page fraction) stand in one column."""
CONTEXT_FEATURES = 12


@dataclass(frozen=True)
class LineFacts:
    """One line read once: its tokens, its header columns (if it is a header) and its largest amount."""

    line: Line
    tokens: list[Token]
    columns: list[Column]
    largest: float
    amount_edge: float | None
    """The right edge of the line's rightmost amount."""


def line_facts(lines: list[Line]) -> list[LineFacts]:
    return [_facts(line) for line in lines]


def _facts(line: Line) -> LineFacts:
    tokens = row_tokens(line, 0)
    amounts = [t for t in tokens if t.kind == "amount"]
    return LineFacts(line, tokens, header_columns(line), max((abs(float(t.number)) for t in amounts), default=0.0),
                     amounts[-1].bbox[2] if amounts else None)


def shape_count() -> int:
    return len(_own_shape(_EMPTY, [], 0, 1.0))


def feature_count() -> int:
    return HASH_BUCKETS + 3 * shape_count() + CONTEXT_FEATURES


def line_features(lines: list[Line]) -> np.ndarray:
    """One row per line (``feature_count()`` columns)."""
    facts = line_facts(lines)
    rows = np.zeros((len(lines), feature_count()), dtype=np.float32)
    height = _median_height(lines)
    total = int(np.argmax([f.largest for f in facts])) if facts else 0
    shapes = [_own_shape(f, facts, i, height) for i, f in enumerate(facts)]
    blank = np.zeros(shape_count(), dtype=np.float32)
    for i, fact in enumerate(facts):
        rows[i] = np.concatenate([hashed_words(fact.line.text), shapes[i], shapes[i - 1] if i else blank,
                                  shapes[i + 1] if i + 1 < len(facts) else blank,
                                  _context(facts, i, height, total)])
    return rows


_EMPTY = LineFacts(Line(1, ()), [], [], 0.0, None)


def _own_shape(fact: LineFacts, facts: list[LineFacts], index: int, height: float) -> np.ndarray:
    """The line's own look: its tokens, its box and whether it reads as a header."""
    kinds = [t.kind for t in fact.tokens]
    text = fact.line.text
    x0, y0, x1, y1 = fact.line.bbox if fact.line.words else (0.0, 0.0, 0.0, 0.0)
    values = [
        min(kinds.count("amount"), 4) / 4, float("amount" in kinds), min(kinds.count("number"), 4) / 4,
        float("rate" in kinds), float("date" in kinds), float("currency" in kinds), float("operator" in kinds),
        min(kinds.count("text"), 12) / 12, float(bool(kinds) and kinds[-1] == "amount"),
        float(bool(kinds) and kinds[0] == "number"), float(_has_product(fact)),
        _share(text, str.isdigit), _share(text, lambda ch: "\u4e00" <= ch <= "\u9fff"), float(":" in text),
        x0, x1, x1 - x0, y0, min((y1 - y0) / height, 3) / 3,
        min(len(fact.columns), 6) / 6, min(sum(c.role in NUMERIC_ROLES for c in fact.columns), 4) / 4,
        min(_aligned_amounts(fact, facts), 8) / 8,
    ]
    return np.asarray(values, dtype=np.float32)


def _has_product(fact: LineFacts) -> bool:
    numbers = [i for i, t in enumerate(fact.tokens) if t.kind in ("amount", "number")]
    return len(numbers) >= 3 and best_product(fact.tokens, numbers) is not None


def _share(text: str, test) -> float:
    return sum(map(test, text)) / max(len(text), 1)


def _aligned_amounts(fact: LineFacts, facts: list[LineFacts]) -> int:
    """How many other lines of the page end their amounts where this one does (a column of line amounts)."""
    if fact.amount_edge is None:
        return 0
    return sum(1 for other in facts if other is not fact and other.line.page == fact.line.page
               and other.amount_edge is not None and abs(other.amount_edge - fact.amount_edge) <= ALIGNED)


def _context(facts: list[LineFacts], index: int, height: float, total: int) -> np.ndarray:
    """Where the line stands among the others: against the total's line (the largest amount), the gaps and
    indents to its neighbours, and how its numbers stand under the header above it."""
    count, fact = len(facts), facts[index]
    header = _header_above(facts, index)
    values = [
        index / count, float(index < total), float(index == total), max(min((total - index) / 20, 1), -1),
        fact.largest / (facts[total].largest or 1.0),
        _gap(facts, index - 1, index, height), _gap(facts, index, index + 1, height),
        _indent(facts, index - 1, index), _indent(facts, index, index + 1),
        float(header is not None), min(index - header, HEADER_REACH) / HEADER_REACH if header is not None else 1.0,
        _under_numeric_columns(fact, facts[header].columns) if header is not None else 0.0,
    ]
    return np.asarray(values, dtype=np.float32)


def _gap(facts: list[LineFacts], upper: int, lower: int, height: float) -> float:
    """The space between two lines, in line heights (clipped to 0..5, then /5); 1 where there is no such line or
    the page changes."""
    if upper < 0 or lower >= len(facts) or facts[upper].line.page != facts[lower].line.page:
        return 1.0
    space = facts[lower].line.bbox[1] - facts[upper].line.bbox[3]
    return min(max(space / height, 0), 5) / 5


def _indent(facts: list[LineFacts], upper: int, lower: int) -> float:
    if upper < 0 or lower >= len(facts):
        return 0.0
    return float(np.clip(facts[lower].line.bbox[0] - facts[upper].line.bbox[0], -0.5, 0.5))


def _header_above(facts: list[LineFacts], index: int) -> int | None:
    """The nearest line above on the same page naming two or more columns."""
    page = facts[index].line.page
    for above in range(index - 1, max(index - HEADER_REACH, -1), -1):
        if facts[above].line.page != page:
            return None
        if len(facts[above].columns) >= 2:
            return above
    return None


def _under_numeric_columns(fact: LineFacts, columns: list[Column]) -> float:
    """The share of the line's numbers standing under a numeric column of the header."""
    numbers = [t for t in fact.tokens if t.kind in ("amount", "number", "rate")]
    if not numbers:
        return 0.0
    return sum(column_role(t, columns) in NUMERIC_ROLES for t in numbers) / len(numbers)


def _median_height(lines: list[Line]) -> float:
    heights = sorted(w.bbox[3] - w.bbox[1] for line in lines for w in line.words)
    return heights[len(heights) // 2] if heights else 0.01
