"""Request and response shapes of the vouchers API."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from core.money import money_str
from models import Voucher, VoucherLine
from posting.approvals.schemas import ApprovalOut
from posting.budgets.checking import Check
from posting.budgets.schemas import BudgetCheckOut

Day = date
"""``date``, for models with a field of that name."""


class VoucherLineOut(BaseModel):
    line_no: int
    account_code: str
    account_name: str
    debit: str
    credit: str
    base_debit: str = Field(description="The debit in the company's currency (base_currency of the voucher)")
    base_credit: str
    description: str
    reason: str = Field(description="The rule that made the line, with the values it used")
    kind: str
    cost_centre_code: str | None
    project_code: str | None
    source_fields: list[str] = Field(description="The fields the amount was read from: total_amount, "
                                                 "line_items[2].amount, items[0].amount, vat_breakdown[1].tax_amount")
    page: int | None = Field(description="The page of the first of them that has a box")
    bbox: list[float] | None = Field(description="Its box on the page: [x0, y0, x1, y1], page fractions")

    @classmethod
    def of(cls, line: VoucherLine) -> VoucherLineOut:
        source = line.source or {}
        return cls(line_no=line.line_no, account_code=line.account.code, account_name=line.account.name,
                   debit=money_str(line.debit), credit=money_str(line.credit), base_debit=money_str(line.base_debit),
                   base_credit=money_str(line.base_credit), description=line.description, reason=line.reason,
                   kind=line.kind, cost_centre_code=line.cost_centre_code, project_code=line.project_code,
                   source_fields=source.get("fields") or [],
                   page=source.get("page"), bbox=source.get("bbox"))


class RateUsedOut(BaseModel):
    from_currency: str
    to_currency: str
    rate: str = Field(description="Units of to_currency for one from_currency")
    date: date
    source: str | None


class VoucherOut(BaseModel):
    id: uuid.UUID
    document_id: uuid.UUID | None
    status: str = Field(description="draft, approved, posted or rejected")
    date: date
    currency: str
    description: str
    total_debit: str
    total_credit: str
    base_currency: str | None = Field(description="The company's currency, of the lines' base amounts")
    exchange_rate: RateUsedOut | None = Field(description="The rate the lines were converted at; null in the "
                                                          "company's own currency")
    period: str | None = Field(description="The accounting period it was posted in (YYYY-MM)")
    approved_at: datetime | None
    posted_at: datetime | None
    reverses_id: uuid.UUID | None = Field(description="The voucher this one reverses")
    reversed_by_id: uuid.UUID | None = Field(description="The voucher that reverses this one")
    approval_route: str | None = Field(description="The approval route the first posting rule that decided a line "
                                                   "names (by position)")
    approval: ApprovalOut | None = Field(default=None, description="Its approval route, each step's status and who "
                                                                   "decided it, and the step it waits at; null when "
                                                                   "no route took it")
    lines: list[VoucherLineOut]
    budget_checks: list[BudgetCheckOut] = Field(default_factory=list, description=(
        "How it stands against each budget its expense and asset lines fall under (GET /api/v1/vouchers/{id})"))

    @classmethod
    def of(cls, voucher: Voucher, budget_checks: Sequence[Check] = ()) -> VoucherOut:
        return cls(id=voucher.id, document_id=voucher.document_id, status=voucher.status, date=voucher.date,
                   currency=voucher.currency, description=voucher.description,
                   total_debit=money_str(sum(line.debit for line in voucher.lines)),
                   total_credit=money_str(sum(line.credit for line in voucher.lines)),
                   base_currency=voucher.base_currency, exchange_rate=_rate(voucher), period=voucher.period,
                   approved_at=voucher.approved_at, posted_at=voucher.posted_at, reverses_id=voucher.reverses_id,
                   reversed_by_id=voucher.reversed_by_id, approval_route=voucher.approval_route,
                   approval=ApprovalOut.of(voucher), lines=[VoucherLineOut.of(line) for line in voucher.lines],
                   budget_checks=[BudgetCheckOut.of(check) for check in budget_checks])


def _rate(voucher: Voucher) -> RateUsedOut | None:
    if voucher.exchange_rate is None:
        return None
    return RateUsedOut(from_currency=voucher.currency, to_currency=voucher.base_currency or "",
                       rate=f"{voucher.exchange_rate.normalize():f}", date=voucher.rate_date,
                       source=voucher.rate_source)


class VoucherList(BaseModel):
    items: list[VoucherOut]
    next_cursor: str | None


class ApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    step: int | None = Field(default=None, ge=1, description="The step of the voucher's approval route being "
                                                             "approved: 409 if it waits at another (someone decided "
                                                             "meanwhile)")
    comment: str | None = Field(default=None, max_length=2000)


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(min_length=1, max_length=2000, description="Why: the reason its document goes back to "
                                                                    "review with")
    step: int | None = Field(default=None, ge=1, description="The step being decided, as for approving")


class ReverseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: Day | None = Field(default=None, description="The reversal's date, in an open period; default today")
    reason: str | None = Field(default=None, max_length=500, description="Why, for the ledger and the audit log")
