"""OFX statements (1.x SGML and 2.x XML) of bank and credit card accounts, read by ``ofxparse``; a file with several
accounts gives a statement for each. Investment accounts are left out (they hold trades, not bank lines). Pure: bytes
in, ``Statement`` values out.

``ofxparse`` is asked to keep going past what it cannot read and to say what that was; any such line, an empty ledger
balance or a missing currency then refuses the whole file, naming the first, so nothing is imported half.
"""

from __future__ import annotations

import warnings
from datetime import date, datetime
from io import BytesIO
from typing import Any

from ofxparse import AccountType, OfxParser

from core.errors import InvalidStatement
from reconciliation.statements.model import Balance, Statement, Transaction
from reconciliation.statements.remittance import compact_iban, transaction

BANK_TYPES = {AccountType.Bank: "bank", AccountType.CreditCard: "credit card"}
NO_STATEMENT = ("the OFX file holds no bank or credit card statement (a sign-on answer, an account list or an "
                "investment statement only): there is nothing to import")


def parse_ofx(data: bytes) -> list[Statement]:
    """Every bank and credit card account's statement in the file."""
    accounts = [account for account in _accounts(data) if account.type in BANK_TYPES and _is_statement(account)]
    if not accounts:
        raise InvalidStatement(NO_STATEMENT, where="<OFX>")
    return [_statement(account, n) for n, account in enumerate(accounts, start=1)]


def _accounts(data: bytes) -> list[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # BeautifulSoup's note that it reads XML with its HTML parser, as ofxparse asks
        try:
            return OfxParser.parse(BytesIO(data.lstrip()), fail_fast=False).accounts
        except Exception as failure:  # noqa: BLE001 - the library raises anything from IndexError to its own errors
            raise InvalidStatement(f"the OFX file cannot be read: {failure or type(failure).__name__}",
                                   where="<OFX>") from None


def _is_statement(account: Any) -> bool:
    """An account with a statement (``STMTRS``), not just listed (``ACCTINFO``) with an empty one."""
    found = account.statement
    return found is not None and (hasattr(found, "balance") or bool(found.transactions or found.discarded_entries
                                                                      or found.warnings))


def _statement(account: Any, number: int) -> Statement:
    statement = account.statement
    where = f"<STMTRS> {number} (account {account.account_id})"
    _check_readable(statement, where)
    currency = (statement.currency or account.curdef or "").upper()
    if not currency:
        raise InvalidStatement("the statement gives no currency (CURDEF is empty)", where=where)
    lines = tuple(_line(item, currency, f"{where} <STMTTRN> {n}")
                  for n, item in enumerate(statement.transactions, start=1))
    closing = Balance(statement.balance, currency, _day(getattr(statement, "balance_date", None)))
    identifier = _identifier(account)
    return Statement(format="ofx", account=identifier, currency=currency, transactions=lines, closing=closing,
                     iban=compact_iban(identifier), account_name=BANK_TYPES[account.type])


def _check_readable(statement: Any, where: str) -> None:
    """Refuse what ``ofxparse`` had to skip, or a statement without its ledger balance."""
    if statement.discarded_entries:
        first = statement.discarded_entries[0]
        raise InvalidStatement(f"a transaction cannot be read ({first['error']}); {len(statement.discarded_entries)} "
                               "such", where=f"{where} <STMTTRN> {_fitid(first['content'])}")
    empty = [warning for warning in statement.warnings if "balance amount was empty" in warning]
    if empty or getattr(statement, "balance", None) is None:
        raise InvalidStatement("the ledger balance (LEDGERBAL/BALAMT) is empty or missing", where=f"{where} <LEDGERBAL>")


def _fitid(content: Any) -> str:
    found = content.find("fitid") if hasattr(content, "find") else None
    return f"FITID {found.get_text(strip=True)}" if found is not None else ""


def _identifier(account: Any) -> str:
    """The IBAN if the account number is one, else ``bank id/account id`` (an account id alone for a card)."""
    account_id = (account.account_id or "").strip()
    bank = (getattr(account, "routing_number", "") or "").strip()
    if compact_iban(account_id) or not bank:
        return compact_iban(account_id) or account_id
    return f"{bank}/{account_id}"


def _line(item: Any, currency: str, where: str) -> Transaction:
    posted = _day(item.date)
    return transaction(amount=item.amount, currency=currency, booking_date=posted,
                       value_date=_day(getattr(item, "user_date", None)) or posted,
                       counterparty_name=item.payee or None, remittance=item.memo or "",
                       structured_reference=getattr(item, "checknum", "") or None, bank_reference=item.id or None,
                       where=where)


def _day(value: datetime | date | None) -> date | None:
    if value is None or value == "":
        return None
    return value.date() if isinstance(value, datetime) else value
