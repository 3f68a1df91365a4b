"""Match payments to open items: for each bank line the best answer, automatic when certain, suggested when not,
none when nothing fits well enough. Pure: values in (``model``), proposals out.

For each line, in booking order:

1. Candidates come from the indexes only: the items its references name (exactly or by their digits), the items of
   its counterparty within the tolerance of the amount paid, and (when the counterparty is no vendor of the master)
   anyone's items of exactly that amount. Each must be in the line's currency, on its side (an invoice for money out,
   a credit note for money in), still open, and within the date window (``Rules``); sets of items a person rejected
   for the line are left out.
2. Each candidate is scored (``evidence``): reference, amount (equal, within the tolerance, or a partial payment,
   which needs a reference), counterparty, and when it was paid. When no single item is certain, the subsets of the
   counterparty's and the named items that add up to the payment are scored too (``subsets``).
3. The best is automatic when its score reaches ``auto_threshold``, a reference or the counterparty speaks for it
   (never the amount alone, so two vendors' invoices of one amount are never confused), and no other answer comes
   within ``AMBIGUITY_MARGIN`` of it; else it is suggested from ``suggest_threshold``.

An automatic match takes its amounts off the items at once, so a later line of the same run sees what is still open
(the second partial payment of an invoice finds the rest). Suggestions take nothing until a person confirms them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import NamedTuple

from reconciliation.matching.evidence import (ONLY_ONE, REFERENCE_WEIGHTS, Fit, PaymentKeys, Scored, amount_fit,
                                              others_named, party_fit, reference_fit, timing, window)
from reconciliation.matching.index import UNKNOWN_PARTY, Directory, ItemIndex, Party
from reconciliation.matching.model import Allocation, Item, LearnedAlias, Payment, Proposal, Rules, Vendor
from reconciliation.matching.names import amount_text, cents
from reconciliation.matching.subsets import MAX_POOL, fitting_subsets

AMBIGUITY_MARGIN = 0.1
"""Another answer scoring within this of the best makes it a suggestion, however high it scores."""
EPSILON = 1e-9
"""Scores are sums of float weights: 0.95 - 0.1 must still reach 0.85."""
MAX_SAME_AMOUNT = 20
"""Items of exactly the paid amount taken as candidates (the others of that amount have no more to say)."""


def match_payments(payments: Sequence[Payment], items: Sequence[Item], vendors: Sequence[Vendor] = (),
                   aliases: Sequence[LearnedAlias] = (), rules: Rules = Rules()) -> list[Proposal]:
    """The proposals for ``payments`` (automatic or suggested; lines with none are left out), in booking order."""
    with _no_cycle_collection():
        matcher = Matcher(items, vendors, aliases, rules)
        proposals = []
        for payment in sorted(payments, key=lambda line: line.booking_date):
            proposal = matcher.propose(payment)
            if proposal is not None:
                proposals.append(proposal)
                if proposal.automatic:
                    matcher.settle(proposal)
        return proposals


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A run makes millions of small values that live until it ends and hold no cycles; the garbage collector's
    passes over them would find nothing and cost a quarter of the time (reference counting still frees what dies)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Line(NamedTuple):
    """A payment as the matcher works on it, each figure worked out once."""

    payment: Payment
    paid: Decimal
    cents: int
    day: int
    """The booking day as an ordinal."""
    keys: PaymentKeys
    party: Party | None
    low: int
    high: int
    """The cents an item's (or items') open amount may have for the payment to clear it: up to the fees more,
    up to the discount less."""


class Matcher:
    """The indexes of one run, and what is still open of each item as automatic matches take their amounts."""

    def __init__(self, items: Sequence[Item], vendors: Sequence[Vendor], aliases: Sequence[LearnedAlias],
                 rules: Rules):
        self.rules = rules
        self.index = ItemIndex(items)
        self.directory = Directory(vendors, aliases, rules.alias_confirmations)
        self.remaining = [item.open_amount for item in self.index.items]
        self.sides = [_side(amount) for amount in self.remaining]
        """Whether what is open of each item is owed to a vendor (1), owed back (-1) or nothing (0): the remaining
        amounts' signs, kept beside them so the candidates' filter compares integers."""
        self.positions = {item.id: position for position, item in enumerate(self.index.items)}
        windows = [window(item, rules) for item in self.index.items]
        self.firsts, self.lasts = [first for first, _ in windows], [last for _, last in windows]
        self.dues = [item.due.toordinal() for item in self.index.items]
        self.currencies = [item.currency for item in self.index.items]
        self.fees = cents(rules.tolerance(Decimal(0), paid_more=True))
        """The cents paid on top that are bank fees: the same for every payment."""
        self.party_names = {key: self.directory.name_of(key) for key in set(self.index.parties)}
        """Each party's name as the reasons write it, looked up once."""

    def propose(self, payment: Payment) -> Proposal | None:
        """The best answer for one line, or None."""
        line = self._line(payment)
        if line.paid == 0:
            return None
        keys = line.keys
        referenced = self.index.referenced(keys.compact, keys.digits)
        candidates = self._valid(line, referenced.union(self._by_amount(line)))
        named = candidates & referenced
        unclaimed = tuple(key for key in keys.compact if key not in self.index.by_reference)
        scored = [found for position in candidates
                  if (found := self._single(line, position, unclaimed, named)) is not None]
        if not any(found.raw >= self.rules.auto_threshold for found in scored):
            scored += self._several(line, named)
        return self._decide(line, _with_only_one(scored, line.party, self.directory))

    def settle(self, proposal: Proposal) -> None:
        """Take an automatic match's amounts off what is open."""
        for allocation in proposal.allocations:
            position = self.positions[allocation.item_id]
            self.remaining[position] -= allocation.amount
            self.sides[position] = _side(self.remaining[position])

    def _line(self, payment: Payment) -> Line:
        paid = payment.paid
        paid_cents = cents(paid)
        fees, discount = self.fees, cents(self.rules.tolerance(paid))
        low, high = (paid_cents - fees, paid_cents + discount) if paid > 0 else (paid_cents - discount,
                                                                               paid_cents + fees)
        return Line(payment, paid, paid_cents, payment.booking_date.toordinal(), PaymentKeys.of(payment),
                    self.directory.party_of(payment), low, high)

    # --- candidates ---------------------------------------------------------------------------------------------

    def _by_amount(self, line: Line) -> list[int]:
        """The counterparty's items within the tolerance of the paid amount; when the counterparty is no vendor of
        the master, anyone's of exactly that amount too (a known vendor's items of other vendors would only count
        against them)."""
        party = line.party
        found = self.index.of_party(party.key, line.low, line.high) if party else []
        if party is None or party.key.startswith(UNKNOWN_PARTY):
            found = found + self.index.amounts.within(line.cents, line.cents, MAX_SAME_AMOUNT)
        return found

    def _valid(self, line: Line, positions: Iterable[int]) -> set[int]:
        """Those in the payment's currency, on its side, still open, within the date window, not rejected."""
        sides, firsts, lasts, currencies = self.sides, self.firsts, self.lasts, self.currencies
        payment, side, day = line.payment, 1 if line.paid > 0 else -1, line.day
        currency = payment.currency
        found = {position for position in positions
                 if sides[position] == side and firsts[position] <= day <= lasts[position]
                 and currencies[position] == currency}
        if payment.rejected:
            found = {position for position in found
                     if frozenset({self.index.items[position].id}) not in payment.rejected}
        return found

    # --- one item -----------------------------------------------------------------------------------------------

    def _single(self, line: Line, position: int, unclaimed: tuple[str, ...], named: set[int]) -> Scored | None:
        index = self.index
        item = index.items[position]
        amount = amount_fit(line.paid, (self.remaining[position],), self.rules, lambda: _name(item))
        if amount is None:
            return None  # more was paid than is open
        reference = reference_fit(line.keys, index.references[position], index.digits[position], item, unclaimed)
        if amount.fit.kind == "partial" and reference.weight == 0:
            return None  # a partial payment that names no invoice
        party = index.parties[position]
        return Scored.of(self.dues[position], (position,), amount, reference,
                         party_fit(line.party, party, self.party_names[party]),
                         self._left_out(named, (position,)) if named else ())

    def _left_out(self, named: set[int], positions: tuple[int, ...]) -> tuple[Fit, ...]:
        """Evidence against an answer that leaves open items the remittance names."""
        if not named:
            return ()
        left_out = named.difference(positions)
        return (others_named([self.index.items[position] for position in sorted(left_out)]),) if left_out else ()

    def _party(self, party: Party | None, position: int) -> Fit:
        key = self.index.parties[position]
        return party_fit(party, key, self.party_names[key])

    # --- several items ------------------------------------------------------------------------------------------

    def _several(self, line: Line, named: set[int]) -> list[Scored]:
        """The subsets of the named items and the counterparty's that add up to the payment (``subsets``)."""
        pool = self._pool(line, named)
        if len(pool) < 2:
            return []
        amounts = [cents(self.remaining[position]) for position in pool]
        named_indexes = [index for index, position in enumerate(pool) if position in named]
        subsets = fitting_subsets(amounts, line.low, line.high, named_indexes)
        found = (self._subset(line, [pool[index] for index in subset], named) for subset in subsets)
        return [scored for scored in found if scored is not None]

    def _pool(self, line: Line, named: set[int]) -> list[int]:
        """The named items, then the counterparty's due nearest the payment; each less than the payment."""
        smaller = (1, line.cents - 1) if line.cents > 0 else (line.cents + 1, -1)
        of_party = self.index.of_party(line.party.key, *smaller) if line.party else []
        if len(of_party) + len(named) < 2:
            return []
        theirs = self._valid(line, of_party)
        paid = abs(line.paid)
        candidates = [position for position in named | theirs if abs(self.remaining[position]) < paid]
        nearest = sorted(candidates, key=lambda position: (position not in named, abs(self.dues[position] - line.day)))
        return nearest[:MAX_POOL] if len(named) <= MAX_POOL else sorted(named)

    def _subset(self, line: Line, positions: list[int], named: set[int]) -> Scored | None:
        """Several items of one counterparty (or all named by the remittance) for one payment."""
        parties = {self.index.parties[position] for position in positions}
        if len(parties) > 1 and not named.issuperset(positions):
            return None
        items = [self.index.items[position] for position in positions]
        if frozenset(item.id for item in items) in line.payment.rejected:
            return None
        open_amounts = tuple(self.remaining[position] for position in positions)
        amount = amount_fit(line.paid, open_amounts, self.rules, lambda: _added(items, open_amounts))
        if amount is None:
            return None
        reference = _named_fit(items, [position in named for position in positions])
        party_evidence = self._party(line.party, positions[0]) if len(parties) == 1 else Fit()
        due = min(self.dues[position] for position in positions)
        return Scored.of(due, tuple(positions), amount, reference, party_evidence,
                         self._left_out(named, tuple(positions)))

    # --- deciding -----------------------------------------------------------------------------------------------

    def _decide(self, line: Line, scored: list[Scored]) -> Proposal | None:
        if not scored:
            return None
        ranked = sorted(scored, key=_rank) if len(scored) > 1 else scored
        best = ranked[0]
        rival = next((found for found in ranked[1:] if not _same_items(found, best)), None)
        ambiguous = rival is not None and rival.raw > best.raw - AMBIGUITY_MARGIN - EPSILON
        score = _shown(best.raw)
        if score < self.rules.suggest_threshold:
            return None
        automatic = score >= self.rules.auto_threshold and best.certain_of_whom and not ambiguous
        when = (timing(line.payment.booking_date, self.index.items[best.positions[0]]).said(),) \
            if len(best.positions) == 1 else ()
        reasons = best.reasons() + when + ((self._rival_reason(rival),) if ambiguous else ())
        return Proposal(line.payment.id, self._allocations(best), line.paid, best.difference, best.difference_kind,
                        score, reasons, automatic)

    def _allocations(self, found: Scored) -> tuple[Allocation, ...]:
        return tuple(Allocation(self.index.items[position].id, amount)
                     for position, amount in zip(found.positions, found.allocations))

    def _rival_reason(self, rival: Scored) -> str:
        items = [self.index.items[position] for position in rival.positions]
        return (f"{_names(items)} of {items[0].counterparty} fits almost as well (score {_shown(rival.raw):.2f}): a "
                "person decides")


def _side(amount: Decimal) -> int:
    return (amount > 0) - (amount < 0)


def _same_items(found: Scored, other: Scored) -> bool:
    return found.positions == other.positions or (len(found.positions) > 1 and
                                                  set(found.positions) == set(other.positions))


def _rank(found: Scored) -> tuple[float, int]:
    """Best first; of two equal answers the one due first (the older invoice is paid first)."""
    return -found.raw, found.due


def _shown(raw: float) -> float:
    """A score as people read it: 0..1, two decimals."""
    return round(max(0.0, min(1.0, raw)), 2)


def _with_only_one(scored: list[Scored], party: Party | None, directory: Directory) -> list[Scored]:
    """The one answer of exactly the paid amount the counterparty has gets ``ONLY_ONE`` more: none does when it has
    several items of that amount, or a few that add up to it as well."""
    if party is None:
        return scored
    exact = [index for index, found in enumerate(scored) if found.amount.kind == "exact" and found.party.weight > 0]
    if len(exact) != 1 or len(scored[exact[0]].positions) > 1:
        return scored
    bonus = Fit(ONLY_ONE, lambda: f"the only open item of {directory.name_of(party.key)} with this amount", "only")
    scored[exact[0]] = scored[exact[0]].adding(bonus)
    return scored


def _added(items: list[Item], open_amounts: tuple[Decimal, ...]) -> str:
    """``INV-1 and INV-2 (500.00 + 690.00)``."""
    return f"{_names(items)} ({' + '.join(amount_text(value) for value in open_amounts)})"


def _named_fit(items: list[Item], named: list[bool]) -> Fit:
    """All, some or none of the items named in the remittance."""
    written = [item.reference for item, was_named in zip(items, named) if was_named and item.reference]
    if not written:
        return Fit()
    if len(written) == len(items):
        return Fit(REFERENCE_WEIGHTS["exact"], lambda: f"references {_listed(written)} in the remittance")
    return Fit(REFERENCE_WEIGHTS["some"], lambda: f"references {_listed(written)} in the remittance (of "
                                                  f"{len(items)} invoices paid)")


def _name(item: Item) -> str:
    return item.reference or f"the item of {item.counterparty} due {item.due.isoformat()}"


def _names(items: list[Item]) -> str:
    return _listed([_name(item) for item in items])


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
