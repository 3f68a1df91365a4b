"""What makes a bank line the same line when two overlapping statements (or the same statement exported twice) both
hold it. Pure.

A line is its booking day, amount, currency, the bank's and the payer's references and its text. Two lines alike in
all of that within one statement (two 5.00 fees on one day) are told apart by their order: the first and second of
their kind in one statement are the first and second in any other statement that holds both.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from reconciliation.statements.model import Transaction


def _content(line: Transaction) -> str:
    parts = (line.booking_date.isoformat(), f"{line.amount:.2f}", line.currency, line.bank_reference or "",
             line.end_to_end_id or "", line.counterparty_iban or "", line.remittance.upper())
    return "\x1f".join(parts)


def fingerprints(lines: tuple[Transaction, ...] | list[Transaction]) -> list[str]:
    """The fingerprint (a sha256) of each line, in order."""
    seen: Counter[str] = Counter()
    found = []
    for line in lines:
        content = _content(line)
        found.append(hashlib.sha256(f"{content}\x1f{seen[content]}".encode()).hexdigest())
        seen[content] += 1
    return found
