"""How well open items fit a payment, and why: the reference, the amount, the counterparty and the date each add
their weight, and each says what it saw. Pure.

A score is the sum of the weights (shown capped at 1). The weights are set so that one kind of evidence alone is
never automatic at the default threshold of 0.85: a reference and the amount are (0.5 + 0.4), the amount and the
vendor's IBAN only when no other open item of that vendor has that amount (0.4 + 0.3 + 0.15), and the amount alone
(0.4) is at most a suggestion.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from reconciliation.matching.index import UNKNOWN_PARTY, Party
from reconciliation.matching.model import Item, Payment, Rules
from reconciliation.matching.names import amount_text, compact_reference, digits_key, within_one_edit

REFERENCE_WEIGHTS = {"exact": 0.5, "digits": 0.4, "typo": 0.25, "some": 0.1}
"""The invoice number written as it is, its digits alone, one typing error off; ``some``: a payment of several
items names some of them (the others are a guess)."""
AMOUNT_WEIGHTS = {"exact": 0.4, "tolerance": 0.3, "partial": 0.15, "sum near": 0.15}
"""``sum near``: several items add up to the payment within the tolerance, which says little: of the hundreds of
sums tried, some come that near by chance."""
PARTY_WEIGHTS = {"iban": 0.3, "alias": 0.25, "name": 0.2}
PARTY_AGAINST = {"iban": -0.4, "alias": -0.4, "name": -0.2}
"""The line's counterparty is another vendor than the item's."""
ONLY_ONE = 0.15
"""The vendor has no other open item of this amount."""
OTHERS_NAMED = -0.3
"""The remittance names open items the answer leaves open: it likely pays them too."""
ROUNDING_LIMIT = Decimal("0.10")
"""A difference up to this is rounding; a larger one is bank fees (paid more) or a discount (paid less)."""
MIN_TYPO_LENGTH = 6
"""Shorter references are too alike (``1042`` and ``1043``) to forgive a typing error."""
DIFFERENCE_NAMES = {"fee": "bank fees", "discount": "an early-payment discount", "rounding": "rounding"}


class PaymentKeys(NamedTuple):
    """What a payment says about the invoices it pays, compacted once: each reference as written, by its compact
    form and its digits."""

    compact: dict[str, str]
    digits: dict[str, str]
    source: dict[str, str]
    """Where each was written: ``remittance`` or ``creditor reference``."""

    @classmethod
    def of(cls, payment: Payment) -> PaymentKeys:
        compact, digits, source = {}, {}, {}
        written = [(token, "remittance") for token in payment.reference_tokens]
        if payment.creditor_reference:  # RF18539007547034, and what it carries: 539007547034
            written += [(payment.creditor_reference, "creditor reference"),
                        (payment.creditor_reference[4:], "creditor reference")]
        for text, where in written:
            if key := compact_reference(text):
                compact[key], source[text] = text, where
                if number := digits_key(key):
                    digits[number] = text
        return cls(compact, digits, source)


class Fit(NamedTuple):
    """One kind of evidence: its weight, what a person reads about it, and which of its kinds it is (``exact``,
    ``digits``, ``typo`` ... of a reference; ``exact``, ``tolerance``, ``partial`` of an amount).

    The reason may be given as a function that writes it: most candidates lose, and only the answer chosen (and its
    rival) is explained, so their amounts and dates are formatted for nothing otherwise. (This and the other values
    made for each candidate are named tuples: immutable, and made several times faster than frozen dataclasses.)"""

    weight: float = 0.0
    reason: str | Callable[[], str] = ""
    kind: str = ""

    def said(self) -> str:
        return self.reason() if callable(self.reason) else self.reason


NO_FIT = Fit()


def reference_fit(keys: PaymentKeys, reference: str, digits: str | None, item: Item, unclaimed: tuple[str, ...]) -> Fit:
    """Whether the payment names the item's reference: as it is, by its digits, or one typing error off. Only
    ``unclaimed`` references (naming no open item exactly) are taken for a typing error."""
    if not reference:
        return NO_FIT
    if written := keys.compact.get(reference):
        return Fit(REFERENCE_WEIGHTS["exact"], f"reference {item.reference} in the {keys.source[written]}", "exact")
    if digits and (written := keys.digits.get(digits)):
        return Fit(REFERENCE_WEIGHTS["digits"],
                   f"{written} in the {keys.source[written]} is the number of invoice {item.reference}", "digits")
    if len(reference) < MIN_TYPO_LENGTH:
        return NO_FIT
    for compact in unclaimed:
        if within_one_edit(compact, reference):
            written = keys.compact[compact]
            return Fit(REFERENCE_WEIGHTS["typo"],
                       f"{written} in the {keys.source[written]} is one character off invoice {item.reference}", "typo")
    return NO_FIT


class AmountFit(NamedTuple):
    """How the paid amount fits what is open: its evidence, what comes off the item, the difference posted apart."""

    fit: Fit
    allocations: tuple[Decimal, ...]
    """What comes off each item: all that is open of each, or (a partial payment) what was paid."""
    difference: Decimal = Decimal("0.00")
    difference_kind: str | None = None


def amount_fit(paid: Decimal, open_amounts: tuple[Decimal, ...], rules: Rules,
               what: Callable[[], str]) -> AmountFit | None:
    """Equal to what is open of the items, within the tolerance, or (of one item) a partial payment; None when more
    was paid than the tolerance allows. ``what`` names the item(s) in the reason."""
    open_amount = open_amounts[0] if len(open_amounts) == 1 else sum(open_amounts)
    difference = open_amount - paid
    if difference == 0:
        return AmountFit(_amount("exact", lambda: f"amount {amount_text(paid)} equals the open amount of {what()}"),
                         open_amounts)
    tolerance = rules.tolerance(open_amount, paid_more=abs(paid) > abs(open_amount))
    if abs(difference) <= tolerance:
        kind = difference_kind(difference)
        return AmountFit(_amount("tolerance" if len(open_amounts) == 1 else "sum near", lambda: (
            f"{amount_text(paid)} paid for {amount_text(open_amount)} open ({what()}): the difference of "
            f"{amount_text(abs(difference))} is within the tolerance of {amount_text(tolerance)}, posted as "
            f"{DIFFERENCE_NAMES[kind]}")), open_amounts, difference, kind)
    if len(open_amounts) == 1 and abs(paid) < abs(open_amount):
        return AmountFit(_amount("partial", lambda: (
            f"partial payment of {what()}: {amount_text(paid)} of {amount_text(open_amount)} open, "
            f"{amount_text(difference)} stays open")), (paid,))
    return None


def _amount(kind: str, reason: Callable[[], str]) -> Fit:
    return Fit(AMOUNT_WEIGHTS[kind], reason, kind)


def difference_kind(difference: Decimal) -> str:
    """``rounding`` for cents, else ``discount`` when less was paid than is cleared and ``fee`` when more."""
    if abs(difference) <= ROUNDING_LIMIT:
        return "rounding"
    return "discount" if difference > 0 else "fee"


def party_fit(party: Party | None, item_party: str, name_of_item_party: str) -> Fit:
    """The line's counterparty is the item's (weighed by how that is known), another vendor (against), or unknown."""
    if party is None:
        return NO_FIT
    if party.key == item_party:
        return Fit(PARTY_WEIGHTS[party.via], party.evidence)
    if party.key.startswith(UNKNOWN_PARTY):
        return NO_FIT
    return Fit(PARTY_AGAINST[party.via], lambda: f"{party.evidence}, but the invoice is {name_of_item_party}'s")


def others_named(left_out: list[Item]) -> Fit:
    """Against an answer that leaves open items the remittance names."""
    return Fit(OTHERS_NAMED, lambda: f"the remittance also names {', '.join(str(item.reference) for item in left_out)}"
                                     ", which this leaves open", "others")


def timing(booking: date, item: Item) -> Fit:
    """When the payment came, against the item's due date (no weight: the date window already holds)."""
    return Fit(0.0, lambda: _timing(booking, item), "timing")


def _timing(booking: date, item: Item) -> str:
    days = (booking - item.due).days
    if days == 0:
        return f"paid on the due date {item.due.isoformat()}"
    side = "after" if days > 0 else "before"
    return f"paid {abs(days)} day{'s' if abs(days) != 1 else ''} {side} the due date {item.due.isoformat()}"


def window(item: Item, rules: Rules) -> tuple[int, int]:
    """The first and last day (as ordinals) a payment of the item may come: not long before the invoice's date, nor
    long after it fell due (``Rules``)."""
    return item.issued.toordinal() - rules.days_before_issue, item.due.toordinal() + rules.days_after_due


class Scored(NamedTuple):
    """A candidate answer: the items (their positions in the index) and what comes off each, and its evidence."""

    raw: float
    """The sum of the weights, uncapped: candidates are ranked by it."""
    due: int
    """The first due date of its items (an ordinal): of two equal answers, the older invoice is paid first."""
    positions: tuple[int, ...]
    allocations: tuple[Decimal, ...]
    difference: Decimal
    difference_kind: str | None
    reference: Fit
    amount: Fit
    party: Fit
    extra: tuple[Fit, ...] = ()
    """Evidence judged against the other candidates (``ONLY_ONE``), and when it was paid."""

    @classmethod
    def of(cls, due: int, positions: tuple[int, ...], amount: AmountFit, reference: Fit, party: Fit,
           extra: tuple[Fit, ...] = ()) -> Scored:
        raw = reference.weight + amount.fit.weight + party.weight
        for fit in extra:
            raw += fit.weight
        return cls(raw, due, positions, amount.allocations, amount.difference, amount.difference_kind, reference,
                   amount.fit, party, extra)

    def adding(self, fit: Fit) -> Scored:
        return Scored(self.raw + fit.weight, self.due, self.positions, self.allocations, self.difference,
                      self.difference_kind, self.reference, self.amount, self.party, (fit, *self.extra))

    @property
    def certain_of_whom(self) -> bool:
        """The reference or the counterparty speaks for it: never an amount alone."""
        return self.reference.weight > 0 or self.party.weight > 0

    def reasons(self) -> tuple[str, ...]:
        fits = (self.reference, self.amount, self.party, *self.extra)
        return tuple(text for fit in fits if (text := fit.said()))
