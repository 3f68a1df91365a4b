"""Whether a voucher stays within the budgets its lines fall under (预算占用). Pure: values in, values out.

A budget limits what a company spends on an account and every account below it (``parent_code`` chains: a budget
on 6602 covers 660201, 660202 ...), in one cost centre or in all of them, in a month or a year: a voucher dated in
March 2026 falls under the budgets of 2026-03 and of 2026 alike. A voucher spends through its expense and asset
lines, each its amount in the company's currency (``base_debit - base_credit``: a credit note's lines give back), so
vouchers in any currency are compared with one budget.

What a budget has used is what drafts reserve and approved vouchers consume. A voucher is over a budget when what
every other voucher holds of it and what the voucher spends under it come to more than its amount; a voucher that
gives back (a credit note) is never over. Over a budget that warns, it goes to review with a warning; over one that
blocks, it cannot be approved until the budget is raised or the voucher corrected.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from posting.budgets.records import EVERY_COST_CENTRE
from posting.periods import period_of

ZERO = Decimal("0.00")
BUDGETED_KINDS = ("expense", "asset")
"""The kinds of voucher line that spend a budget."""
WITHIN, OVER_WARN, OVER_BLOCK = "within", "over_warn", "over_block"
"""A check's verdicts."""


@dataclass(frozen=True)
class Usage:
    """What vouchers hold of a budget: reserved by drafts, consumed by approved vouchers."""

    reserved: Decimal = ZERO
    consumed: Decimal = ZERO

    @property
    def used(self) -> Decimal:
        return self.reserved + self.consumed

    def without(self, other: Usage) -> Usage:
        """What is left of this usage once ``other`` (one voucher's part of it) is taken out."""
        return Usage(self.reserved - other.reserved, self.consumed - other.consumed)


@dataclass(frozen=True)
class BudgetLimit:
    """A budget as checking sees it, with what every voucher holds of it."""

    id: uuid.UUID
    name: str
    """The budget's name, else its account's."""
    account_code: str
    cost_centre_code: str | None
    period: str
    amount: Decimal
    on_exceed: str
    usage: Usage = Usage()

    @property
    def label(self) -> str:
        """``budget 6602 Travel / CC-SALES / 2026-03``."""
        return f"budget {self.account_code} {self.name} / {self.cost_centre_code or EVERY_COST_CENTRE} / {self.period}"

    @property
    def available(self) -> Decimal:
        return self.amount - self.usage.used

    @property
    def warning(self) -> str | None:
        """What a person should know of a budget that vouchers hold more of than it allows (it was lowered below
        what they hold, or vouchers over it were approved despite the warning); None when they do not."""
        if self.available >= 0:
            return None
        used, then = self.usage, "blocked" if self.on_exceed == "block" else "sent to review with a warning"
        return (f"{self.label}: {money(self.amount)} is less than what vouchers hold of it already, "
                f"{money(used.used)} (reserved {money(used.reserved)}, consumed {money(used.consumed)}): over by "
                f"{money(-self.available)}; every voucher that spends more under it is {then}")


@dataclass(frozen=True)
class Charge:
    """What one voucher line spends: its account, its cost centre and its amount in the company's currency."""

    account_code: str
    cost_centre_code: str | None
    amount: Decimal


@dataclass(frozen=True)
class Check:
    """How a voucher stands against one budget its lines fall under."""

    budget: BudgetLimit
    amount: Decimal
    """What the voucher spends under the budget (negative: it gives back)."""
    others: Usage
    """What every other voucher holds of the budget."""

    @property
    def excess(self) -> Decimal:
        """By how much the budget would be overrun with the voucher (0 or less: it is not)."""
        return self.others.used + self.amount - self.budget.amount

    @property
    def verdict(self) -> str:
        if self.amount <= 0 or self.excess <= 0:
            return WITHIN
        return OVER_BLOCK if self.budget.on_exceed == "block" else OVER_WARN

    @property
    def message(self) -> str:
        """``budget 6602 Travel / CC-SALES / 2026-03: 5,000.00; used 4,200.00 (reserved 700.00, consumed 3,500.00);
        this voucher 1,200.00; over by 400.00``."""
        used = self.others
        left = f"over by {money(self.excess)}" if self.excess > 0 else f"{money(-self.excess)} left"
        return (f"{self.budget.label}: {money(self.budget.amount)}; used {money(used.used)} (reserved "
                f"{money(used.reserved)}, consumed {money(used.consumed)}); this voucher {money(self.amount)}; {left}")

    @property
    def review_reason(self) -> str | None:
        """Why a person must look at the voucher's document because of this budget; None when it is within."""
        if self.verdict == OVER_WARN:
            return f"warning: over {self.message}"
        if self.verdict == OVER_BLOCK:
            return (f"blocked: over {self.message}; it cannot be approved until the budget is raised or the voucher "
                    "spends less")
        return None


def money(amount: Decimal) -> str:
    """``5,000.00``: an amount as a person reads it in a message."""
    return f"{amount:,.2f}"


def charge_of(kind: str, account_code: str, cost_centre_code: str | None, base_debit: Decimal,
              base_credit: Decimal) -> Charge | None:
    """What a voucher line spends; None for a line that spends no budget (a tax, a payable ...)."""
    if kind not in BUDGETED_KINDS:
        return None
    return Charge(account_code, cost_centre_code, base_debit - base_credit)


def budget_periods(day: date) -> tuple[str, str]:
    """The periods whose budgets a voucher dated ``day`` falls under: its month and its year."""
    return period_of(day), f"{day.year:04d}"


def ancestors(code: str, parents: Mapping[str, str | None]) -> tuple[str, ...]:
    """The account and every account above it, nearest first (660202, 6602, 66); a chain that loops ends there."""
    chain = [code]
    while (parent := parents.get(chain[-1])) and parent not in chain:
        chain.append(parent)
    return tuple(chain)


def covers(budget: BudgetLimit, charge: Charge, parents: Mapping[str, str | None]) -> bool:
    """Whether the charge falls under the budget: its account or an ancestor, its cost centre or every one."""
    return (budget.cost_centre_code in (None, charge.cost_centre_code)
            and budget.account_code in ancestors(charge.account_code, parents))


def check_voucher(budgets: Iterable[BudgetLimit], day: date, charges: Iterable[Charge],
                  parents: Mapping[str, str | None], own: Mapping[uuid.UUID, Usage]) -> list[Check]:
    """A check of each budget of the voucher's month or year that any of its ``charges`` falls under; ``own`` is
    what the voucher itself holds of each budget already (its reservation, its consumption), which the others'
    usage leaves out."""
    periods, charges = budget_periods(day), list(charges)
    found = []
    for budget in budgets:
        spent = [charge.amount for charge in charges if covers(budget, charge, parents)]
        if budget.period in periods and spent:
            found.append(Check(budget, sum(spent, ZERO), budget.usage.without(own.get(budget.id, Usage()))))
    return sorted(found, key=lambda check: check.budget.label)
