"""A person's match of a payment to open items they chose: what comes off each, and what matching sees in it (its
score and reasons, so a match by hand explains itself like any other). Pure.

The items are paid oldest due first. When the payment is what is open of them, or within the tolerance of it, all of
them are cleared (the difference posted by kind); when it is less, the oldest are cleared and the next one is paid
in part; more than the tolerance allows is refused: the payment pays something else too.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reconciliation.matching.evidence import NO_FIT, AmountFit, Fit, PaymentKeys, amount_fit, party_fit, reference_fit
from reconciliation.matching.index import Directory, party_key
from reconciliation.matching.model import Allocation, Item, LearnedAlias, Payment, Proposal, Rules, Vendor
from reconciliation.matching.names import amount_text, compact_reference, digits_key


class CannotMatch(Exception):
    """The items cannot be paid by the payment; the message says why and what to do."""


def by_hand(payment: Payment, items: Sequence[Item], vendors: Sequence[Vendor], aliases: Sequence[LearnedAlias],
            rules: Rules, who: str) -> Proposal:
    """The match of ``payment`` to ``items`` that ``who`` chose; ``CannotMatch`` when it cannot be."""
    _check(payment, items)
    ordered = sorted(items, key=lambda item: (item.due, item.id))
    open_amounts = tuple(item.open_amount for item in ordered)
    amount = amount_fit(payment.paid, open_amounts, rules, lambda: _names(ordered)) or _in_due_order(payment, ordered)
    directory = Directory(vendors, aliases, rules.alias_confirmations)
    party = directory.party_of(payment)
    parties = {party_key(item) for item in ordered}
    whose = parties.pop() if len(parties) == 1 else None
    party_evidence = party_fit(party, whose, directory.name_of(whose)) if whose else NO_FIT
    references = _references(payment, ordered)
    raw = amount.fit.weight + party_evidence.weight + max((fit.weight for fit in references), default=0)
    reasons = (f"matched by hand by {who}", *(fit.said() for fit in (*references, amount.fit, party_evidence)
                                              if fit.reason))
    allocations = tuple(Allocation(item.id, share) for item, share in zip(ordered, amount.allocations))
    return Proposal(payment.id, allocations, payment.paid, amount.difference, amount.difference_kind,
                    round(max(0.0, min(1.0, raw)), 2), reasons, automatic=False)


def _check(payment: Payment, items: Sequence[Item]) -> None:
    if payment.paid == 0:
        raise CannotMatch("the line's amount is 0.00: it pays nothing")
    for item in items:
        if item.currency != payment.currency:
            raise CannotMatch(f"open item {item.id} is in {item.currency}, the line in {payment.currency}")
        if item.open_amount == 0 or (item.open_amount > 0) != (payment.paid > 0):
            side = "money out pays invoices" if payment.paid > 0 else "money in is the refund of credit notes"
            raise CannotMatch(f"open item {item.id} ({item.open_amount} open) is not one this line can pay: {side}")


def _in_due_order(payment: Payment, items: list[Item]) -> AmountFit:
    """Less than is open of several items: the oldest cleared, the next paid in part, the rest left out."""
    total = sum(item.open_amount for item in items)
    if abs(payment.paid) > abs(total):
        raise CannotMatch(f"the line pays {amount_text(payment.paid)}, {amount_text(payment.paid - total)} more than "
                          f"the {amount_text(total)} open on the items given (beyond the tolerance); add the other "
                          "items it pays")
    left, shares = payment.paid, []
    for item in items:
        share = item.open_amount if abs(item.open_amount) <= abs(left) else left
        shares.append(share)
        left -= share
        if left == 0:
            break
    if len(shares) < len(items):
        raise CannotMatch(f"the line pays {amount_text(payment.paid)}, which is all taken by "
                          f"{_names(items[:len(shares)])}; leave out the items it does not pay")
    return AmountFit(Fit(0.1, lambda: f"{amount_text(payment.paid)} paid on {amount_text(total)} open: the oldest "
                                      f"cleared, {amount_text(shares[-1])} of {_names(items[-1:])} paid",
                         "partial"), tuple(shares), Decimal("0.00"))


def _references(payment: Payment, items: list[Item]) -> list[Fit]:
    keys = PaymentKeys.of(payment)
    unclaimed = tuple(keys.compact)
    fits = [reference_fit(keys, compact_reference(item.reference), digits_key(compact_reference(item.reference)),
                          item, unclaimed) for item in items]
    return [fit for fit in fits if fit.weight]


def _names(items: Sequence[Item]) -> str:
    return ", ".join(item.reference or f"the item of {item.counterparty}" for item in items)
