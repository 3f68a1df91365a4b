"""Line items of invoices and receipts, and the items of expense claims, read from their pages.

The line model (``line_model.py``, trained by ``ledgerdesk train line-items``) labels each line: the start of an
item, its continuation, a table's header, or anything else. The lines of each item are then read with the columns
of the header above them (``item_rows.py``). Each item carries its evidence like a field: the model's calibrated
probability as its confidence (the least sure of its lines), the page, the box of its words and its lines' text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from extraction.learned.item_rows import read_claim_item, read_invoice_item
from extraction.learned.line_features import line_features
from extraction.learned.line_model import CONTINUATION, HEADER, START, LineModel, load_line_model
from extraction.line_items import ClaimItem, ItemEvidence, LineItem
from extraction.model import Line, union_bbox

MODEL_FILE = Path(__file__).resolve().parent.parent / "trained" / "line_items.safetensors"
ITEM_TYPES = ("invoice", "receipt", "expense_claim")
MAX_LINES = 800
"""The lines a document's items are looked for in (its first ones): a longer document is a report, not a bill."""


@dataclass(frozen=True)
class ItemLines:
    """The lines (indices) of one item, and the header line of its table if one was seen above it."""

    lines: tuple[int, ...]
    header: int | None


@lru_cache(maxsize=1)
def shipped_model() -> LineModel:
    """The model in the repository, loaded once per process."""
    return load_line_model(MODEL_FILE)


def extract_line_items(lines: list[Line], doc_type: str, model: LineModel | None = None, *,
                       sources: Mapping[int, str] | None = None, currency: str | None = None) -> list[dict[str, Any]]:
    """The items of a ``doc_type`` document whose words are ``lines`` (all pages, reading order), in the shape of
    ``extraction.line_items``; ``sources`` names each page's source (``pdf_text`` or ``ocr``), ``currency`` is the
    document's, which an expense claim's item printed without one is in. Items without an amount are left out."""
    if doc_type not in ITEM_TYPES or not lines:
        return []
    lines = lines[:MAX_LINES]
    labels, probabilities = (model or shipped_model()).read(line_features(lines))
    items = []
    for group in item_groups(labels):
        found = _read(doc_type, [lines[i] for i in group.lines], lines[group.header] if group.header is not None
                      else None, currency)
        if found.amount is not None:
            confidence = min(float(probabilities[i, labels[i]]) for i in group.lines)
            items.append(found.as_json(_evidence(lines, group, confidence, sources or {})))
    return items


def _read(doc_type: str, lines: list[Line], header: Line | None, currency: str | None) -> LineItem | ClaimItem:
    if doc_type != "expense_claim":
        return read_invoice_item(lines, header)
    item = read_claim_item(lines, header)
    return item if item.currency or not currency else replace(item, currency=currency)


def item_groups(labels: Sequence[int]) -> list[ItemLines]:
    """The items the labels make: a start and the continuations after it (a continuation with no start opens an
    item too); anything else ends the item. Each item keeps the last header seen before it."""
    groups: list[ItemLines] = []
    header, open_item = None, False
    for index, label in enumerate(labels):
        if label == CONTINUATION and open_item:
            groups[-1] = ItemLines((*groups[-1].lines, index), groups[-1].header)
        elif label in (START, CONTINUATION):
            groups.append(ItemLines((index,), header))
        header = index if label == HEADER else header
        open_item = label in (START, CONTINUATION)
    return groups


def _evidence(lines: list[Line], group: ItemLines, confidence: float, sources: Mapping[int, str]) -> ItemEvidence:
    chosen = [lines[i] for i in group.lines]
    page = chosen[0].page
    words = [word for line in chosen if line.page == page for word in line.words]
    return ItemEvidence(confidence, sources.get(page, "pdf_text"), page, union_bbox(words),
                        " / ".join(line.text for line in chosen))
