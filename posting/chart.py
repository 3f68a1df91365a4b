"""The chart of accounts and tax codes as plain values, and what drafting needs of them. Pure: no I/O.

A company's chart starts from a seed (``posting/seeds/``, see ``posting.masterdata.seeds``) and changes by import or
the API. Drafting finds accounts by ``role``: one active account of the chart holds each role it uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ACCOUNT_TYPES = ("asset", "liability", "equity", "income", "expense")
TAX_KINDS = ("input", "output")

ROLES: dict[str, str] = {
    "expense": "the expense account an invoice is debited to when nothing names another",
    "asset": "fixed assets bought",
    "input_tax": "deductible input VAT",
    "non_deductible_tax": "input VAT that cannot be deducted, as a cost",
    "payable": "accounts payable to vendors",
    "employee_payable": "expenses owed back to employees",
    "employee_advance": "advances paid to employees",
    "bank": "the bank account payments go out of and come into",
    "cash": "cash on hand",
    "fee": "bank fees",
    "discount": "discounts received",
    "rounding": "rounding differences",
    "fx": "exchange rate differences",
    "receivable": "trade receivables from customers",
    "output_tax": "output VAT on sales",
    "revenue": "revenue from sales",
    "accrual": "accrued expenses",
    "equity": "share capital",
}
"""The roles an account may hold, each with what drafting and matching use it for."""

CATEGORY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
"""A spending category as receipts and claim items name it: ``meals``, ``local_transport``, ``per_diem``."""


@dataclass(frozen=True)
class AccountSpec:
    code: str
    name: str
    account_type: str
    role: str | None = None
    parent_code: str | None = None
    active: bool = True
    categories: tuple[str, ...] = ()
    """The spending categories (``meals``, ``lodging`` ...) whose receipts and claim items are drafted to it."""


@dataclass(frozen=True)
class TaxCodeSpec:
    code: str
    name: str
    rate: Decimal
    """Percent: ``Decimal("13.00")`` is 13%."""
    kind: str = "input"
    deductible: bool = True
    account_code: str | None = None
    """Where the tax is posted; empty for a non-deductible code whose tax adds to the expense."""
    active: bool = True


def missing_accounts(chart: Iterable[AccountSpec], needed_roles: Iterable[str]) -> list[str]:
    """The roles of ``needed_roles`` that no active account of ``chart`` holds, sorted; [] when all are there."""
    held = {account.role for account in chart if account.active}
    return sorted(set(needed_roles) - held)


def missing_accounts_detail(roles: list[str]) -> str:
    """What a person reads when drafting needs accounts for ``roles`` that the chart does not have."""
    named = ", ".join(f"{role!r} ({ROLES.get(role, 'a role drafting uses')})" for role in roles)
    example = roles[0]
    return (f"The chart of accounts has no active account with the role {named}, which this voucher needs; "
            f"nothing was posted. Give an account that role: import one with role {example} "
            f"(`ledgerdesk import-master accounts FILE --company ...` or POST /api/v1/accounts/import), or set it "
            f"on an existing account (PATCH /api/v1/accounts/{{code}} with {{\"role\": \"{example}\"}}).")


def category_code(text: str) -> str:
    """A category as written (``Local transport``, ``office-supplies``) in the form accounts name it."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())
