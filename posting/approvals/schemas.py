"""Request and response shapes of the approval routes API, the approval queue, and a voucher's approval."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.money import money_str
from models import ApprovalDecision, ApprovalRoute, Voucher, VoucherApproval
from posting.approvals.routes import Step, step_at


class StepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=100, examples=["Finance"])
    role: str | None = Field(default=None, description="approver, accountant or admin: anyone of the role approves "
                                                       "the step", examples=["approver"])
    users: list[str] = Field(default_factory=list, description="Or the e-mails of the users who may approve it; each "
                                                              "must be able to approve vouchers")


class ConditionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount_min: Decimal | None = Field(default=None, description="The voucher's total in the company's currency is "
                                                                 "at least this", examples=["10000.00"])
    amount_max: Decimal | None = Field(default=None, description="... and at most this")
    doc_types: list[str] = Field(default_factory=list, description="invoice, receipt, expense_claim")
    vendors: list[str] = Field(default_factory=list, description="Vendors of the master, by name or id (kept by name)")
    cost_centres: list[str] = Field(default_factory=list, description="Codes: a line of the voucher is on one of them")


class RouteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=40, examples=["OVER10K"])
    name: str = Field(max_length=200, examples=["Over 10k"])
    position: int = Field(ge=0, le=1_000_000, description="Routes are tried by position (lowest first), then code; "
                                                          "the first whose conditions all hold is the voucher's")
    active: bool = True
    conditions: ConditionsIn = Field(default_factory=ConditionsIn, description="None given: every voucher")
    steps: list[StepIn] = Field(default_factory=list, description="In order; none: no approver step")


class StepOut(BaseModel):
    name: str
    role: str | None
    users: list[str]
    who: str = Field(description="As a person reads it: role approver, or the users' e-mails")

    @classmethod
    def of(cls, step: Step) -> StepOut:
        return cls(name=step.name, role=step.role, users=list(step.users), who=step.who)


class ConditionsOut(BaseModel):
    amount_min: str | None
    amount_max: str | None
    doc_types: list[str]
    vendors: list[str]
    cost_centres: list[str]


class RouteOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    position: int
    active: bool
    conditions: ConditionsOut
    steps: list[StepOut]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: ApprovalRoute) -> RouteOut:
        return cls(id=row.id, code=row.code, name=row.name, position=row.position, active=row.active,
                   conditions=ConditionsOut(**row.conditions), steps=[StepOut.of(Step.of(s)) for s in row.steps],
                   created_at=row.created_at, updated_at=row.updated_at)


class RouteList(BaseModel):
    items: list[RouteOut] = Field(description="Every route of the company, in the order they are tried")
    next_cursor: str | None = None


class RouteRef(BaseModel):
    id: uuid.UUID
    code: str
    name: str

    @classmethod
    def of(cls, row: ApprovalRoute) -> RouteRef:
        return cls(id=row.id, code=row.code, name=row.name)


class ApprovalStepOut(StepOut):
    number: int = Field(description="From 1")
    status: Literal["approved", "rejected", "waiting", "pending"] = Field(
        description="waiting: the voucher waits at this step now; pending: a later one, or the review comes first")
    by: str | None = Field(description="Who approved or rejected it (e-mail)")
    at: datetime | None
    comment: str | None


class ApprovalOut(BaseModel):
    """A voucher's approval route and where it stands on it."""

    route: RouteRef | None
    steps: list[ApprovalStepOut]
    next_step: int | None = Field(description="The step the voucher waits at; null before its document's review is "
                                              "done, after the last step, and after a rejection")

    @classmethod
    def of(cls, voucher: Voucher) -> ApprovalOut | None:
        """None for a voucher no route took."""
        if voucher.approval_steps is None:
            return None
        steps = tuple(Step.of(step) for step in voucher.approval_steps)
        waiting = voucher.approval_step if step_at(steps, voucher.approval_step) else None
        decisions = {approval.step: approval for approval in voucher.approvals}
        return cls(route=RouteRef.of(voucher.chosen_route) if voucher.chosen_route else None,
                   steps=[_step_out(number, step, decisions.get(number), waiting)
                          for number, step in enumerate(steps, start=1)],
                   next_step=waiting)


def _step_out(number: int, step: Step, decision: VoucherApproval | None, waiting: int | None) -> ApprovalStepOut:
    status = ("waiting" if number == waiting else "pending") if decision is None else (
        "approved" if decision.decision == ApprovalDecision.APPROVE else "rejected")
    return ApprovalStepOut(number=number, status=status, by=decision.user.email if decision else None,
                           at=decision.at if decision else None, comment=decision.comment if decision else None,
                           **StepOut.of(step).model_dump())


class WaitingOut(BaseModel):
    """A voucher waiting at a step the caller may approve."""

    voucher_id: uuid.UUID
    document_id: uuid.UUID
    filename: str
    doc_type: str | None
    route: RouteRef
    step: ApprovalStepOut
    date: date
    description: str
    amount: str = Field(description="The voucher's total, in its currency")
    currency: str
    base_amount: str = Field(description="Its total in the company's currency, which route amounts are compared in")
    base_currency: str | None


class WaitingList(BaseModel):
    items: list[WaitingOut]
    next_cursor: str | None = Field(description="A page holds the caller's among that many waiting vouchers, so it "
                                                "may hold fewer than limit; go on while this is not null")


def waiting_out(voucher: Voucher, filename: str, doc_type: str | None) -> WaitingOut:
    """The queue's entry of a voucher waiting at a step."""
    approval = ApprovalOut.of(voucher)
    return WaitingOut(voucher_id=voucher.id, document_id=voucher.document_id, filename=filename, doc_type=doc_type,
                      route=approval.route, step=approval.steps[approval.next_step - 1], date=voucher.date,
                      description=voucher.description, amount=money_str(sum(line.debit for line in voucher.lines)),
                      currency=voucher.currency, base_amount=money_str(sum(line.base_debit for line in voucher.lines)),
                      base_currency=voucher.base_currency)
