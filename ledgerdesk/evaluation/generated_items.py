"""``ledgerdesk eval ... --synthetic N``: the line items of generated invoices, receipts and expense claims, read by
the whole pipeline from their pages (classification included) and scored against the generator's truth, per type
and language. The documents are drawn from a seed training never uses, so none of them was trained on; the
generator's templates were, so this is an optimistic measure, reported apart from the corpus's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from ledgerdesk.evaluation.item_scores import ItemCounts, score_items

GENERATED_SEED = 20261121
"""The seed the measured documents are drawn from (training's default is 7)."""
LANGUAGES = ("en", "de", "fr", "zh")


def generated_item_scores(count: int, seed: int = GENERATED_SEED,
                          progress: Callable[[int], None] = lambda done: None) -> dict[str, ItemCounts]:
    """Line-item counts per ``"<type> <language>"`` and ``all``, over ``count`` generated documents."""
    from extraction.learned.line_items import ITEM_TYPES
    from extraction.pipeline import DocumentInput, analyse_pages
    from ledgerdesk.training.page_cache import read_pages
    from ledgerdesk.training.synthetic import synthetic_documents

    rows: dict[str, ItemCounts] = defaultdict(ItemCounts)
    for index, made in enumerate(synthetic_documents(count, seed=seed, doc_types=ITEM_TYPES, languages=LANGUAGES)):
        document = DocumentInput(f"generated-{index}", "eval", "", "application/pdf", None)
        result = analyse_pages(read_pages(made.pdf, None), document, date.today())
        counts = score_items(made.line_items, result.line_items)
        rows[f"{made.doc_type} {made.language}"] += counts
        rows["all"] += counts
        progress(1)
    return dict(sorted(rows.items(), key=lambda row: (row[0] == "all", row[0])))


def generated_heading(count: int, seed: int = GENERATED_SEED) -> str:
    return (f"line items of {count} generated invoices, receipts and expense claims (seed {seed}: none trained on; "
            "the generator's templates were, so this is optimistic), read from their pages by the whole pipeline")
