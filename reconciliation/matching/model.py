"""The values matching works with. Plain and immutable: the engine takes them from the service (or a benchmark) and
gives its proposals back the same way.

Amounts are signed as open items are: what is owed to a vendor is positive (an invoice), what a vendor owes back
negative (a credit note). A bank line's ``amount`` is signed as the bank writes it (money out negative), so the
payment of an invoice of 100.00 is a line of -100.00 whose ``paid`` is 100.00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.money import round_money

DIFFERENCE_KINDS = ("fee", "discount", "rounding")
"""What a difference within the tolerance is posted as; each kind has its account (the chart's role of that name)."""


@dataclass(frozen=True, slots=True)
class Payment:
    """A bank line to match."""

    id: str
    amount: Decimal
    """As the bank writes it: money out of the account negative."""
    currency: str
    booking_date: date
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    reference_tokens: tuple[str, ...] = ()
    """Invoice-number-like tokens of the remittance text and references (``statements.remittance``)."""
    creditor_reference: str | None = None
    rejected: frozenset[frozenset[str]] = frozenset()
    """The sets of item ids people rejected for this line: never proposed again."""

    @property
    def paid(self) -> Decimal:
        """What the line pays on open items: 100.00 for a transfer of 100.00 to a vendor."""
        return -self.amount


@dataclass(frozen=True, slots=True)
class Item:
    """An open item, as much of it as is still open."""

    id: str
    open_amount: Decimal
    currency: str
    issued: date
    """The date of its voucher (the invoice date)."""
    due: date
    reference: str | None
    """The invoice number."""
    vendor_id: str | None
    counterparty: str


@dataclass(frozen=True, slots=True)
class Vendor:
    id: str
    name: str
    iban: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LearnedAlias:
    """A counterparty name or IBAN people confirmed as a vendor's, ``confirmations`` times."""

    kind: str
    """``iban`` or ``name``."""
    value: str
    """The IBAN without spaces, or the name as ``names.normalised_name`` writes it."""
    vendor_id: str
    confirmations: int


@dataclass(frozen=True)
class Rules:
    """A company's settings for matching (``ReconciliationSettings``); these defaults when it has none."""

    auto_threshold: float = 0.85
    """From this score (0..1) a match is made by itself and its clearing voucher posted."""
    suggest_threshold: float = 0.4
    """From this score a match is suggested to a person; below it the line stays unmatched."""
    tolerance_amount: Decimal = Decimal("5.00")
    tolerance_percent: Decimal = Decimal("2.00")
    """A payment this close to what is open clears it, the difference posted as bank fees, an early-payment discount
    or rounding: up to ``tolerance_amount`` more than is open (fees paid on top), up to the larger of the amount and
    ``tolerance_percent`` of it less (a discount taken, fees deducted)."""
    days_before_issue: int = 5
    """A payment is not for an invoice dated more than this many days after it."""
    days_after_due: int = 90
    """... nor for one that fell due more than this many days before it."""
    alias_confirmations: int = 1
    """Confirmations that make a learned name or IBAN stand for its vendor."""

    def tolerance(self, amount: Decimal, *, paid_more: bool = False) -> Decimal:
        """The largest difference that still clears ``amount``: paying more is bank fees (a small amount, whatever
        the invoice); paying less may be a discount (a percent of it)."""
        if paid_more:
            return self.tolerance_amount
        return max(self.tolerance_amount, round_money(abs(amount) * self.tolerance_percent / 100))


@dataclass(frozen=True, slots=True)
class Allocation:
    item_id: str
    amount: Decimal
    """What comes off the item's open amount, signed as the item."""


@dataclass(frozen=True, slots=True)
class Proposal:
    """The best match of a payment: the items it pays, how sure matching is, and why."""

    payment_id: str
    allocations: tuple[Allocation, ...]
    paid: Decimal
    difference: Decimal
    """The allocations less ``paid``: positive when less was paid than is cleared (a discount), negative when more
    (bank fees); zero for an exact or a partial payment."""
    difference_kind: str | None
    score: float
    reasons: tuple[str, ...]
    automatic: bool

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(allocation.item_id for allocation in self.allocations)
