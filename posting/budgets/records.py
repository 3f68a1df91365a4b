"""Budgets as rows of master data: the record a row makes (a CSV line, a YAML entry, a request's body) and how each
of its columns is read. Pure: no I/O.

Rows of budgets are planned, checked and refused whole as master data's are (``posting.masterdata.validation``):
each column's reader says what to type instead, an account or cost centre must be an active one of the company.
A budget is known by its account, cost centre and period (``key``): a row with a known key updates that budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.money import CENT, decimal_value
from posting.masterdata.records import (Column, Invalid, Reference, Table, choice, code, optional, text,
                                        yes_by_default)
from posting.periods import PERIOD_PATTERN

YEAR_PATTERN = re.compile(r"\d{4}")
AMOUNT_LIMIT = Decimal(10) ** 16
"""Above what ``Numeric(18, 2)`` holds."""
ON_EXCEED = ("warn", "block")
"""What a voucher that would overrun a budget meets: a warning among its review reasons, or a refused approval."""
EVERY_COST_CENTRE = "every cost centre"
"""How a budget without a cost centre is named."""


@dataclass(frozen=True)
class BudgetSpec:
    account_code: str
    period: str
    """A month (``2026-03``) or a year (``2026``)."""
    amount: Decimal
    """In the company's currency."""
    cost_centre_code: str | None = None
    """None: every cost centre."""
    on_exceed: str = "warn"
    active: bool = True
    name: str | None = None
    """None: the account's name."""
    notes: str | None = None

    @property
    def key(self) -> str:
        """``6602 / CC-SALES / 2026-03``: a company has one budget of an account, cost centre and period."""
        return f"{self.account_code} / {self.cost_centre_code or EVERY_COST_CENTRE} / {self.period}"


def budget_period(value: Any) -> str:
    """A month (``2026-03``) or a year (``2026``)."""
    found = text(10)(value)
    if not (PERIOD_PATTERN.fullmatch(found) or YEAR_PATTERN.fullmatch(found)):
        raise Invalid(f"{found!r} is not a period: write a month as YYYY-MM (2026-03) or a year as YYYY (2026)")
    return found


def on_exceed(value: Any) -> str:
    """``warn`` or ``block``; empty means warn."""
    return optional(choice(ON_EXCEED))(value) or ON_EXCEED[0]


def budget_amount(value: Any) -> Decimal:
    """An amount of 0 or more with at most two decimals (``5000``, ``5000.00``), kept with two."""
    written = text(30)(value)
    found = decimal_value(written)
    if found is None:
        raise Invalid(f"{written!r} is not an amount: write it like 5000.00, without separators of thousands")
    if found < 0:
        raise Invalid(f"{written} is negative: a budget is 0 or more")
    if found.as_tuple().exponent < -2 or found >= AMOUNT_LIMIT:
        raise Invalid(f"{written} is not an amount below 10^16 with at most two decimals")
    return found.quantize(CENT)


BUDGETS = Table("budgets", "budget", "budget", BudgetSpec, "key", (
    Column("account_code", code, True), Column("cost_centre_code", optional(code)),
    Column("period", budget_period, True), Column("amount", budget_amount, True),
    Column("on_exceed", on_exceed), Column("active", yes_by_default),
    Column("name", optional(text(200))), Column("notes", optional(text(2000)))),
    references=(Reference("account_code", "accounts"), Reference("cost_centre_code", "cost-centres")))
"""The budgets as a table of master data: what ``posting.masterdata.validation.plan_import`` checks rows against."""
