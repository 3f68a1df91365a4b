"""Queries of accounting periods, each scoped by company."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import insert_ignoring_conflicts, utcnow
from core.errors import PeriodClosed
from models import AccountingPeriod, PeriodStatus
from posting.periods import closed_detail


def locked_period(session: Session, company_id: uuid.UUID, period: str) -> AccountingPeriod:
    """The company's row of ``period`` (made, open, if there is none), locked for the transaction: a posting into a
    period and its closing run one at a time, so nothing is posted into a period as it closes."""
    session.execute(insert_ignoring_conflicts(session, AccountingPeriod),
                    {"id": uuid.uuid4(), "company_id": company_id, "period": period, "status": PeriodStatus.OPEN,
                     "created_at": utcnow()})
    query = select(AccountingPeriod).where(AccountingPeriod.company_id == company_id,
                                           AccountingPeriod.period == period)
    return session.scalars(query.with_for_update().execution_options(populate_existing=True)).one()


def ensure_open(session: Session, company_id: uuid.UUID, period: str, what: str) -> AccountingPeriod:
    """The period, locked; ``PeriodClosed`` naming it and how to open it when it is closed."""
    row = locked_period(session, company_id, period)
    if row.status == PeriodStatus.CLOSED:
        raise PeriodClosed(closed_detail(period, what))
    return row


def periods_of_year(session: Session, company_id: uuid.UUID, year: int) -> dict[str, AccountingPeriod]:
    """The company's rows of the months of ``year`` (months without a row are open), by period."""
    query = select(AccountingPeriod).where(AccountingPeriod.company_id == company_id,
                                           AccountingPeriod.period.startswith(f"{year:04d}-"))
    return {row.period: row for row in session.scalars(query)}
