"""Training the line model (``extraction/learned/line_model.py``) from documents whose items are known.

A document's lines are labelled from its items: an item's row is the line printing its amount with most of its
description around it; the lines just above or below that print the rest of its description (a receipt's article
above its ``2 x 3.50`` line, a wrapped description below) belong to it, the first of them starting it; the line
naming two or more columns right above a table's first item is its header; every other line is "other". A
document whose items cannot all be found so is left out (its labels would teach wrong answers).

Sources: generated invoices (English, German, French, Chinese), receipts and expense claims with their line items,
and the printed pages of the e-invoice PDFs of the corpora that the evaluation does not hold out, labelled with the
lines of the XML inside them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np

from core.money import decimal_value
from extraction.layout import document_lines
from extraction.learned.item_rows import header_columns, row_tokens
from extraction.learned.line_features import line_features
from extraction.learned.line_items import ITEM_TYPES
from extraction.learned.line_model import CONTINUATION, HEADER, OTHER, START, LineModel, train_line_model
from extraction.learned.scorer import TrainingOptions
from extraction.model import Line

WORD = re.compile(r"[\u4e00-\u9fff]|[^\W_]+")
COVERED = 0.1
"""The share of an item's description words the lines around its amount must print for that amount to be its (real
invoices print article numbers and notes among a description's words)."""
OWN_WORDS = 0.7
"""The share of a neighbouring line's words that must be the item's description for the line to be the item's."""
NEIGHBOURS = 3


@dataclass(frozen=True)
class LabelledLines:
    """One document's lines with their labels (``line_model.LABELS``)."""

    name: str
    doc_type: str
    lines: list[Line]
    labels: list[int]


def words_of(text: str) -> list[str]:
    """Lower-case words, each Chinese character a word of its own."""
    return WORD.findall(text.lower())


def item_line_labels(lines: list[Line], items: Sequence[dict]) -> list[int] | None:
    """The label of every line given the document's items in order; None when an item is not found."""
    labels, after = [OTHER] * len(lines), 0
    for item in items:
        found = item_lines(lines, item, after, labels)
        if found is None:
            return None
        labels[found[0]] = START
        for index in found[1:]:
            labels[index] = CONTINUATION
        after = found[-1] + 1
    mark_headers(lines, labels)
    return labels


def item_lines(lines: list[Line], item: dict, after: int, labels: list[int]) -> list[int] | None:
    """The lines of ``item`` at or after line ``after``: its amount's line and the lines of its description
    around it, top to bottom."""
    amount = decimal_value(item.get("amount"))
    wanted = words_of(item.get("description") or "")
    best, best_cover = None, -1.0
    for index in range(after, len(lines)):
        if amount is None or amount not in _amounts(lines[index]):
            continue
        found = _with_description(lines, index, wanted, after)
        cover = _covered(wanted, [lines[i] for i in found])
        if cover > best_cover:
            best, best_cover = found, cover
    return best if best is not None and (not wanted or best_cover >= COVERED) else None


def _amounts(line: Line) -> set[Decimal]:
    return {token.number for token in row_tokens(line, 0) if token.kind == "amount"}


def _with_description(lines: list[Line], index: int, wanted: list[str], after: int) -> list[int]:
    """``index`` and the lines just above and below it that print words of the description and no amount."""
    found = [index]
    for step in (-1, 1):
        at = index + step
        while after <= at < len(lines) and abs(at - index) <= NEIGHBOURS and _describes(lines[at], wanted, lines, found):
            found.append(at)
            at += step
    return sorted(found)


def _describes(line: Line, wanted: list[str], lines: list[Line], found: list[int]) -> bool:
    """Whether ``line`` prints more of the description (mostly its words, some not yet printed) and no amount."""
    own = words_of(line.text)
    if not own or _amounts(line) or line.page != lines[found[0]].page:
        return False
    missing = Counter(wanted) - Counter(word for i in found for word in words_of(lines[i].text))
    share = sum(word in wanted for word in own) / len(own)
    return share >= OWN_WORDS and any(word in missing for word in own)


def _covered(wanted: list[str], found: list[Line]) -> float:
    if not wanted:
        return 1.0
    printed = {word for line in found for word in words_of(line.text)}
    return sum(word in printed for word in wanted) / len(wanted)


def mark_headers(lines: list[Line], labels: list[int]) -> None:
    """The line right above the first item of a page, when it names two or more columns and prints no amount."""
    pages_seen = set()
    for index, label in enumerate(labels):
        if label != START or lines[index].page in pages_seen:
            continue
        pages_seen.add(lines[index].page)
        above = index - 1
        if above >= 0 and labels[above] == OTHER and lines[above].page == lines[index].page \
                and len(header_columns(lines[above])) >= 2 and not _amounts(lines[above]):
            labels[above] = HEADER


# --- sources ------------------------------------------------------------------------------------------------------


def synthetic_item_documents(count: int, *, seed: int) -> Iterable[tuple[str, str, list[Line], list[dict]]]:
    """Generated invoices, receipts and expense claims (English, German, French, Chinese) with their items."""
    from ledgerdesk.training.page_cache import read_pages
    from ledgerdesk.training.synthetic import synthetic_documents

    made = synthetic_documents(count, seed=seed, doc_types=ITEM_TYPES, languages=("en", "zh", "de", "fr"))
    for index, generated in enumerate(made):
        yield (f"synthetic-{seed}-{index}", generated.doc_type, document_lines(read_pages(generated.pdf, None)),
               generated.line_items)


def einvoice_item_documents(root: Path, pages_of: Callable[[Path], list]):
    """The printed pages of the corpus's e-invoice PDFs that are not held out, with the lines of their XML."""
    from ledgerdesk.evaluation.corpora import read_invoice_pages
    from ledgerdesk.evaluation.split import is_held_out

    for sample in read_invoice_pages(root).samples:
        if sample.items and not is_held_out(sample.name):
            yield sample.name, "invoice", document_lines(pages_of(sample.path)), list(sample.items)


def labelled(documents: Iterable[tuple[str, str, list[Line], list[dict]]],
             progress: Callable[[str], None]) -> list[LabelledLines]:
    """The documents whose items were all found on their lines, labelled; the others are counted and left out."""
    kept, missed = [], []
    for name, doc_type, lines, items in documents:
        labels = item_line_labels(lines, items) if lines and items else None
        if labels is None:
            missed.append(name)
        else:
            kept.append(LabelledLines(name, doc_type, lines, labels))
    if missed:
        progress(f"left out {len(missed)} documents whose items were not all found on their lines: "
                 + ", ".join(missed[:8]) + (" ..." if len(missed) > 8 else ""))
    return kept


# --- training -----------------------------------------------------------------------------------------------------


def train_line_items(corpora: Path | None, out: Path, *, cache: Path, synthetic: int, options: TrainingOptions,
                     progress: Callable[[str], None] = print) -> LineModel:
    """The line model from ``synthetic`` generated documents and the corpora's e-invoice PDFs (held-out files
    excluded), written to ``out``. Every fifth document (of each source) calibrates the confidences instead of
    training."""
    from ledgerdesk.training.page_cache import PageCache

    progress(f"generating {synthetic} documents (seed {options.seed}) and finding their items")
    documents = labelled(synthetic_item_documents(synthetic, seed=options.seed), progress)
    real = []
    if corpora is not None and (corpora / "einvoice").is_dir():
        real = labelled(einvoice_item_documents(corpora / "einvoice", PageCache(cache, "none", None).pages), progress)
    learn = [d for i, d in enumerate(documents) if i % 5] + [d for i, d in enumerate(real) if i % 5]
    check = documents[::5] + real[::5]
    if not learn:
        raise ValueError("no document to train on: give --synthetic documents or a --corpora folder with einvoice/")
    progress(f"training on {len(learn)} documents ({len(real)} real in all), calibrating on {len(check)}")
    info = {"trained_on": len(learn), "calibrated_on": len(check), "real": len(real), "synthetic": synthetic,
            "epochs": options.epochs, "seed": options.seed}
    model = train_line_model([line_features(d.lines) for d in learn], [d.labels for d in learn],
                             ([line_features(d.lines) for d in check], [d.labels for d in check]), options, info)
    model.save(out)
    return model


def label_counts(documents: Sequence[LabelledLines]) -> np.ndarray:
    """How many lines carry each label."""
    return np.bincount(np.concatenate([np.asarray(d.labels) for d in documents]), minlength=4)
