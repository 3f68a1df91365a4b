"""Generated documents for the voucher benchmark, as extraction leaves them: fields with a page and a box, line items
and claim items. Seeded and pure: the same seed gives the same documents.

The mix follows a shared-service centre's inbox: invoices of one VAT rate or of several, with line items or only
totals, a few credit notes and foreign-currency invoices; receipts of every spending category; expense claims of
several items. Amounts are consistent the way printed documents are (items make the subtotal, tax per rate rounded
half up), so every document drafts a voucher.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
RATES = (Decimal(20), Decimal(10), Decimal(5), Decimal(0))
CATEGORIES = ("meals", "groceries", "lodging", "travel", "local_transport", "fuel", "office_supplies", "hardware",
              "telecom", "software")
FOREIGN_CURRENCY = "USD"
ITEM_WORDS = ("Consulting hours", "Cloud hosting", "Laptop stand", "Printer toner", "Office chairs", "Licence fee",
              "Maintenance visit", "Freight", "Translation", "Catering", "Cleaning service", "Cables and adapters")
BOX = (0.55, 0.8, 0.9, 0.82)


@dataclass(frozen=True)
class GeneratedDocument:
    doc_type: str
    fields: dict[str, dict[str, Any]]
    items: list[dict[str, Any]] = field(default_factory=list)
    vendor: int | None = None
    """Which of the generated vendors issued it (invoices)."""
    employee: int | None = None
    """Which of the generated employees paid (receipts, claims)."""


def generated_documents(count: int, seed: int, vendors: int, employees: int) -> list[GeneratedDocument]:
    """``count`` documents: about 70% invoices (1 in 12 a credit note, 1 in 10 in US dollars), 20% receipts and 10%
    expense claims."""
    rng = random.Random(seed)
    return [_document(rng, number, vendors, employees) for number in range(count)]


def _document(rng: random.Random, number: int, vendors: int, employees: int) -> GeneratedDocument:
    roll = rng.random()
    if roll < 0.7:
        return _invoice(rng, number, rng.randrange(vendors))
    if roll < 0.9:
        return _receipt(rng, rng.randrange(employees))
    return _claim(rng, rng.randrange(employees))


def _invoice(rng: random.Random, number: int, vendor: int) -> GeneratedDocument:
    rates = rng.sample(RATES[:3], 2) if rng.random() < 0.3 else [rng.choice(RATES)]
    items = [_item(rng, rng.choice(rates)) for _ in range(rng.randint(1, 6))]
    net = sum((Decimal(item["amount"]) for item in items), Decimal(0))
    tax = sum((_tax(items, rate) for rate in rates), Decimal(0))
    sign = Decimal(-1) if rng.random() < 1 / 12 else Decimal(1)
    values = {"invoice_number": f"INV-{number:06d}", "invoice_date": _day(rng).isoformat(),
              "vendor_name": vendor_name(vendor), "subtotal": str(net * sign), "tax_amount": str(tax * sign),
              "total_amount": str((net + tax) * sign),
              "currency": FOREIGN_CURRENCY if rng.random() < 0.1 else "EUR"}
    if len(rates) == 1:
        values["tax_rate"] = f"{rates[0]}%"
    with_items = rng.random() < 0.8
    return GeneratedDocument("invoice", _fields(values), items if with_items else [], vendor=vendor)


def _item(rng: random.Random, rate: Decimal) -> dict[str, Any]:
    quantity = rng.randint(1, 12)
    price = Decimal(rng.randint(100, 50_000)) / 100
    return {"description": rng.choice(ITEM_WORDS), "quantity": str(quantity), "unit_price": str(price),
            "amount": str(_cents(quantity * price)), "tax_rate": f"{rate}%", "page": 1, "bbox": list(BOX)}


def _tax(items: list[dict[str, Any]], rate: Decimal) -> Decimal:
    net = sum((Decimal(item["amount"]) for item in items if item["tax_rate"] == f"{rate}%"), Decimal(0))
    return _cents(net * rate / 100)


def _receipt(rng: random.Random, employee: int) -> GeneratedDocument:
    total = Decimal(rng.randint(300, 40_000)) / 100
    rate = rng.choice(RATES[:3])
    tax = _cents(total * rate / (100 + rate))
    values = {"merchant_name": f"Shop {rng.randrange(500):03d}", "transaction_date": _day(rng).isoformat(),
              "total_amount": str(total), "tax_amount": str(tax), "tax_rate": f"{rate}%", "currency": "EUR",
              "category": rng.choice(CATEGORIES), "employee_id": employee_number(employee)}
    return GeneratedDocument("receipt", _fields(values), employee=employee)


def _claim(rng: random.Random, employee: int) -> GeneratedDocument:
    start = _day(rng)
    items = [{"date": (start + timedelta(days=rng.randrange(7))).isoformat(), "category": rng.choice(CATEGORIES),
              "description": rng.choice(("Taxi", "Hotel", "Dinner", "Train", "Fuel", "Parking")),
              "amount": str(Decimal(rng.randint(500, 30_000)) / 100), "page": 1, "bbox": list(BOX)}
             for _ in range(rng.randint(1, 8))]
    values = {"employee_id": employee_number(employee), "purpose": "Customer visit",
              "period_start": start.isoformat(), "period_end": (start + timedelta(days=7)).isoformat(),
              "currency": "EUR", "total_amount": str(sum((Decimal(item["amount"]) for item in items), Decimal(0)))}
    return GeneratedDocument("expense_claim", _fields(values), items, employee=employee)


def _fields(values: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {name: {"value": value, "confidence": 0.99, "page": 1, "bbox": list(BOX), "source": "pdf_text",
                   "evidence": name} for name, value in values.items()}


def _day(rng: random.Random) -> date:
    return date(2026, 1, 1) + timedelta(days=rng.randrange(300))


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def vendor_name(vendor: int) -> str:
    return f"Vendor {vendor:03d} Ltd"


def employee_number(employee: int) -> str:
    return f"E{employee:04d}"
