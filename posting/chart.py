"""The default chart of accounts a new company starts with."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AccountSpec:
    code: str
    name: str
    account_type: str
    role: str | None = None


DEFAULT_CHART: tuple[AccountSpec, ...] = (
    AccountSpec("1200", "Bank", "asset", "bank"),
    AccountSpec("1400", "Input VAT receivable", "asset", "input_tax"),
    AccountSpec("1500", "Fixed assets", "asset", "asset"),
    AccountSpec("2000", "Accounts payable", "liability", "payable"),
    AccountSpec("2100", "Employee payables", "liability", "employee_payable"),
    AccountSpec("6000", "General expenses", "expense", "expense"),
    AccountSpec("6100", "Office supplies", "expense"),
    AccountSpec("6200", "Travel", "expense"),
    AccountSpec("6300", "Software and subscriptions", "expense"),
    AccountSpec("6800", "Bank fees", "expense", "fee"),
    AccountSpec("6900", "Rounding differences", "expense", "rounding"),
)
