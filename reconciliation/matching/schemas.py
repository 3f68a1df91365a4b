"""Request and response shapes of the matching API."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from core.money import money_str
from models import Match
from reconciliation.matching.model import Rules
from reconciliation.matching.service import Settings

DEFAULTS = Rules()


class AllocationOut(BaseModel):
    open_item_id: uuid.UUID
    amount: str = Field(description="What the match takes off the item's open amount, signed as the item")


class MatchOut(BaseModel):
    id: uuid.UUID
    transaction_id: uuid.UUID = Field(description="The bank line")
    open_item_ids: list[uuid.UUID]
    allocations: list[AllocationOut]
    amount: str = Field(description="What the line pays on the items, signed as they are: 1190.00 for a payment of "
                                    "an invoice of 1190.00 (a bank line of -1190.00)")
    difference: str = Field(description="What the items clear less amount: positive when less was paid (a discount "
                                        "taken), negative when more (bank fees); posted to the account of its kind")
    difference_kind: str | None = Field(description="fee, discount or rounding; null without a difference")
    score: float = Field(description="0..1: how sure matching is")
    status: str = Field(description="auto (matched by itself and posted), suggested (waits for a person), "
                                    "confirmed (a person matched it; posted) or rejected")
    reasons: list[str] = Field(description="Why the items fit the line, one reason each")
    clearing_voucher_id: uuid.UUID | None = Field(description="The posted voucher that clears the items (debit "
                                                              "payable, credit bank); reversed when the match is "
                                                              "rejected")
    decided_by_id: uuid.UUID | None = Field(description="Who confirmed or rejected it; null for an automatic match "
                                                        "or an open suggestion")
    decided_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, match: Match) -> MatchOut:
        return cls(id=match.id, transaction_id=match.transaction_id, open_item_ids=match.open_item_ids,
                   allocations=[AllocationOut(open_item_id=a.open_item_id, amount=money_str(a.amount))
                                for a in match.allocations],
                   amount=money_str(match.amount), difference=money_str(match.difference),
                   difference_kind=match.difference_kind, score=match.score, status=match.status,
                   reasons=match.reasons, clearing_voucher_id=match.clearing_voucher_id,
                   decided_by_id=match.decided_by_id, decided_at=match.decided_at, created_at=match.created_at)


class MatchList(BaseModel):
    items: list[MatchOut]
    next_cursor: str | None


class ManualMatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    open_item_ids: list[uuid.UUID] = Field(min_length=1, max_length=50,
                                           description="The open items the line pays; paid oldest due first")


class MatchingQueued(BaseModel):
    statement_id: uuid.UUID
    lines: int = Field(description="The statement's unmatched lines the worker will match")


class SettingsIn(BaseModel):
    """Every setting; one left out takes its default."""

    model_config = ConfigDict(extra="forbid")

    auto_threshold: float = Field(default=DEFAULTS.auto_threshold, gt=0, le=1,
                                  description="From this score a match is made by itself and posted")
    suggest_threshold: float = Field(default=DEFAULTS.suggest_threshold, ge=0, le=1,
                                     description="From this score a match is suggested (not above auto_threshold)")
    tolerance_amount: Decimal = Field(default=DEFAULTS.tolerance_amount, ge=0, le=1_000_000, decimal_places=2,
                                      description="A payment this close to what is open clears it ...")
    tolerance_percent: Decimal = Field(default=DEFAULTS.tolerance_percent, ge=0, le=100, decimal_places=2,
                                       description="... or this percent of it, whichever is larger")
    days_before_issue: int = Field(default=DEFAULTS.days_before_issue, ge=0, le=3660,
                                   description="A payment is not for an invoice dated more than this many days "
                                               "after it ...")
    days_after_due: int = Field(default=DEFAULTS.days_after_due, ge=0, le=3660,
                                description="... nor for one due more than this many days before it")
    alias_confirmations: int = Field(default=DEFAULTS.alias_confirmations, ge=1, le=100,
                                     description="Confirmations that make a counterparty's name or IBAN stand for "
                                                 "its vendor")
    bank_account_code: str | None = Field(default=None, max_length=20,
                                          description="Credited by clearing vouchers of bank accounts that name no "
                                                      "ledger account of their own; null: the chart's bank account")
    fee_account_code: str | None = Field(default=None, max_length=20, description="Bank fees; null: role fee")
    discount_account_code: str | None = Field(default=None, max_length=20,
                                              description="Early-payment discounts; null: role discount")
    rounding_account_code: str | None = Field(default=None, max_length=20,
                                              description="Rounding differences; null: role rounding")


class SettingsOut(SettingsIn):
    tolerance_amount: str
    tolerance_percent: str

    @classmethod
    def of(cls, settings: Settings) -> SettingsOut:
        rules = settings.rules
        return cls(auto_threshold=rules.auto_threshold, suggest_threshold=rules.suggest_threshold,
                   tolerance_amount=money_str(rules.tolerance_amount),
                   tolerance_percent=f"{rules.tolerance_percent:.2f}",
                   days_before_issue=rules.days_before_issue, days_after_due=rules.days_after_due,
                   alias_confirmations=rules.alias_confirmations, bank_account_code=settings.bank_account_code,
                   fee_account_code=settings.fee_account_code, discount_account_code=settings.discount_account_code,
                   rounding_account_code=settings.rounding_account_code)
