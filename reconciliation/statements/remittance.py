"""What a bank line says about the payment it is: its ISO 11649 creditor reference, the invoice numbers in its text,
the counterparty's IBAN. Pure.

The matching engine looks open items up by these, so every reader builds its lines with ``transaction``, which fills
them in the same way whatever the format.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum import iso11649

from reconciliation.statements.model import Transaction

NO_REFERENCE = frozenset({"", "NONREF", "NOTPROVIDED", "NOT PROVIDED", "NONE", "N/A"})
"""What banks write where a reference is missing."""
MAX_TOKENS = 20
RF_START = re.compile(r"\bRF\d{2}")
RF_MAX_GROUPS = 6
"""An ISO 11649 reference has at most 25 characters: ``RF`` and two check digits, then at most 21, printed in groups
of four."""
TOKEN_SPLIT = re.compile(r"[\s,;:()\[\]{}\"'<>=+?*#]+")
TOKEN = re.compile(r"[A-Z0-9][A-Z0-9/._\-]{2,33}[A-Z0-9]")
NOT_A_TOKEN = re.compile(r"\d{1,4}[./\-]\d{1,2}(?:[./\-]\d{1,4})?(?:/.*)?|\d+[.,]\d{1,2}|\d{1,3}(?:[.,]\d{3})+")
"""Dates, times and amounts: ``20-05-2011``, ``21.05.11/12.54``, ``12.50``, ``1.234`` (of ``1.234,56``)."""
MIN_TOKEN_DIGITS = 3


def compact_iban(text: str | None) -> str | None:
    """The IBAN without spaces, upper case, if ``text`` is a valid one (country, length, check digits); else None."""
    if not text:
        return None
    try:
        return IBAN(text, validate_bban=False).compact
    except (SchwiftyException, ValueError):
        return None


def creditor_reference(text: str | None) -> str | None:
    """``text`` as an ISO 11649 creditor reference (``RF18 5390 0754 7034`` -> ``RF18539007547034``) if it is a valid
    one (its check digits agree); else None."""
    if not text:
        return None
    found = iso11649.compact(text)
    return found if found.startswith("RF") and iso11649.is_valid(found) else None


def references_in(text: str) -> list[tuple[str, str]]:
    """Every valid creditor reference written in free text, with the text it was written as."""
    found = (_reference_at(text.upper(), match.start()) for match in RF_START.finditer(text.upper()))
    return [reference for reference in found if reference]


def _reference_at(text: str, start: int) -> tuple[str, str] | None:
    """The longest valid reference starting at ``start``: the most groups of the words that follow that check out
    (``RF18 5390 0754 7034`` is four; ``RF18539007547034`` one)."""
    words = text[start:start + 40].split()[:RF_MAX_GROUPS]
    for count in range(len(words), 0, -1):
        written = " ".join(words[:count])
        found = creditor_reference(written)
        if found:
            return found, written
    return None


def reference_tokens(texts: list[str | None], skip: set[str]) -> tuple[str, ...]:
    """The invoice-number-like tokens of ``texts`` in order, each once: at least four characters with three digits
    (``INV-2024-0042``, ``000042188659``), no dates or amounts, none of ``skip`` (the line's IBANs and creditor
    reference)."""
    tokens: dict[str, None] = {}
    for text in texts:
        for word in TOKEN_SPLIT.split((text or "").upper()):
            word = word.strip("./-_")
            if _is_token(word) and word not in skip:
                tokens.setdefault(word)
    return tuple(tokens)[:MAX_TOKENS]


def _is_token(word: str) -> bool:
    if not TOKEN.fullmatch(word) or NOT_A_TOKEN.fullmatch(word) or word in NO_REFERENCE:
        return False
    return sum(ch.isdigit() for ch in word) >= MIN_TOKEN_DIGITS and compact_iban(word) is None


def _without(text: str, written: list[tuple[str, str]]) -> str:
    """``text`` without the creditor references written in it (their groups of four are no invoice numbers)."""
    for _, as_written in written:
        text = text.replace(as_written, " ")
    return text


def reference(text: str | None) -> str | None:
    """A reference as given, or None for the placeholders banks write when there is none (``NONREF``)."""
    cleaned = " ".join((text or "").split())
    return None if cleaned.upper() in NO_REFERENCE else cleaned


def transaction(*, amount: Decimal, currency: str, booking_date: date, value_date: date | None = None,
                counterparty_name: str | None = None, counterparty_account: str | None = None,
                remittance: str = "", structured_reference: str | None = None, end_to_end_id: str | None = None,
                bank_reference: str | None = None, booked: bool = True, where: str = "") -> Transaction:
    """A line with its references worked out: the creditor reference (structured, else the first valid one in the
    text), the counterparty's IBAN if ``counterparty_account`` is one, and the tokens of the text and references."""
    text = " ".join(remittance.split())
    structured, end_to_end = reference(structured_reference), reference(end_to_end_id)
    written = references_in(text)
    creditor = creditor_reference(structured) or (written[0][0] if written else None)
    iban = compact_iban(counterparty_account)
    skip = {value for value in (creditor, iban) if value}
    structured_text = None if creditor_reference(structured) else structured
    tokens = reference_tokens([structured_text, _without(text.upper(), written), end_to_end], skip)
    return Transaction(amount=amount, currency=currency, booking_date=booking_date, value_date=value_date,
                       counterparty_name=" ".join((counterparty_name or "").split())[:200] or None,
                       counterparty_iban=iban, remittance=text, creditor_reference=creditor,
                       end_to_end_id=end_to_end, bank_reference=reference(bank_reference), reference_tokens=tokens,
                       booked=booked, where=where)
