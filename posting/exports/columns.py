"""The columns of a voucher export: one row per voucher line, the voucher's values repeated on each of its lines, in
this order, which stays as it is (new columns are added at the end). Pure: plain values in, plain values out.

``ExportVoucher`` and ``ExportLine`` carry one attribute per column, named as the column is: ``COLUMNS`` says which
of the two a column is read from, its kind (how each format writes it) and what it means (docs/posting.md lists
them).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

TEXT, NUMBER, MONEY, RATE, DATE, DATETIME = "text", "number", "money", "rate", "date", "datetime"
"""The kinds of column: money has two decimals; a rate up to eight; a timestamp is UTC."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    of_line: bool
    """Read from the line (else from its voucher)."""
    description: str


def _voucher(name: str, kind: str, description: str) -> Column:
    return Column(name, kind, False, description)


def _line(name: str, kind: str, description: str) -> Column:
    return Column(name, kind, True, description)


COLUMNS: tuple[Column, ...] = (
    _voucher("voucher_id", TEXT, "The voucher's id, as GET /api/v1/vouchers/{id} knows it"),
    _voucher("voucher_date", DATE, "The voucher's date (the document's date; a reversal's own date)"),
    _voucher("period", TEXT, "The accounting period it was posted in (YYYY-MM); empty while it is only approved"),
    _voucher("status", TEXT, "approved or posted"),
    _voucher("document_id", TEXT, "The document it was drafted from (for a reversal, the reversed voucher's)"),
    _voucher("document_type", TEXT, "invoice, receipt or expense_claim"),
    _voucher("currency", TEXT, "The currency of debit and credit (ISO 4217)"),
    _voucher("exchange_rate", RATE, "Units of base_currency for one unit of currency; empty when they are the same"),
    _voucher("base_currency", TEXT, "The company's currency, of base_debit and base_credit"),
    _line("line_no", NUMBER, "The line's number in its voucher, from 1"),
    _line("account_code", TEXT, "The account of the company's chart"),
    _line("account_name", TEXT, "Its name"),
    _line("debit", MONEY, "In currency"),
    _line("credit", MONEY, "In currency"),
    _line("base_debit", MONEY, "In base_currency"),
    _line("base_credit", MONEY, "In base_currency"),
    _line("cost_centre", TEXT, "The cost centre's code, if the line has one"),
    _line("kind", TEXT, "expense, asset, input_tax, payable, employee_payable, rounding ..."),
    _line("description", TEXT, "The line's text"),
    _line("reason", TEXT, "The rule that made the line, with the values it used"),
    _voucher("counterparty", TEXT, "Who the voucher owes: the vendor or employee of the master, else the printed "
                                   "name"),
    _voucher("reference", TEXT, "The invoice number"),
    _voucher("reverses_id", TEXT, "The voucher a reversal reverses; empty for any other voucher"),
    _voucher("batch_id", TEXT, "The export batch the voucher went out in; empty if it was not exported yet"),
    _voucher("posted_at", DATETIME, "When it was posted (UTC); empty while it is only approved"),
    _line("project", TEXT, "The project's code, if a posting rule gave the line one"),
)
VOUCHER_COLUMNS = tuple(column for column in COLUMNS if not column.of_line)
LINE_COLUMNS = tuple(column for column in COLUMNS if column.of_line)


@dataclass(frozen=True)
class ExportLine:
    line_no: int
    account_code: str
    account_name: str
    debit: Decimal
    credit: Decimal
    base_debit: Decimal
    base_credit: Decimal
    cost_centre: str | None
    kind: str
    description: str
    reason: str
    project: str | None = None


@dataclass(frozen=True)
class ExportVoucher:
    voucher_id: uuid.UUID
    voucher_date: date
    period: str | None
    status: str
    document_id: uuid.UUID | None
    document_type: str | None
    currency: str
    exchange_rate: Decimal | None
    base_currency: str | None
    counterparty: str | None
    reference: str | None
    reverses_id: uuid.UUID | None
    batch_id: uuid.UUID | None
    posted_at: datetime | None
    lines: tuple[ExportLine, ...]


def row_values(voucher: ExportVoucher, line: ExportLine) -> tuple[Any, ...]:
    """One line's row: its values and its voucher's, in the order of ``COLUMNS``."""
    return tuple(getattr(line if column.of_line else voucher, column.name) for column in COLUMNS)


def rows(vouchers: list[ExportVoucher]) -> Iterator[tuple[Any, ...]]:
    """Every line's row, voucher by voucher."""
    for voucher in vouchers:
        for line in voucher.lines:
            yield row_values(voucher, line)


def in_batch(vouchers: list[ExportVoucher], batch_id: uuid.UUID) -> list[ExportVoucher]:
    """The vouchers as the batch ``batch_id`` exports them."""
    return [replace(voucher, batch_id=batch_id) for voucher in vouchers]


def line_count(vouchers: list[ExportVoucher]) -> int:
    return sum(len(voucher.lines) for voucher in vouchers)
