"""Request and response shapes of the posting rules API. A request's values are read and checked by
``posting.rules.validation`` (422 with every error), as a file's are; these models give them their shape."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.money import money_str
from models import PostingRule
from posting.rules.matching import DOC_TYPES, Conditions, Outcome, RuleDecision
from posting.rules.repository import rule_of
from posting.rules.service import Explanation, ImportSummary, LineExplained


class ConditionsIn(BaseModel):
    """All must hold; one left out holds for anything."""

    model_config = ConfigDict(extra="forbid")

    doc_types: list[Literal[DOC_TYPES]] | None = Field(default=None, description="invoice, receipt, expense_claim")
    vendor: str | None = Field(default=None, description="The name, an alias or the tax ID of the vendor of the "
                                                         "vendor master the document was matched to")
    categories: list[str] | None = Field(default=None, description="A receipt's category, an expense claim item's "
                                                                   "(meals, lodging, local_transport ...)")
    keywords: list[str] | None = Field(default=None, description="Any of them, in any case, in the line item's "
                                                                 "description, else in vendor_name, merchant_name or "
                                                                 "purpose")
    amount_min: Decimal | None = Field(default=None, description="The document's total (without its sign) is at "
                                                                 "least this ...")
    amount_max: Decimal | None = Field(default=None, description="... and below this (in the document's currency)")
    currencies: list[str] | None = Field(default=None, description="ISO 4217 codes of the document's currency")
    cost_centres: list[str] | None = Field(default=None, description="The cost centre the line has: its vendor's or "
                                                                     "employee's, or one an earlier rule set")


class OutcomeIn(BaseModel):
    """At least one."""

    model_config = ConfigDict(extra="forbid")

    account_code: str | None = Field(default=None, description="The expense or asset account debited")
    tax_code: str | None = Field(default=None, description="The input tax code of the line's VAT")
    cost_centre_code: str | None = None
    project_code: str | None = None
    approval_route: str | None = Field(default=None, description="The route the voucher is approved by (a code)")


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="What the rule is for, as reasons name it", examples=["Cloud hosting"])
    active: bool = True
    conditions: ConditionsIn = Field(default_factory=ConditionsIn)
    outcome: OutcomeIn
    position: int | None = Field(default=None, ge=1, description="Where it goes (1: first); the rules from there on "
                                                                 "move down. Default: after the last (a new rule), "
                                                                 "where it is (a changed one)")

    def values(self) -> dict[str, Any]:
        """The rule's values for ``posting.rules.validation.read_rule``."""
        return self.model_dump(exclude={"position"})


class ConditionsOut(BaseModel):
    doc_types: list[str]
    vendor: str | None
    categories: list[str]
    keywords: list[str]
    amount_min: str | None
    amount_max: str | None
    currencies: list[str]
    cost_centres: list[str]

    @classmethod
    def of(cls, conditions: Conditions) -> ConditionsOut:
        return cls(doc_types=list(conditions.doc_types), vendor=conditions.vendor,
                   categories=list(conditions.categories), keywords=list(conditions.keywords),
                   amount_min=_decimal(conditions.amount_min), amount_max=_decimal(conditions.amount_max),
                   currencies=list(conditions.currencies), cost_centres=list(conditions.cost_centres))


class OutcomeOut(BaseModel):
    account_code: str | None
    tax_code: str | None
    cost_centre_code: str | None
    project_code: str | None
    approval_route: str | None

    @classmethod
    def of(cls, outcome: Outcome) -> OutcomeOut:
        return cls(**asdict(outcome))


class RuleOut(BaseModel):
    id: uuid.UUID
    position: int = Field(description="1, 2, 3 ...: the order rules are tried in; reasons name a rule by it")
    name: str
    active: bool
    conditions: ConditionsOut
    outcome: OutcomeOut
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: PostingRule) -> RuleOut:
        rule = rule_of(row)
        return cls(id=row.id, position=row.position, name=rule.name, active=rule.active,
                   conditions=ConditionsOut.of(rule.conditions), outcome=OutcomeOut.of(rule.outcome),
                   created_at=row.created_at, updated_at=row.updated_at)


class RuleList(BaseModel):
    items: list[RuleOut] = Field(description="Every rule of the company, in order")
    next_cursor: str | None = None


class ImportOut(BaseModel):
    created: int
    deleted: int = Field(description="The rules an import with mode=replace deleted")

    @classmethod
    def of(cls, summary: ImportSummary) -> ImportOut:
        return cls(created=summary.created, deleted=summary.deleted)


class PromoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    voucher_line_id: uuid.UUID = Field(description="An expense or asset line of one of the company's vouchers")
    keywords: list[str] | None = Field(default=None, description="The words the rule looks for (any of them); "
                                                                 "default: the telling words of the line's "
                                                                 "description")
    name: str | None = Field(default=None, description="Default: '<vendor>: <keywords> to <account>'")
    position: int | None = Field(default=None, ge=1, description="Where it goes (1: first); default: after the last")


class ExplainIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_id: uuid.UUID


class DecisionOut(BaseModel):
    rule_id: uuid.UUID | None
    position: int
    name: str
    reason: str = Field(examples=["rule 3 'Cloud hosting': vendor is Amazon Web Services, keyword 'EC2' in line "
                                  "item 2, amount 0-5000 EUR"])
    outcome: OutcomeOut

    @classmethod
    def of(cls, decision: RuleDecision) -> DecisionOut:
        return cls(rule_id=decision.rule_id, position=decision.position, name=decision.name,
                   reason=decision.reason, outcome=OutcomeOut.of(decision.outcome))


class LineExplainedOut(BaseModel):
    line_no: int = Field(description="The line's number in the voucher drafted now")
    description: str
    amount: str = Field(description="Signed as a debit, in the document's currency")
    account_code: str
    cost_centre_code: str | None
    project_code: str | None
    rules: list[DecisionOut] = Field(description="The rules that decide the line, in the order they applied; empty "
                                                 "when none matches it")
    reason: str = Field(description="The line's reason, as the voucher would carry it")

    @classmethod
    def of(cls, line: LineExplained) -> LineExplainedOut:
        return cls(line_no=line.line_no, description=line.description, amount=money_str(line.amount),
                   account_code=line.account_code, cost_centre_code=line.cost_centre_code,
                   project_code=line.project_code, rules=[DecisionOut.of(d) for d in line.rules], reason=line.reason)


class ExplanationOut(BaseModel):
    document_id: uuid.UUID
    approval_route: str | None = Field(description="The route of the first rule by position that decides a line and "
                                                   "names one")
    lines: list[LineExplainedOut] = Field(description="The voucher's expense and asset lines")

    @classmethod
    def of(cls, explanation: Explanation) -> ExplanationOut:
        return cls(document_id=explanation.document_id, approval_route=explanation.approval_route,
                   lines=[LineExplainedOut.of(line) for line in explanation.lines])


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"
