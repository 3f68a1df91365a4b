"""What is worth a warning about a statement that was read: its balances do not agree with its lines, cannot be
checked, or lines are in another currency. Pure; like validators elsewhere, the checks return messages, never raise:
a statement is imported with its warnings, never silently."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from reconciliation.statements.model import Statement


def balance_warnings(statement: Statement) -> list[str]:
    """Whether opening + the booked lines == closing; why it could not be checked, if it could not."""
    opening, closing = statement.opening, statement.closing
    missing = [name for name, balance in (("opening", opening), ("closing", closing)) if balance is None]
    if missing:
        return [f"the balances were not checked: the file gives no {' and no '.join(missing)} balance"]
    currencies = {opening.currency, closing.currency} - {statement.currency}
    if currencies:
        return [f"the balances were not checked: the opening balance is in {opening.currency} and the closing balance "
                f"in {closing.currency}, the account in {statement.currency}"]
    total = sum((line.amount for line in statement.booked), Decimal("0"))
    if opening.amount + total == closing.amount:
        return []
    return [f"unbalanced: opening balance {opening.amount} + {len(statement.booked)} lines {total:+} = "
            f"{opening.amount + total}, but the closing balance is {closing.amount} (a difference of "
            f"{closing.amount - opening.amount - total:+}): lines are missing, or the file was changed"]


def currency_warnings(statement: Statement) -> list[str]:
    """One warning for the lines in another currency than the account's, naming the first."""
    foreign = [line for line in statement.transactions if line.currency != statement.currency]
    if not foreign:
        return []
    return [f"{len(foreign)} line(s) in another currency than the account's {statement.currency}, the first "
            f"({foreign[0].where}) in {foreign[0].currency}"]


def pending_warnings(statement: Statement) -> list[str]:
    pending = len(statement.transactions) - len(statement.booked)
    if not pending:
        return []
    return [f"{pending} pending or information-only entr{'y' if pending == 1 else 'ies'} not imported: a later "
            "statement books them"]


def checked(statement: Statement) -> Statement:
    """The statement with every warning of its checks added to the reader's own."""
    found = balance_warnings(statement) + currency_warnings(statement) + pending_warnings(statement)
    return replace(statement, warnings=statement.warnings + tuple(found))
