"""Queries of the confirmed lines learned account suggestions compare with, every one scoped by company."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import Row, Select, delete, select
from sqlalchemy.orm import Session

from models import Account, AccountExample, Voucher, VoucherStatus

HISTORY_LIMIT = 20_000
"""The newest confirmed lines a suggestion compares with (about 50 MB of vectors at most)."""
CONFIRMED = (VoucherStatus.APPROVED, VoucherStatus.POSTED)
DELETE_CHUNK = 500


def history_rows(session: Session, company_id: uuid.UUID, limit: int = HISTORY_LIMIT) -> list[Row]:
    """The company's newest remembered lines: voucher, vendor, description, account and vector of each."""
    query = select(AccountExample.voucher_id, AccountExample.vendor_id, AccountExample.vendor_name,
                   AccountExample.description, AccountExample.account_code, AccountExample.vector)
    query = query.where(AccountExample.company_id == company_id)
    return list(session.execute(query.order_by(AccountExample.confirmed_at.desc(), AccountExample.id).limit(limit)))


def remembered_line_ids(session: Session, company_id: uuid.UUID, voucher_id: uuid.UUID) -> set[uuid.UUID]:
    query = select(AccountExample.voucher_line_id).where(AccountExample.company_id == company_id,
                                                          AccountExample.voucher_id == voucher_id)
    return set(session.scalars(query))


def forget_voucher(session: Session, company_id: uuid.UUID, voucher_id: uuid.UUID) -> int:
    """Delete the voucher's remembered lines; how many there were."""
    statement = delete(AccountExample).where(AccountExample.company_id == company_id,
                                             AccountExample.voucher_id == voucher_id)
    return session.execute(statement).rowcount


def forget_lines(session: Session, company_id: uuid.UUID, line_ids: Iterable[uuid.UUID]) -> None:
    ids = list(line_ids)
    for start in range(0, len(ids), DELETE_CHUNK):
        chunk = ids[start:start + DELETE_CHUNK]
        session.execute(delete(AccountExample).where(AccountExample.company_id == company_id,
                                                     AccountExample.voucher_line_id.in_(chunk)))


def forget_unconfirmed(session: Session, company_id: uuid.UUID) -> None:
    """Delete the remembered lines of vouchers that are no longer confirmed (reversed)."""
    confirmed = _confirmed(company_id).with_only_columns(Voucher.id)
    session.execute(delete(AccountExample).where(AccountExample.company_id == company_id,
                                                 AccountExample.voucher_id.not_in(confirmed)))


def confirmed_vouchers(session: Session, company_id: uuid.UUID) -> list[Voucher]:
    """The company's vouchers of documents that are approved or posted and not reversed, first approved first."""
    return list(session.scalars(_confirmed(company_id).order_by(Voucher.approved_at, Voucher.id)))


def _confirmed(company_id: uuid.UUID) -> Select:
    return select(Voucher).where(Voucher.company_id == company_id, Voucher.status.in_(CONFIRMED),
                                 Voucher.document_id.is_not(None), Voucher.reversed_by_id.is_(None))


def account_name(session: Session, company_id: uuid.UUID, code: str) -> str | None:
    query = select(Account.name).where(Account.company_id == company_id, Account.code == code)
    return session.scalars(query).first()
