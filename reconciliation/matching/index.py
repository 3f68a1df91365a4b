"""Where matching finds its candidates: open items by reference, by amount and by counterparty, and who a bank line's
counterparty is (the vendor of its IBAN or name, or one people confirmed). Built once per run, looked up per line:
no line is compared with every open item. Pure.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from reconciliation.matching.model import Item, LearnedAlias, Payment, Vendor
from reconciliation.matching.names import cents, compact_reference, digits_key, normalised_name

UNKNOWN_PARTY = "name:"
"""The party key of items owed to someone not in the vendor master: their counterparty's name, normalised."""
MAX_WORDS_AFTER, MIN_START = 2, 8


class AmountList:
    """Positions of items sorted by amount in cents: those within a window are two bisections away."""

    __slots__ = ("cents", "positions")

    def __init__(self, pairs: list[tuple[int, int]]):
        pairs.sort()
        self.cents = [amount for amount, _ in pairs]
        self.positions = [position for _, position in pairs]

    def within(self, low: int, high: int, limit: int | None = None) -> list[int]:
        """The positions of the items from ``low`` to ``high`` cents (the first ``limit`` of them)."""
        start = bisect_left(self.cents, low)
        end = bisect_right(self.cents, high, lo=start)
        return self.positions[start:end if limit is None else min(end, start + limit)]


def party_key(item: Item) -> str:
    """Whom an item is owed to: its vendor's id, else its counterparty's name."""
    return item.vendor_id or UNKNOWN_PARTY + normalised_name(item.counterparty)


class ItemIndex:
    """Open items by their compact reference, the digits of it, their amount, and their party (each party's items by
    amount too). Positions are the items' places in ``items``."""

    def __init__(self, items: Sequence[Item]):
        self.items = list(items)
        self.references = [compact_reference(item.reference) for item in self.items]
        self.digits = [digits_key(reference) for reference in self.references]
        self.parties = [party_key(item) for item in self.items]
        self.by_reference: dict[str, list[int]] = defaultdict(list)
        self.by_digits: dict[str, list[int]] = defaultdict(list)
        for position, (reference, digits) in enumerate(zip(self.references, self.digits)):
            if reference:
                self.by_reference[reference].append(position)
            if digits:
                self.by_digits[digits].append(position)
        amounts = [cents(item.open_amount) for item in self.items]
        self.amounts = AmountList(list(zip(amounts, range(len(amounts)))))
        self.by_party = self._by_party(amounts)

    def _by_party(self, amounts: list[int]) -> dict[str, AmountList]:
        pairs: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for position, (amount, party) in enumerate(zip(amounts, self.parties)):
            pairs[party].append((amount, position))
        return {party: AmountList(found) for party, found in pairs.items()}

    def referenced(self, compact: Sequence[str], digits: Sequence[str]) -> set[int]:
        """The items a payment's references name, exactly or by their digits."""
        found = {position for token in compact for position in self.by_reference.get(token, ())}
        return found | {position for token in digits for position in self.by_digits.get(token, ())}

    def of_party(self, party: str, low: int, high: int) -> list[int]:
        """The party's items whose (first) open amount is within ``low`` and ``high`` cents."""
        amounts = self.by_party.get(party)
        return amounts.within(low, high) if amounts else []


@dataclass(frozen=True, slots=True)
class Party:
    """Who a bank line's counterparty is, and how that is known."""

    key: str
    """A vendor's id, or ``name:`` and the name for items owed to someone not in the vendor master."""
    via: str
    """``iban`` (the vendor master's, or one people confirmed), ``alias`` (a name people confirmed) or ``name`` (a
    vendor's name or alias in the master)."""
    evidence: str
    """The reason a person reads: ``IBAN DE44... is vendor Northwind's``."""


class Directory:
    """Who a line's counterparty is: the vendor of its IBAN (the master's, else one people confirmed), else of its
    name (one people confirmed, else a vendor's name or alias), else just its name."""

    def __init__(self, vendors: Sequence[Vendor], aliases: Sequence[LearnedAlias], confirmations: int):
        self.names = {vendor.id: vendor.name for vendor in vendors}
        self.by_iban = {vendor.iban: vendor.id for vendor in vendors if vendor.iban}
        self.by_name = {normalised_name(name): vendor.id for vendor in vendors
                        for name in (vendor.name, *vendor.aliases) if normalised_name(name)}
        self.learned = _confirmed(aliases, confirmations)
        self.known: dict[tuple[str | None, str | None], Party | None] = {}

    def party_of(self, payment: Payment) -> Party | None:
        """Remembered per IBAN and name: a statement pays the same counterparties again and again."""
        key = (payment.counterparty_iban, payment.counterparty_name)
        if key not in self.known:
            self.known[key] = self._by_iban(key[0]) or self._by_name(key[1])
        return self.known[key]

    def _by_iban(self, iban: str | None) -> Party | None:
        if not iban:
            return None
        if vendor_id := self.by_iban.get(iban):
            return Party(vendor_id, "iban", f"IBAN {iban} is vendor {self.names[vendor_id]}'s")
        if found := self.learned.get(("iban", iban)):
            vendor_id, times = found
            return Party(vendor_id, "iban", f"IBAN {iban} was confirmed as vendor {self.names[vendor_id]}'s "
                                            f"{_times(times)}")
        return None

    def _by_name(self, name: str | None) -> Party | None:
        normalised = normalised_name(name)
        if not normalised:
            return None
        if found := self.learned.get(("name", normalised)):
            vendor_id, times = found
            return Party(vendor_id, "alias", f"the name {name!r} was confirmed as vendor {self.names[vendor_id]}'s "
                                             f"{_times(times)}")
        if vendor_id := self.by_name.get(normalised):
            return Party(vendor_id, "name", f"counterparty {name!r} is vendor {self.names[vendor_id]}")
        if vendor_id := self._by_name_start(normalised):
            return Party(vendor_id, "name", f"counterparty {name!r} begins with vendor {self.names[vendor_id]}'s name")
        return Party(UNKNOWN_PARTY + normalised, "name", f"counterparty {name!r} is the invoice's")

    def _by_name_start(self, normalised: str) -> str | None:
        """The vendor whose whole name the line's begins with, a city or a branch after it (``NORTHWIND GMBH
        BERLIN``): at most ``MAX_WORDS_AFTER`` words, and a name of ``MIN_START`` characters (``delta`` alone would
        name too many)."""
        words = normalised.split()
        for cut in range(1, min(MAX_WORDS_AFTER, len(words) - 1) + 1):
            start = normalised_name(" ".join(words[:-cut]))
            if len(start) >= MIN_START and (vendor_id := self.by_name.get(start)):
                return vendor_id
        return None

    def name_of(self, party: str) -> str:
        return self.names.get(party) or party.removeprefix(UNKNOWN_PARTY)


def _confirmed(aliases: Sequence[LearnedAlias], confirmations: int) -> dict[tuple[str, str], tuple[str, int]]:
    """Each name or IBAN confirmed ``confirmations`` times for exactly one vendor (one confirmed for two vendors
    stands for neither)."""
    vendors: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for alias in aliases:
        if alias.confirmations >= confirmations:
            vendors[(alias.kind, alias.value)].append((alias.vendor_id, alias.confirmations))
    return {key: found[0] for key, found in vendors.items() if len(found) == 1}


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"
