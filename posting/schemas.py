"""Response shapes of the vouchers API."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel

from core.money import money_str
from models import Voucher


class VoucherLineOut(BaseModel):
    line_no: int
    account_code: str
    account_name: str
    debit: str
    credit: str
    description: str
    reason: str
    kind: str


class VoucherOut(BaseModel):
    id: uuid.UUID
    document_id: uuid.UUID | None
    status: str
    date: date
    currency: str
    description: str
    total_debit: str
    total_credit: str
    lines: list[VoucherLineOut]

    @classmethod
    def of(cls, voucher: Voucher) -> "VoucherOut":
        lines = [VoucherLineOut(line_no=line.line_no, account_code=line.account.code, account_name=line.account.name,
                                debit=money_str(line.debit), credit=money_str(line.credit),
                                description=line.description, reason=line.reason, kind=line.kind)
                 for line in voucher.lines]
        return cls(id=voucher.id, document_id=voucher.document_id, status=voucher.status, date=voucher.date,
                   currency=voucher.currency, description=voucher.description,
                   total_debit=money_str(sum(line.debit for line in voucher.lines)),
                   total_credit=money_str(sum(line.credit for line in voucher.lines)), lines=lines)


class VoucherList(BaseModel):
    items: list[VoucherOut]
    next_cursor: str | None
