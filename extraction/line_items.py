"""Line items in one shape, whoever read them: an e-invoice's XML (``einvoice/fields.py``) or a page
(``learned/line_items.py``).

An invoice's or a receipt's item is ``{description, quantity, unit, unit_price, amount, tax_rate, tax_amount}``,
an expense claim's ``{date, category, description, amount, currency}`` (DESIGN.md section 5); a value not stated
is None. Amounts are ``"1234.56"``, a quantity ``"2"`` or ``"2.5"``, a unit price keeps the decimals it was
printed with beyond the cent (``"9.90"``, ``"0.7925"``), a rate ``"19"`` or ``"5.5"`` (as the ``tax_rate`` field),
dates ISO. Like a field, each item says how sure the reader is and where it stands: ``confidence``, ``page``,
``bbox`` (page fractions), ``source`` and ``evidence``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.money import money_str
from extraction.model import BBox

INVOICE_ITEM_KEYS = ("description", "quantity", "unit", "unit_price", "amount", "tax_rate", "tax_amount")
CLAIM_ITEM_KEYS = ("date", "category", "description", "amount", "currency")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ItemEvidence:
    """How sure the reader is of an item and where it was read."""

    confidence: float
    source: str
    page: int | None = None
    bbox: BBox | None = None
    text: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"confidence": round(self.confidence, 3), "page": self.page,
                "bbox": [round(v, 4) for v in self.bbox] if self.bbox else None, "source": self.source,
                "evidence": self.text}


@dataclass(frozen=True)
class LineItem:
    """One line of an invoice or a receipt."""

    description: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    tax_rate: Decimal | None = None
    tax_amount: Decimal | None = None

    def as_json(self, evidence: ItemEvidence) -> dict[str, Any]:
        """The stored and API shape, evidence included."""
        return {"description": self.description, "quantity": quantity_text(self.quantity), "unit": self.unit,
                "unit_price": price_text(self.unit_price), "amount": money_str(self.amount),
                "tax_rate": rate_text(self.tax_rate), "tax_amount": money_str(self.tax_amount)} | evidence.as_json()


@dataclass(frozen=True)
class ClaimItem:
    """One expense of an expense claim."""

    date: datetime.date | None = None
    category: str | None = None
    description: str | None = None
    amount: Decimal | None = None
    currency: str | None = None

    def as_json(self, evidence: ItemEvidence) -> dict[str, Any]:
        return {"date": self.date.isoformat() if self.date else None, "category": self.category,
                "description": self.description, "amount": money_str(self.amount),
                "currency": self.currency} | evidence.as_json()


def quantity_text(quantity: Decimal | None) -> str | None:
    """``2`` for 2.000, ``2.5`` for 2.50."""
    return None if quantity is None else f"{quantity.normalize():f}"


def price_text(price: Decimal | None) -> str | None:
    """At least the cents (``9.90`` for 9.9000), more where they are not zeros (``0.7925``)."""
    if price is None:
        return None
    trimmed = price.normalize()
    return f"{trimmed:f}" if trimmed.as_tuple().exponent < -2 else f"{price.quantize(CENT):f}"


def rate_text(rate: Decimal | None) -> str | None:
    """``19`` for 19.00, ``5.5`` for 5.50."""
    return None if rate is None else f"{rate.normalize():f}"
