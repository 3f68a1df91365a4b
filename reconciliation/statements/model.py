"""The values a bank statement is read into, whatever its format: an account's statement with its balances and its
lines. Plain and immutable, so the matching engine can take them as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Balance:
    amount: Decimal
    """Signed: negative when the account is overdrawn (a debit balance)."""
    currency: str
    date: date | None = None


@dataclass(frozen=True)
class Transaction:
    """One line: money into the account (a positive amount) or out of it (negative)."""

    amount: Decimal
    currency: str
    booking_date: date
    value_date: date | None = None
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    """Valid IBANs only, without spaces."""
    remittance: str = ""
    """The free text: what the payer wrote (unstructured remittance, ``:86:``, OFX memo)."""
    creditor_reference: str | None = None
    """A valid ISO 11649 creditor reference (``RF18539007547034``), structured or found in the text."""
    end_to_end_id: str | None = None
    bank_reference: str | None = None
    """The bank's id of the line (CAMT ``AcctSvcrRef``, MT940 ``//`` reference, OFX ``FITID``)."""
    reference_tokens: tuple[str, ...] = ()
    """Invoice-number-like tokens of the text and the references, upper case, for matching."""
    booked: bool = True
    """False for a pending or information-only entry (CAMT ``PDNG``, ``INFO``): shown, not imported."""
    where: str = ""
    """Where it is in the file (``line 12``, ``Stmt 1/Ntry 3``, ``row 7``), for messages."""


@dataclass(frozen=True)
class Statement:
    """One account's statement as a file holds it (a file may hold several)."""

    format: str
    """camt.053, camt.052, camt.054, mt940, mt942, ofx, csv or xlsx."""
    account: str | None
    """The IBAN without spaces, else the number as the bank writes it; None when the file names none."""
    currency: str | None
    transactions: tuple[Transaction, ...] = ()
    opening: Balance | None = None
    closing: Balance | None = None
    iban: str | None = None
    account_name: str | None = None
    reference: str | None = None
    """The bank's id of the statement (CAMT ``Stmt/Id``, MT940 ``:20:`` with ``:28C:``)."""
    warnings: tuple[str, ...] = field(default=())

    @property
    def booked(self) -> tuple[Transaction, ...]:
        """The lines that are imported (pending and information-only entries are not)."""
        return tuple(line for line in self.transactions if line.booked)

    @property
    def period(self) -> tuple[date | None, date | None]:
        """The first and last booking day of its lines, else of its balances."""
        days = sorted(line.booking_date for line in self.booked)
        start = days[0] if days else (self.opening.date if self.opening else None)
        end = days[-1] if days else (self.closing.date if self.closing else None)
        return start, end
