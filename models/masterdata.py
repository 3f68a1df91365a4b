"""Master data besides the chart of accounts and the vendor master: tax codes, cost centres, projects, employees,
exchange rates.

Each row belongs to a company and is known by a code (an employee by their number) unique in it. Other rows refer
to it by that code, as vouchers will; rows are deactivated, never deleted.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, IdMixin, TimestampMixin
from core.identity import User


class CompanyRecord:
    """A company's record with a name and an active flag; each table adds its key (a code, a number)."""

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)


class TaxCode(CompanyRecord, IdMixin, TimestampMixin, Base):
    __tablename__ = "tax_codes"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    code: Mapped[str] = mapped_column(String(20))
    rate: Mapped[Decimal] = mapped_column(Numeric(5, 2, asdecimal=True))
    """Percent: ``13.00`` is 13%."""
    kind: Mapped[str] = mapped_column(String(10))  # input | output
    deductible: Mapped[bool] = mapped_column(default=True)
    account_code: Mapped[str | None] = mapped_column(String(20))
    """Where the tax is posted; empty for a non-deductible code whose tax adds to the expense."""


class CostCentre(CompanyRecord, IdMixin, TimestampMixin, Base):
    __tablename__ = "cost_centres"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    code: Mapped[str] = mapped_column(String(20))


class Project(CompanyRecord, IdMixin, TimestampMixin, Base):
    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    code: Mapped[str] = mapped_column(String(20))


class Employee(CompanyRecord, IdMixin, TimestampMixin, Base):
    __tablename__ = "employees"
    __table_args__ = (UniqueConstraint("company_id", "number"),)

    number: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    cost_centre_code: Mapped[str | None] = mapped_column(String(20))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    """The user who signs in as this employee, if any."""

    user: Mapped[User | None] = relationship(lazy="joined")

    @property
    def user_email(self) -> str | None:
        return self.user.email if self.user else None


class ExchangeRate(IdMixin, TimestampMixin, Base):
    """One unit of ``from_currency`` is ``rate`` units of ``to_currency`` on ``date`` (and until the next rate)."""

    __tablename__ = "exchange_rates"
    __table_args__ = (UniqueConstraint("company_id", "from_currency", "to_currency", "date"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    from_currency: Mapped[str] = mapped_column(String(3))
    to_currency: Mapped[str] = mapped_column(String(3))
    date: Mapped[date]
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 8, asdecimal=True))
    source: Mapped[str | None] = mapped_column(String(200))
    """Where the rate comes from: ``ECB``, ``PBOC 中间价``, ``treasury``."""

    @property
    def key(self) -> str:
        """``USD/EUR 2026-03-01``: the pair and date, unique in the company."""
        return f"{self.from_currency}/{self.to_currency} {self.date.isoformat()}"
