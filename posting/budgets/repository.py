"""Queries of budgets and their movements, every one scoped by company, and the lock a check of budgets takes."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.pagination import page_of, paginate
from models import Account, Budget, BudgetEntry, BudgetEntryKind, Voucher
from posting.budgets.checking import ZERO, Usage
from posting.budgets.records import BUDGETS, BudgetSpec


def account_chart(session: Session, company_id: uuid.UUID) -> tuple[dict[str, str | None], dict[str, str]]:
    """The company's accounts: each one's parent and each one's name, by code."""
    rows = session.execute(select(Account.code, Account.parent_code, Account.name)
                           .where(Account.company_id == company_id)).all()
    return {row.code: row.parent_code for row in rows}, {row.code: row.name for row in rows}


def budgets_for(session: Session, company_id: uuid.UUID, periods: Iterable[str]) -> list[Budget]:
    """The company's active budgets of ``periods``."""
    query = select(Budget).where(Budget.company_id == company_id, Budget.active, Budget.period.in_(list(periods)))
    return list(session.scalars(query))


def lock(session: Session, company_id: uuid.UUID, budget_ids: Iterable[uuid.UUID]) -> list[Budget]:
    """The company's budgets ``budget_ids``, locked for the transaction and read again. Two transactions that check
    the same budget take turns: the second waits for the first to finish, then sees what it reserved. Every one
    takes its budgets in the order of their ids, so two never wait for each other (SQLite lets one writer in at a
    time anyway)."""
    ids = sorted(set(budget_ids))
    if not ids:
        return []
    query = select(Budget).where(Budget.company_id == company_id, Budget.id.in_(ids)).order_by(Budget.id)
    return list(session.scalars(query.with_for_update().execution_options(populate_existing=True)))


def usage_of(session: Session, company_id: uuid.UUID, budget_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Usage]:
    """What every voucher holds of each budget: the sums of its movements."""
    return _usage(session, company_id, BudgetEntry.budget_id.in_(list(budget_ids))) if budget_ids else {}


def voucher_usage(session: Session, voucher: Voucher) -> dict[uuid.UUID, Usage]:
    """What the voucher holds of each budget it moved, by budget."""
    return _usage(session, voucher.company_id, BudgetEntry.voucher_id == voucher.id)


def _usage(session: Session, company_id: uuid.UUID, condition: ColumnElement[bool]) -> dict[uuid.UUID, Usage]:
    query = (select(BudgetEntry.budget_id, BudgetEntry.kind, func.sum(BudgetEntry.amount))
             .where(BudgetEntry.company_id == company_id, condition).group_by(BudgetEntry.budget_id, BudgetEntry.kind))
    sums: dict[uuid.UUID, dict[str, Decimal]] = defaultdict(dict)
    for budget_id, kind, total in session.execute(query):
        sums[budget_id][kind] = total
    return {budget_id: _usage_of_sums(by_kind) for budget_id, by_kind in sums.items()}


def _usage_of_sums(by_kind: dict[str, Decimal]) -> Usage:
    reserved = by_kind.get(BudgetEntryKind.RESERVED, ZERO) + by_kind.get(BudgetEntryKind.RELEASED, ZERO)
    return Usage(reserved, by_kind.get(BudgetEntryKind.CONSUMED, ZERO))


def add_entry(session: Session, voucher: Voucher, budget_id: uuid.UUID, kind: BudgetEntryKind, amount: Decimal,
              reason: str, actor: str) -> BudgetEntry:
    """One movement of a budget by a voucher."""
    entry = BudgetEntry(company_id=voucher.company_id, budget_id=budget_id, voucher_id=voucher.id, kind=kind,
                        amount=amount, reason=reason[:200], actor=actor, at=utcnow())
    session.add(entry)
    return entry


def has_entries(session: Session, budget: Budget) -> bool:
    query = select(BudgetEntry.id).where(BudgetEntry.company_id == budget.company_id,
                                         BudgetEntry.budget_id == budget.id)
    return session.scalars(query.limit(1)).first() is not None


def company_budgets(session: Session, company_id: uuid.UUID) -> dict[str, Budget]:
    """The company's budgets by key (``6602 / CC-SALES / 2026-03``)."""
    rows = session.scalars(select(Budget).where(Budget.company_id == company_id))
    return {spec_of(row).key: row for row in rows}


def spec_of(row: Budget) -> BudgetSpec:
    return BudgetSpec(**{name: getattr(row, name) for name in BUDGETS.column_names})


def store(session: Session, company_id: uuid.UUID, row: Budget | None, spec: BudgetSpec) -> Budget:
    """Write ``spec`` into ``row`` (a new row when None)."""
    if row is None:
        row = Budget(id=uuid.uuid4(), company_id=company_id)
        session.add(row)
    for name in BUDGETS.column_names:
        setattr(row, name, getattr(spec, name))
    return row


def page(session: Session, company_id: uuid.UUID, *, period: str | None, cost_centre: str | None, limit: int,
         cursor: str | None) -> tuple[list[Budget], str | None]:
    """A page of the company's budgets, newest first, of a period and a cost centre when given."""
    query = select(Budget).where(Budget.company_id == company_id)
    if period:
        query = query.where(Budget.period == period)
    if cost_centre:
        query = query.where(Budget.cost_centre_code == cost_centre)
    return page_of(list(session.scalars(paginate(query, Budget, limit=limit, cursor=cursor))), limit)


def entries_page(session: Session, budget: Budget, *, limit: int,
                 cursor: str | None) -> tuple[list[BudgetEntry], str | None]:
    """A page of the budget's movements, newest first."""
    query = select(BudgetEntry).where(BudgetEntry.company_id == budget.company_id, BudgetEntry.budget_id == budget.id)
    rows = list(session.scalars(paginate(query, BudgetEntry, limit=limit, cursor=cursor, created_field="at")))
    return page_of(rows, limit, created_field="at")
