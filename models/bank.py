"""Bank accounts, the statements imported for them and their lines (transactions), and the column profiles CSV and
Excel statements are read with. Matching lines to open items is ``reconciliation``'s."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin, utcnow


class BankTransactionStatus(StrEnum):
    UNMATCHED = "unmatched"
    SUGGESTED = "suggested"
    MATCHED = "matched"
    IGNORED = "ignored"
    """Nothing to match (a transfer between own accounts, a bank's interest line)."""


class BankAccount(IdMixin, TimestampMixin, Base):
    """A company's account at a bank, known by its IBAN or the bank's own account number; made by the first statement
    imported for it. Its statements are in its one currency."""

    __tablename__ = "bank_accounts"
    __table_args__ = (UniqueConstraint("company_id", "identifier"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    identifier: Mapped[str] = mapped_column(String(70))
    """The IBAN without spaces, else the number as the bank writes it (``45050050/76198810``)."""
    iban: Mapped[str | None] = mapped_column(String(34))
    currency: Mapped[str] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(200), default="")
    ledger_account_code: Mapped[str | None] = mapped_column(String(20))
    """The chart's account that books this bank account (for clearing vouchers)."""


class BankStatement(IdMixin, Base):
    """One statement of one account as a file held it: a file with several accounts (or several days) gives several,
    sharing the file's sha256 and stored original."""

    __tablename__ = "bank_statements"
    __table_args__ = (UniqueConstraint("company_id", "sha256", "position"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bank_accounts.id"), index=True)
    format: Mapped[str] = mapped_column(String(20))
    """camt.053, camt.052, camt.054, mt940, mt942, ofx, csv or xlsx."""
    sha256: Mapped[str] = mapped_column(String(64))
    blob_key: Mapped[str] = mapped_column(String(64))
    """Where the original file is in the blob store."""
    filename: Mapped[str] = mapped_column(String(255))
    position: Mapped[int]
    """Its place among the statements of the file, from 0."""
    reference: Mapped[str | None] = mapped_column(String(100))
    """The bank's own id of the statement (CAMT ``Stmt/Id``, MT940 ``:20:`` and ``:28C:``)."""
    currency: Mapped[str] = mapped_column(String(3))
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    opening_balance: Mapped[Decimal | None]
    opening_date: Mapped[date | None]
    closing_balance: Mapped[Decimal | None]
    closing_date: Mapped[date | None]
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    transaction_count: Mapped[int]
    """Lines stored with this statement (new ones)."""
    duplicate_count: Mapped[int]
    """Lines the account had already, from an overlapping statement: recognised and not stored again."""
    imported_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class BankTransaction(IdMixin, TimestampMixin, Base):
    """One line of a statement: money in (positive) or out (negative) of the account."""

    __tablename__ = "bank_transactions"
    __table_args__ = (UniqueConstraint("account_id", "fingerprint"),
                      Index("ix_bank_transactions_company_status", "company_id", "status"))

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    statement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bank_statements.id"), index=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bank_accounts.id"), index=True)
    line_no: Mapped[int]
    """Its place in the statement, from 1."""
    booking_date: Mapped[date]
    value_date: Mapped[date | None]
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    counterparty_name: Mapped[str | None] = mapped_column(String(200))
    counterparty_iban: Mapped[str | None] = mapped_column(String(34))
    remittance: Mapped[str] = mapped_column(Text, default="")
    reference_tokens: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Invoice-number-like tokens of the remittance text and references, for matching."""
    creditor_reference: Mapped[str | None] = mapped_column(String(35))
    """A valid ISO 11649 creditor reference (``RF18539007547034``)."""
    end_to_end_id: Mapped[str | None] = mapped_column(String(100))
    bank_reference: Mapped[str | None] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))
    """What the line is (date, amount, references, text), so the same line from an overlapping statement is known."""
    status: Mapped[str] = mapped_column(String(20), default=BankTransactionStatus.UNMATCHED)


class CsvProfile(IdMixin, TimestampMixin, Base):
    """How a bank's CSV or Excel statements are read: which column holds what, their date format, decimal sign and
    encoding. A company keeps one per bank export, by name."""

    __tablename__ = "csv_profiles"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    columns: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """What each column holds: ``{"booking_date": "Buchungstag", "amount": "Betrag", ...}``."""
    date_format: Mapped[str] = mapped_column(String(30))
    decimal_separator: Mapped[str] = mapped_column(String(1))
    delimiter: Mapped[str | None] = mapped_column(String(1))
    encoding: Mapped[str] = mapped_column(String(30))
    skip_rows: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    debit_marks: Mapped[list[str]] = mapped_column(JSON, default=list)
    currency: Mapped[str | None] = mapped_column(String(3))
    account: Mapped[str | None] = mapped_column(String(70))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
