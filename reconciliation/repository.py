"""Queries of bank accounts, statements, their lines and column profiles; every one scoped by company (a line by its
account, which is)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import insert_ignoring_conflicts
from core.pagination import page_by_key, page_of, paginate, paginate_by_key
from models import BankAccount, BankStatement, BankTransaction, CsvProfile

FINGERPRINT_BATCH = 500
"""Fingerprints asked about in one query (well below any database's limit of parameters)."""


def statements_of_file(session: Session, company_id: uuid.UUID, sha256: str) -> list[BankStatement]:
    """The statements an earlier upload of the same bytes made, in the file's order."""
    query = select(BankStatement).where(BankStatement.company_id == company_id, BankStatement.sha256 == sha256)
    return list(session.scalars(query.order_by(BankStatement.position)))


def accounts_by_identifier(session: Session, company_id: uuid.UUID, identifiers: set[str]) -> dict[str, BankAccount]:
    query = select(BankAccount).where(BankAccount.company_id == company_id,
                                      BankAccount.identifier.in_(sorted(identifiers)))
    return {account.identifier: account for account in session.scalars(query)}


def known_fingerprints(session: Session, account_id: uuid.UUID, fingerprints: list[str]) -> set[str]:
    """Which of ``fingerprints`` the account's stored lines have."""
    known: set[str] = set()
    for start in range(0, len(fingerprints), FINGERPRINT_BATCH):
        batch = fingerprints[start:start + FINGERPRINT_BATCH]
        query = select(BankTransaction.fingerprint).where(BankTransaction.account_id == account_id,
                                                          BankTransaction.fingerprint.in_(batch))
        known.update(session.scalars(query))
    return known


def insert_lines(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert lines, skipping any whose fingerprint the account got meanwhile (a concurrent overlapping import);
    how many were inserted."""
    if not rows:
        return 0
    inserted = session.execute(insert_ignoring_conflicts(session, BankTransaction, returning=("id",)), rows)
    return len(inserted.all())


def statement_page(session: Session, company_id: uuid.UUID, *, account_id: uuid.UUID | None, limit: int,
                   cursor: str | None) -> tuple[list[BankStatement], str | None]:
    """The company's statements, newest import first."""
    query = select(BankStatement).where(BankStatement.company_id == company_id)
    if account_id:
        query = query.where(BankStatement.account_id == account_id)
    rows = list(session.scalars(paginate(query, BankStatement, limit=limit, cursor=cursor,
                                         created_field="imported_at")))
    return page_of(rows, limit, created_field="imported_at")


def line_page(session: Session, statement_id: uuid.UUID, *, limit: int,
              cursor: str | None) -> tuple[list[BankTransaction], str | None]:
    """A statement's lines in their order."""
    query = select(BankTransaction).where(BankTransaction.statement_id == statement_id)
    rows = list(session.scalars(paginate_by_key(query, BankTransaction.line_no, limit=limit, cursor=cursor)))
    return page_by_key(rows, limit, "line_no")


def account_page(session: Session, company_id: uuid.UUID, *, limit: int,
                 cursor: str | None) -> tuple[list[BankAccount], str | None]:
    query = select(BankAccount).where(BankAccount.company_id == company_id)
    rows = list(session.scalars(paginate_by_key(query, BankAccount.identifier, limit=limit, cursor=cursor)))
    return page_by_key(rows, limit, "identifier")


def profile_by_name(session: Session, company_id: uuid.UUID, name: str) -> CsvProfile | None:
    query = select(CsvProfile).where(CsvProfile.company_id == company_id, CsvProfile.name == name)
    return session.scalars(query).first()


def profile_page(session: Session, company_id: uuid.UUID, *, limit: int,
                 cursor: str | None) -> tuple[list[CsvProfile], str | None]:
    query = select(CsvProfile).where(CsvProfile.company_id == company_id)
    rows = list(session.scalars(paginate_by_key(query, CsvProfile.name, limit=limit, cursor=cursor)))
    return page_by_key(rows, limit, "name")
