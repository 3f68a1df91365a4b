"""Request and response shapes of the budgets API, and the budget checks the vouchers API shows. What a request may
send of a budget is made from its record (``posting.budgets.records.BudgetSpec``), every column optional: the
required ones are checked with the rest and answered as a 422 listing every error."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from core.money import money_str
from models import BudgetEntry
from posting.budgets.checking import Check
from posting.budgets.records import BUDGETS
from posting.budgets.service import BudgetView
from posting.masterdata.schemas import input_model

BudgetIn = input_model(BUDGETS)
"""``{"account_code", "cost_centre_code", "period", "amount", "on_exceed", "active", "name", "notes"}``."""


class BudgetOut(BaseModel):
    id: uuid.UUID
    account_code: str = Field(description="The account; the budget covers every account below it too")
    cost_centre_code: str | None = Field(description="null: every cost centre")
    period: str = Field(description="A month (2026-03) or a year (2026)", examples=["2026-03"])
    amount: str = Field(description="In the company's currency")
    on_exceed: str = Field(description="warn (a review reason) or block (the voucher's approval is refused)")
    active: bool
    name: str | None = Field(description="null: called by its account's name")
    notes: str | None
    label: str = Field(description="How messages name it", examples=["budget 6602 Travel / CC-SALES / 2026-03"])
    reserved: str = Field(description="What drafts reserve of it")
    consumed: str = Field(description="What approved vouchers consume of it (net of reversals)")
    available: str = Field(description="amount - reserved - consumed; negative when it is overrun")
    warnings: list[str] = Field(description="What to know: an amount below what vouchers hold of it already")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: BudgetView) -> BudgetOut:
        row, limit = view.row, view.limit
        return cls(id=row.id, account_code=row.account_code, cost_centre_code=row.cost_centre_code, period=row.period,
                   amount=money_str(row.amount), on_exceed=row.on_exceed, active=row.active, name=row.name,
                   notes=row.notes, label=limit.label, reserved=money_str(limit.usage.reserved),
                   consumed=money_str(limit.usage.consumed), available=money_str(limit.available),
                   warnings=[limit.warning] if limit.warning else [], created_at=row.created_at,
                   updated_at=row.updated_at)


class BudgetList(BaseModel):
    items: list[BudgetOut]
    next_cursor: str | None


class BudgetEntryOut(BaseModel):
    id: uuid.UUID
    voucher_id: uuid.UUID
    kind: str = Field(description="reserved, released (negative: a reservation given back) or consumed (negative: "
                                  "given back by a reversal)")
    amount: str = Field(description="What it adds to the reservation (reserved, released) or the consumption")
    reason: str = Field(description="drafted, redrafted, approved, rejected, reversed by voucher ...")
    at: datetime
    actor: str

    @classmethod
    def of(cls, entry: BudgetEntry) -> BudgetEntryOut:
        return cls(id=entry.id, voucher_id=entry.voucher_id, kind=entry.kind, amount=money_str(entry.amount),
                   reason=entry.reason, at=entry.at, actor=entry.actor)


class BudgetEntryList(BaseModel):
    items: list[BudgetEntryOut]
    next_cursor: str | None


class BudgetCheckOut(BaseModel):
    budget_id: uuid.UUID
    name: str = Field(description="The budget's name, else its account's")
    verdict: str = Field(description="within, over_warn (a review reason) or over_block (approval is refused)")
    message: str = Field(examples=["budget 6602 Travel / CC-SALES / 2026-03: 5,000.00; used 4,200.00 (reserved "
                                   "700.00, consumed 3,500.00); this voucher 1,200.00; over by 400.00"])

    @classmethod
    def of(cls, check: Check) -> BudgetCheckOut:
        return cls(budget_id=check.budget.id, name=check.budget.name, verdict=check.verdict, message=check.message)
