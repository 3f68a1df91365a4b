"""Bank lines and open items with known answers, for the matching benchmark (``bench/matching.py``).

A generated company has vendors (each with its own invoice numbering, most with an IBAN in the vendor master, and the
name banks print in upper case, some with a city after it) and their open invoices (amounts spread over 20 to 20,000,
some round, a few vendors billing the same amount every month). Its statement's lines pay them as payers do:

- ``exact``: the invoice number in the text, the amount, usually the vendor's IBAN;
- ``typo``: the number with one typing error (a letter for a digit, a character dropped, doubled or swapped; never
  one that is another invoice's number: nobody could tell);
- ``digits``: the number without its prefix;
- ``no reference``: the vendor's IBAN and the amount, nothing else;
- ``fee`` and ``discount``: the amount plus bank fees, or less 2% early-payment discount, with the number;
- ``split``: one payment for two to four invoices of one vendor, numbers listed (a few without);
- ``partial``: two payments of one invoice, each naming it;
- ``same amount``: no number and no IBAN, an amount several vendors have an invoice of (the answer is one of them:
  never to be matched automatically);
- ``noise``: salaries, taxes, card payments and transfers, some of an amount an open item has: no answer.

Invoices nobody pays stay open beside them. Plain values in the engine's own shapes (``reconciliation.matching.model``).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from reconciliation.matching.model import Item, Payment, Vendor

CASES = {"exact": 0.58, "typo": 0.08, "digits": 0.04, "no reference": 0.05, "fee": 0.04, "discount": 0.03,
         "split": 0.05, "partial": 0.04, "same amount": 0.02, "noise": 0.07}
"""Each kind's share of the lines (a partial payment is two lines, a split pays several invoices)."""
NUMBERINGS = ("INV-{year}-{n:06d}", "RE{n:07d}", "{year}/{n:05d}", "F-{n:04d}-{m:02d}", "SO{m:02d}{n:06d}",
              "{n:08d}")
CONFUSIONS = {"0": "O", "1": "I", "5": "S", "8": "B", "O": "0", "I": "1", "S": "5", "B": "8"}
ROUND_AMOUNTS = tuple(Decimal(value) for value in ("250.00", "500.00", "1000.00", "1500.00", "2000.00", "5000.00"))
NOISE_NAMES = ("Payroll March", "Finanzamt", "Card settlement", "Own transfer", "Interest", "Social security")
START = date(2026, 1, 1)
CURRENCY = "EUR"


@dataclass(frozen=True)
class Scenario:
    payments: list[Payment]
    items: list[Item]
    vendors: list[Vendor]
    answers: dict[str, frozenset[str] | None]
    """Each line's true items (None: it pays nothing that is open)."""
    kinds: dict[str, str]
    """Each line's kind (``CASES``)."""


@dataclass
class _Vendor:
    record: Vendor
    numbering: str
    bank_name: str
    prefix_number: int
    monthly: Decimal | None
    items: list[Item] = field(default_factory=list)


class Generator:
    """One scenario: ``lines`` bank lines against about ``items`` open items (the paid ones, then unpaid ones up to
    that count)."""

    def __init__(self, lines: int, items: int, seed: int):
        self.rng = random.Random(seed)
        self.lines, self.item_target = lines, items
        self.vendors = [self._vendor(index) for index in range(max(20, items // 40))]
        self.items: list[Item] = []
        self.references: set[str] = set()
        self.mistyped: set[str] = set()
        self.payments: list[Payment] = []
        self.answers: dict[str, frozenset[str] | None] = {}
        self.kinds: dict[str, str] = {}
        self.by_amount: dict[Decimal, list[Item]] = {}

    def scenario(self) -> Scenario:
        self._unpaid(self.item_target // 20)  # open items to stand beside the paid ones, same amounts among them
        makers = {"exact": self._exact, "typo": self._typo, "digits": self._digits, "no reference": self._no_reference,
                  "fee": self._fee, "discount": self._discount, "split": self._split, "partial": self._partial,
                  "same amount": self._same_amount, "noise": self._noise}
        kinds, weights = list(CASES), list(CASES.values())
        while len(self.payments) < self.lines:
            makers[self.rng.choices(kinds, weights)[0]]()
        self._unpaid(self.item_target - len(self.items))
        self.rng.shuffle(self.payments)
        return Scenario(self.payments[:self.lines], self.items, [v.record for v in self.vendors], self.answers,
                        self.kinds)

    # --- vendors and items ----------------------------------------------------------------------------------------

    def _vendor(self, index: int) -> _Vendor:
        name = f"{self.rng.choice(('Nord', 'Süd', 'Alpha', 'Delta', 'Hansa', 'Orion', 'Tiger', 'Lotus'))}" \
               f"{self.rng.choice(('tech', 'bau', 'log', 'print', 'food', 'med', 'soft', 'trans'))} {index}"
        legal = self.rng.choice(("GmbH", "AG", "Ltd", "SARL", "KG", ""))
        iban = f"DE{index:02d}{self.rng.randrange(10 ** 17, 10 ** 18)}"[:22] if self.rng.random() < 0.9 else None
        bank_name = f"{name} {legal}".strip().upper()
        if self.rng.random() < 0.2:
            bank_name += f" {self.rng.choice(('BERLIN', 'HAMBURG', 'MUENCHEN', 'LYON'))}"
        monthly = self.rng.choice(ROUND_AMOUNTS) if self.rng.random() < 0.05 else None
        return _Vendor(Vendor(f"v{index}", f"{name} {legal}".strip(), iban), self.rng.choice(NUMBERINGS), bank_name,
                       self.rng.randrange(100, 99000), monthly)

    def _item(self, vendor: _Vendor | None = None, amount: Decimal | None = None, around: date | None = None) -> Item:
        vendor = vendor or self.rng.choice(self.vendors)
        issued = (around or START + timedelta(days=self.rng.randrange(150))) + timedelta(days=self.rng.randrange(20))
        due = issued + timedelta(days=self.rng.choice((14, 30, 30, 60)))
        item = Item(f"i{len(self.items)}", amount or vendor.monthly or self._amount(), CURRENCY, issued, due,
                    self._reference(vendor), vendor.record.id, vendor.record.name)
        self.items.append(item)
        vendor.items.append(item)
        self.by_amount.setdefault(item.open_amount, []).append(item)
        return item

    def _amount(self) -> Decimal:
        if self.rng.random() < 0.1:
            return self.rng.choice(ROUND_AMOUNTS)
        return (Decimal(int(20 * 1000 ** self.rng.random() * 100)) / 100).quantize(Decimal("0.01"))

    def _reference(self, vendor: _Vendor) -> str:
        while True:
            vendor.prefix_number += self.rng.randrange(1, 4)
            reference = vendor.numbering.format(year=2026, n=vendor.prefix_number, m=self.rng.randrange(1, 99))
            if reference not in self.references and reference not in self.mistyped:
                self.references.add(reference)
                return reference

    def _unpaid(self, count: int) -> None:
        for _ in range(max(0, count)):
            self._item()

    # --- lines ----------------------------------------------------------------------------------------------------

    def _pay(self, kind: str, items: list[Item], amount: Decimal, text: str, *, iban: bool = True,
             name: bool = True, answer: bool = True, paid_on: date | None = None) -> None:
        vendor = self._owner(items[0]) if items else None
        line = f"l{len(self.payments)}"
        day = paid_on or self._paid_on(items)
        self.payments.append(Payment(line, -amount, CURRENCY, day,
                                     vendor.bank_name if vendor and name else None,
                                     vendor.record.iban if vendor and iban else None, _tokens(text)))
        self.answers[line] = frozenset(item.id for item in items) if answer else None
        self.kinds[line] = kind

    def _paid_on(self, items: list[Item]) -> date:
        due = max(item.due for item in items)
        return due + timedelta(days=self.rng.randrange(-10, 15))

    def _owner(self, item: Item) -> _Vendor:
        return self.vendors[int(item.vendor_id[1:])]

    def _exact(self) -> None:
        item = self._item()
        text = self.rng.choice(("{r}", "Invoice {r}", "Rechnung {r} vom Januar", "Payment {r} thank you"))
        self._pay("exact", [item], item.open_amount, text.format(r=item.reference), iban=self.rng.random() < 0.9)

    def _typo(self) -> None:
        item = self._item()
        self._pay("typo", [item], item.open_amount, f"Invoice {self._mistyped(item.reference)}")

    def _mistyped(self, reference: str) -> str:
        for _ in range(20):
            at = self.rng.randrange(len(reference))
            kind = self.rng.choice(("confuse", "drop", "double", "swap"))
            typed = _typed(reference, at, kind)
            if typed != reference and typed not in self.references and sum(ch.isdigit() for ch in typed) >= 3:
                self.mistyped.add(typed)
                return typed
        return reference

    def _digits(self) -> None:
        item = self._item()
        self._pay("digits", [item], item.open_amount, f"Rg {''.join(ch for ch in item.reference if ch.isdigit())}")

    def _no_reference(self) -> None:
        item = self._item()
        self._pay("no reference", [item], item.open_amount, "Zahlung", name=self.rng.random() < 0.5)

    def _fee(self) -> None:
        item = self._item()
        fee = Decimal(self.rng.choice(("1.50", "2.50", "3.00", "4.90")))
        self._pay("fee", [item], item.open_amount + fee, f"{item.reference} incl. charges")

    def _discount(self) -> None:
        item = self._item(amount=self._amount() + 100)
        self._pay("discount", [item], (item.open_amount * Decimal("0.98")).quantize(Decimal("0.01")),
                  f"{item.reference} less 2% skonto")

    def _split(self) -> None:
        vendor, month = self.rng.choice(self.vendors), START + timedelta(days=self.rng.randrange(130))
        items = [self._item(vendor, around=month) for _ in range(self.rng.randrange(2, 5))]
        named = self.rng.random() < 0.8
        text = " ".join(item.reference for item in items) if named else "Sammelzahlung"
        self._pay("split", items, sum(item.open_amount for item in items), text)

    def _partial(self) -> None:
        item = self._item()
        first = (item.open_amount * Decimal(self.rng.choice(("0.3", "0.5", "0.6")))).quantize(Decimal("0.01"))
        day = item.due + timedelta(days=self.rng.randrange(-5, 5))
        self._pay("partial", [item], first, f"{item.reference} 1. Rate", paid_on=day)
        self._pay("partial", [item], item.open_amount - first, f"{item.reference} Rest",
                  paid_on=day + timedelta(days=self.rng.randrange(5, 30)))

    def _same_amount(self) -> None:
        amount = self.rng.choice(ROUND_AMOUNTS)
        vendors = self.rng.sample(self.vendors, 2)
        items = [self._item(vendor, amount) for vendor in vendors]
        self._pay("same amount", items[:1], amount, "Zahlung", iban=False, name=False)

    def _noise(self) -> None:
        decoy = self.rng.random() < 0.3 and self.items
        amount = self.rng.choice(self.items).open_amount if decoy else self._amount()
        line = f"l{len(self.payments)}"
        self.payments.append(Payment(line, -amount, CURRENCY, START + timedelta(days=self.rng.randrange(200)),
                                     self.rng.choice(NOISE_NAMES), None, _tokens("Ref 2026")))
        self.answers[line], self.kinds[line] = None, "noise"


def _typed(reference: str, at: int, kind: str) -> str:
    char = reference[at]
    if kind == "confuse":
        return reference[:at] + CONFUSIONS.get(char, char) + reference[at + 1:]
    if kind == "drop":
        return reference[:at] + reference[at + 1:]
    if kind == "double":
        return reference[:at] + char + reference[at:]
    return reference[:at] + reference[at + 1:at + 2] + char + reference[at + 2:]


def _tokens(text: str) -> tuple[str, ...]:
    """The reference tokens a statement reader finds in the text (``statements.remittance``)."""
    from reconciliation.statements.remittance import reference_tokens

    return reference_tokens([text], set())


def generate(lines: int, items: int, seed: int) -> Scenario:
    return Generator(lines, items, seed).scenario()


def mix(scenario: Scenario) -> Counter:
    return Counter(scenario.kinds.values())
