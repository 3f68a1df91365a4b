"""Queries of master data, every one scoped by company, and storing a record in its row."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.identity import User
from core.pagination import page_by_key, page_of, paginate, paginate_by_key
from models import Account, CostCentre, Employee, ExchangeRate, Project, TaxCode, Vendor
from posting.masterdata.records import TABLES, Table

MODELS: dict[str, type] = {"accounts": Account, "tax-codes": TaxCode, "cost-centres": CostCentre,
                           "projects": Project, "employees": Employee, "vendors": Vendor,
                           "exchange-rates": ExchangeRate}
"""The ORM class of each table of ``posting.masterdata.records.TABLES``."""


def record_of(table: Table, row: Any) -> Any:
    """The plain record of an ORM row (lists become tuples, as records are immutable)."""
    values = {name: getattr(row, name) for name in table.column_names}
    return table.record(**{name: tuple(v) if isinstance(v, list) else v for name, v in values.items()})


def company_rows(session: Session, table: Table, company_id: uuid.UUID) -> dict[str, Any]:
    """The company's rows of ``table`` by key."""
    model = MODELS[table.name]
    return {getattr(row, table.key): row for row in session.scalars(select(model).where(model.company_id == company_id))}


def row_by_key(session: Session, table: Table, company_id: uuid.UUID, key: str) -> Any | None:
    model = MODELS[table.name]
    query = select(model).where(model.company_id == company_id, getattr(model, table.key) == key)
    return session.scalars(query).first()


def active_keys(session: Session, table_name: str, company_id: uuid.UUID) -> frozenset[str]:
    """The keys of the company's active records of ``table_name``; for ``users``, its active users' e-mails."""
    if table_name == "users":
        query = select(User.email).where(User.company_id == company_id, User.is_active)
    else:
        model = MODELS[table_name]
        query = select(getattr(model, TABLES[table_name].key)).where(model.company_id == company_id, model.active)
    return frozenset(session.scalars(query))


def user_ids(session: Session, company_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """The company's users by e-mail."""
    return {row.email: row.id for row in session.execute(select(User.email, User.id).where(User.company_id == company_id))}


def page(session: Session, table: Table, company_id: uuid.UUID, *, active: bool | None, limit: int,
         cursor: str | None) -> tuple[list[Any], str | None]:
    """One page of the company's rows of ``table`` in the order of their keys, and the next page's cursor."""
    model = MODELS[table.name]
    query = select(model).where(model.company_id == company_id)
    if active is not None:
        query = query.where(model.active == active)
    rows = list(session.scalars(paginate_by_key(query, getattr(model, table.key), limit=limit, cursor=cursor)))
    return page_by_key(rows, limit, table.key)


def store(session: Session, table: Table, company_id: uuid.UUID, row: Any | None, record: Any,
          users: dict[str, uuid.UUID]) -> Any:
    """Write ``record`` into ``row`` (a new row when None); an employee's ``user_email`` becomes its user's id."""
    if row is None:
        row = MODELS[table.name](id=uuid.uuid4(), company_id=company_id)
        session.add(row)
    for name in table.column_names:
        value = getattr(record, name)
        if name == "user_email":
            row.user_id = users[value] if value else None
        else:
            setattr(row, name, list(value) if isinstance(value, tuple) else value)
    return row


def latest_rate(session: Session, company_id: uuid.UUID, from_currency: str, to_currency: str,
                on: date) -> ExchangeRate | None:
    """The company's newest rate of the pair on or before ``on``."""
    query = select(ExchangeRate).where(ExchangeRate.company_id == company_id,
                                       ExchangeRate.from_currency == from_currency,
                                       ExchangeRate.to_currency == to_currency, ExchangeRate.date <= on)
    return session.scalars(query.order_by(ExchangeRate.date.desc()).limit(1)).first()


def rate_page(session: Session, company_id: uuid.UUID, *, from_currency: str | None, to_currency: str | None,
              limit: int, cursor: str | None) -> tuple[list[ExchangeRate], str | None]:
    """The company's rates, newest date first, of a pair (or every pair from or to a currency)."""
    query = select(ExchangeRate).where(ExchangeRate.company_id == company_id)
    if from_currency:
        query = query.where(ExchangeRate.from_currency == from_currency.upper())
    if to_currency:
        query = query.where(ExchangeRate.to_currency == to_currency.upper())
    rows = list(session.scalars(paginate(query, ExchangeRate, limit=limit, cursor=cursor, created_field="date")))
    return page_of(rows, limit, created_field="date")
