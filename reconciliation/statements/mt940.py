"""SWIFT MT940 statements and MT942 interim reports, read by the ``mt-940`` library: each ``:20:`` block is a
statement (a file may hold several, of several accounts); structured ``:86:`` details (German GVC ``?20``...,
SEPA ``EREF+``, ``SVWZ+``) are split into purpose, counterparty and references. Pure: text in, ``Statement`` values
out."""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

import mt940

from core.errors import InvalidStatement
from reconciliation.statements.model import Balance, Statement, Transaction
from reconciliation.statements.remittance import compact_iban, transaction

OPTIONS = mt940.Options(reversal_sign=True, applicant_iban=True, merge_keeps_values=True, case_insensitive_marks=True,
                        unbounded_details=True, strip_bom=True, timezone_offset=True, non_swift_free_text=True)
"""The library's fixes over its 5.0 output, all of them: a reversed credit (``RC``) is money out, the counterparty's
IBAN (``?31``) is not glued to their name, ``:86:`` is never cut short, ``:13D:`` offsets are hours."""
STATEMENT_START = re.compile(r"^:20:", re.MULTILINE)
INTERIM_MARKS = ("floor_limit", "d_floor_limit", "c_floor_limit", "date_time_indication")
"""What only an MT942 interim report carries (``:34F:``, ``:13D:``)."""
ASN_BANK_LINE = mt940.tags.StatementASNB()
"""ASN Bank writes a free-text line under each ``:61:``; tried when the standard reading of a ``:61:`` fails."""

logging.getLogger("mt940").setLevel(logging.CRITICAL)  # it logs every line it cannot read; the refusal names it


def decode(data: bytes) -> str:
    """UTF-8 if it is, else Latin-1 (as German and Dutch banks write MT940): never fails."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_mt940(data: bytes) -> list[Statement]:
    """Every ``:20:`` block of the file as a statement (a file without ``:20:`` as one)."""
    text = decode(data).replace("\r\n", "\n")
    blocks = _read(text)
    return [_statement(block, number, "mt942" if _interim(block, text) else "mt940")
            for number, block in enumerate(blocks, start=1)]


def _read(text: str) -> list[Any]:
    try:
        return _blocks(text, None)
    except RuntimeError as failure:
        if _tag_of(failure) != "61":
            raise _refusal(failure, text) from None
    try:
        return _blocks(text, {ASN_BANK_LINE.id: ASN_BANK_LINE})
    except RuntimeError as failure:
        raise _refusal(failure, text) from None


def _blocks(text: str, tags: dict | None) -> list[Any]:
    if STATEMENT_START.search(text):
        return mt940.parse_statements(text, tags=tags, options=OPTIONS)
    return [mt940.parse(text, tags=tags, options=OPTIONS)]


def _tag_of(failure: RuntimeError) -> str:
    tag = failure.args[1] if len(failure.args) > 1 else None
    return str(getattr(tag, "id", ""))


def _refusal(failure: RuntimeError, text: str) -> InvalidStatement:
    """The library's failure as a refusal naming the line and the tag it could not read."""
    value = str(failure.args[2]) if len(failure.args) > 2 else ""
    position = text.find(value.split("\n")[0]) if value else -1
    line = text.count("\n", 0, position) + 1 if position >= 0 else None
    tag = _tag_of(failure)
    where = f"line {line} (:{tag}:)" if line else (f":{tag}:" if tag else None)
    return InvalidStatement(f"{value.splitlines()[0] if value else 'a field'!r} is not a valid :{tag}: field",
                            where=where)


def _interim(block: Any, text: str) -> bool:
    return any(mark in block.data for mark in INTERIM_MARKS) or "{2:O942" in text or "{2:I942" in text


def _statement(block: Any, number: int, kind: str) -> Statement:
    data = block.data
    opening = _balance(data.get("final_opening_balance") or data.get("intermediate_opening_balance"))
    closing = _balance(data.get("final_closing_balance") or data.get("intermediate_closing_balance"))
    lines = tuple(_line(item.data, f"statement {number}, :61: {n}") for n, item in enumerate(block.transactions,
                                                                                            start=1))
    account = (data.get("account_identification") or "").strip() or None
    currency = _currency(data, opening, closing, lines)
    return Statement(format=kind, account=compact_iban(account) or account, currency=currency,
                     transactions=lines, opening=opening, closing=closing, iban=compact_iban(account),
                     reference=_reference(data))


def _currency(data: dict, opening: Balance | None, closing: Balance | None, lines: tuple[Transaction, ...]) -> str | None:
    for found in (opening and opening.currency, closing and closing.currency, data.get("currency"),
                  lines[0].currency if lines else None):
        if found:
            return found
    return None


def _reference(data: dict) -> str | None:
    parts = [data.get("transaction_reference"), data.get("statement_number"), data.get("sequence_number")]
    found = "/".join(str(part).strip() for part in parts if part and str(part).strip())
    return found[:100] or None


def _balance(balance: Any) -> Balance | None:
    if balance is None:
        return None
    return Balance(balance.amount.amount, balance.amount.currency, _day(balance.date))


def _day(value: date | None) -> date | None:
    """mt-940's own date type (a subclass) as a plain date."""
    return None if value is None else date(value.year, value.month, value.day)


def _line(data: dict, where: str) -> Transaction:
    structured = "purpose" in data or "end_to_end_reference" in data or "applicant_name" in data
    text = _structured_text(data) if structured else data.get("transaction_details") or ""
    extra = data.get("extra_details") or ""
    return transaction(
        amount=data["amount"].amount, currency=data["amount"].currency or data.get("currency") or "",
        booking_date=_day(data.get("entry_date") or data["date"]), value_date=_day(data.get("date")),
        counterparty_name=data.get("applicant_name"),
        counterparty_account=data.get("applicant_iban") or data.get("gvc_applicant_iban"),
        remittance=f"{text} {extra}".strip(), structured_reference=data.get("customer_reference"),
        end_to_end_id=data.get("end_to_end_reference"), bank_reference=data.get("bank_reference"), where=where)


def _structured_text(data: dict) -> str:
    parts = [data.get(key) for key in ("posting_text", "purpose", "additional_purpose")]
    return " ".join(str(part) for part in parts if part)
