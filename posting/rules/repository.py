"""Queries of posting rules and of the master data they name, every one scoped by company."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Account, Company, PostingRule, TaxCode, Vendor
from posting.masterdata.repository import active_keys
from posting.masterdata.validation import Row
from posting.rules.matching import Rule
from posting.rules.validation import Known, read_rule


def company_rules(session: Session, company_id: uuid.UUID) -> list[PostingRule]:
    """The company's rules in order."""
    query = select(PostingRule).where(PostingRule.company_id == company_id)
    return list(session.scalars(query.order_by(PostingRule.position)))


def locked_rules(session: Session, company_id: uuid.UUID) -> list[PostingRule]:
    """The company's rules in order, after locking the company's row: changes to a company's rules (which renumber
    them) run one at a time."""
    session.scalars(select(Company.id).where(Company.id == company_id).with_for_update()).one()
    return company_rules(session, company_id)


def active_rules(session: Session, company_id: uuid.UUID) -> tuple[Rule, ...]:
    """The company's active rules in order, as drafting applies them."""
    return tuple(rule_of(row) for row in company_rules(session, company_id) if row.active)


def rule_of(row: PostingRule) -> Rule:
    """The plain rule of a stored row (stored rules were read when saved, so they read again). Read once per
    content and process: every draft asks for the company's rules."""
    return _read_stored(row.id, row.position, row.name, row.active, _as_text(row.conditions), _as_text(row.outcome))


@lru_cache(maxsize=4096)
def _read_stored(rule_id: uuid.UUID, position: int, name: str, active: bool, conditions: str, outcome: str) -> Rule:
    values = {"name": name, "active": active, "conditions": json.loads(conditions), "outcome": json.loads(outcome)}
    rule, errors = read_rule(Row(position, values))
    if rule is None:
        raise ValueError(f"posting rule {rule_id} does not read back: {errors}")
    return replace(rule, position=position, id=rule_id)


def _as_text(values: dict) -> str:
    return json.dumps(values, sort_keys=True)


def known_records(session: Session, company_id: uuid.UUID) -> Known:
    """What the company's master data has that rules may name."""
    accounts = session.execute(select(Account.code, Account.account_type)
                               .where(Account.company_id == company_id, Account.active))
    tax_codes = select(TaxCode.code).where(TaxCode.company_id == company_id, TaxCode.active, TaxCode.kind == "input")
    return Known({code: kind for code, kind in accounts}, frozenset(session.scalars(tax_codes)),
                 active_keys(session, "cost-centres", company_id), active_keys(session, "projects", company_id),
                 vendor_names(session, company_id))


def vendor_names(session: Session, company_id: uuid.UUID) -> frozenset[str]:
    """Every name, alias and tax ID of the company's vendors, in lower case."""
    rows = session.execute(select(Vendor.name, Vendor.aliases, Vendor.tax_id).where(Vendor.company_id == company_id))
    return frozenset(name.casefold() for vendor, aliases, tax_id in rows
                     for name in (vendor, *(aliases or ()), tax_id) if name)
