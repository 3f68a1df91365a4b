"""Labelled synthetic documents for training the classifier and the learned field extractor: rendered PDFs with
a text layer, in English, German and Chinese, in varied real-world layouts, each with the exact canonical values
of the fields it prints (DESIGN.md section 5).

Deterministic: the same ``(doc_type, seed, language)`` always gives the same bytes. Values are drawn first (pure
modules ``synthetic_values``, ``synthetic_parties``, ``synthetic_ids``), then drawn on pages
(``synthetic_invoices``, ``synthetic_fapiao``, ``synthetic_receipts``, ...), which record what they print.

    >>> document = synthetic_document("invoice", seed=7, language="de")
    >>> document.fields["total_amount"], document.layout
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from ledgerdesk.training import synthetic_values as values
from ledgerdesk.training.synthetic_claims import draw_claim
from ledgerdesk.training.synthetic_contracts import draw_contract
from ledgerdesk.training.synthetic_fapiao import draw_fapiao
from ledgerdesk.training.synthetic_formats import canonical_amount, percent
from ledgerdesk.training.synthetic_invoice_layouts import draw_wide_invoice
from ledgerdesk.training.synthetic_invoices import draw_invoice
from ledgerdesk.training.synthetic_other import draw_other, draw_statement
from ledgerdesk.training.synthetic_pdf import Truth
from ledgerdesk.training.synthetic_receipts import ITEM_STYLES, draw_receipt
from ledgerdesk.training.synthetic_values import side_stream

ALL_TYPES = ("invoice", "receipt", "contract", "expense_claim", "bank_statement", "other")
INVOICE_REGIONS = {"en": ("us", "uk", "nl", "fr", "at", "ie", "my", "sg"), "de": ("de",)}
WIDE_INVOICE_SHARE = {"en": 0.4, "de": 0.5, "fr": 1.0}
"""The share of invoices in each language drawn in the wide layouts of ``synthetic_invoice_layouts`` (DIN 5008
letters, French factures, bill-to/ship-to, ...) rather than those of ``synthetic_invoices``."""
RECEIPT_REGIONS = {"en": ("my", "my", "sg", "us", "uk"), "zh": ("zh",)}


@dataclass(frozen=True)
class SyntheticDocument:
    doc_type: str
    """invoice | receipt | contract | expense_claim | bank_statement | other"""
    language: str
    """``en``, ``zh``, ``de`` (German labels and continental numbers) or ``fr`` (French invoices)."""
    layout: str
    """The layout drawn, e.g. ``invoice/labels-below``, ``invoice/fapiao-digital-special``, ``receipt/roll-80mm-my``."""
    pdf: bytes
    fields: dict[str, object]
    """Canonical fields printed on the document, in canonical form: amounts ``"1234.56"``, ISO dates and
    currencies, ``tax_rate`` ``"19"``, ``parties`` a list of names, other text as printed."""
    line_items: list[dict[str, str]]
    """Invoice and receipt lines (description, quantity, unit, unit_price, amount, ...); expense claim items."""
    printed: dict[str, str] = field(default_factory=dict, compare=False)
    """Each field's text as printed on the page (``"1.103,03"``, ``"17/05/2024"``): what to look for in its words."""


Builder = Callable[[random.Random, str], tuple[bytes, Truth, str, list[dict[str, str]]]]


def synthetic_document(doc_type: str, seed: int, language: str = "en") -> SyntheticDocument:
    """One document of ``doc_type`` in ``language``, the same for the same arguments."""
    builder = BUILDERS.get(doc_type)
    if builder is None:
        raise ValueError(f"unknown document type {doc_type!r}; known: {', '.join(ALL_TYPES)}")
    pdf, truth, layout, items = builder(random.Random(f"{doc_type}:{language}:{seed}"), language)
    return SyntheticDocument(doc_type, language, layout, pdf, truth.fields, items, truth.printed)


def synthetic_documents(count: int, *, seed: int, doc_types: Sequence[str] = ALL_TYPES,
                        languages: Sequence[str] = ("en", "zh")) -> Iterator[SyntheticDocument]:
    """``count`` documents cycling through ``doc_types`` and ``languages`` (every pair in turn), each with its own
    seed drawn from ``seed``."""
    pairs = [(doc_type, language) for doc_type in doc_types for language in languages
             if language in SUPPORTED[doc_type]]
    rng = random.Random(seed)
    for index in range(count):
        doc_type, language = pairs[index % len(pairs)]
        yield synthetic_document(doc_type, rng.randrange(2**31), language)


def _regions(table: dict[str, tuple[str, ...]], doc_type: str, language: str) -> tuple[str, ...]:
    if language not in table:
        raise ValueError(f"no synthetic {doc_type} in language {language!r}; languages: {', '.join(table)}")
    return table[language]


def build_invoice(rng: random.Random, language: str) -> tuple[bytes, Truth, str, list[dict[str, str]]]:
    if language == "zh":
        fapiao = values.fapiao_values(rng)
        return (*draw_fapiao(rng, fapiao), item_dicts(fapiao.items))
    if side_stream(rng, "wide-invoice").random() < WIDE_INVOICE_SHARE.get(language, 0.0):
        pdf, truth, layout, items = draw_wide_invoice(rng, language)
        return pdf, truth, layout, item_dicts(items)
    invoice = values.invoice_values(rng, rng.choice(_regions(INVOICE_REGIONS, "invoice", language)))
    invoice = replace(invoice, items=values.with_details(side_stream(rng, "item-details"), invoice.items, language))
    return (*draw_invoice(rng, invoice, language), item_dicts(invoice.items))


def build_receipt(rng: random.Random, language: str) -> tuple[bytes, Truth, str, list[dict[str, str]]]:
    receipt = values.receipt_values(rng, rng.choice(_regions(RECEIPT_REGIONS, "receipt", language)))
    items = side_stream(rng, "receipt-items").choice(ITEM_STYLES) if language != "zh" else "article-above"
    if items != "article-above":
        receipt = replace(receipt, items=values.with_extras(side_stream(rng, "receipt-extras"), receipt.items))
    return (*draw_receipt(rng, receipt, items), item_dicts(receipt.items))


def build_contract(rng: random.Random, language: str) -> tuple[bytes, Truth, str, list[dict[str, str]]]:
    _regions({"en": (), "zh": ()}, "contract", language)
    return (*draw_contract(rng, language), [])


def build_claim(rng: random.Random, language: str) -> tuple[bytes, Truth, str, list[dict[str, str]]]:
    _regions({"en": (), "zh": ()}, "expense_claim", language)
    claim = values.claim_values(rng, language)
    items = [{"date": i.day.isoformat(), "category": i.category, "description": i.description,
              "amount": canonical_amount(i.amount), "currency": claim.currency} for i in claim.items]
    return (*draw_claim(rng, claim), items)


def build_statement(rng: random.Random, language: str) -> tuple[bytes, Truth, str, list[dict[str, str]]]:
    _regions({"en": (), "zh": ()}, "bank_statement", language)
    return (*draw_statement(rng, language), [])


def build_other(rng: random.Random, language: str) -> tuple[bytes, Truth, str, list[dict[str, str]]]:
    _regions({"en": (), "zh": ()}, "other", language)
    return (*draw_other(rng, language), [])


def item_dicts(items: Sequence[values.Item]) -> list[dict[str, str]]:
    """Line items in canonical form: quantity ``"2"`` or ``"2.5"``, amounts with two decimals."""
    return [_item_dict(item) for item in items]


def _item_dict(item: values.Item) -> dict[str, str]:
    line = {"description": item.description, "quantity": f"{item.quantity.normalize():f}",
            "unit_price": canonical_amount(item.unit_price), "amount": canonical_amount(item.amount)}
    if item.unit:
        line["unit"] = item.unit
    if item.tax_rate is not None:
        line["tax_rate"] = percent(item.tax_rate)
    if item.tax_amount is not None:
        line["tax_amount"] = canonical_amount(item.tax_amount)
    return line


BUILDERS: dict[str, Builder] = {"invoice": build_invoice, "receipt": build_receipt, "contract": build_contract,
                                "expense_claim": build_claim, "bank_statement": build_statement,
                                "other": build_other}
SUPPORTED = {"invoice": ("en", "de", "fr", "zh"), "receipt": ("en", "zh"), "contract": ("en", "zh"), "expense_claim": ("en", "zh"),
             "bank_statement": ("en", "zh"), "other": ("en", "zh")}
"""The languages each type is drawn in."""
