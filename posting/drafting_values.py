"""The values drafting works with: what a document says (``DocumentFacts``), what the company has (``Ledger``), who is
owed (``Counterparty``), and what comes out (``DraftVoucher`` of ``DraftLine``s). Pure: no I/O.

Amounts inside drafting are signed as debits: a positive amount is a debit, a negative one a credit. An invoice's
expense is positive and its payable negative; a credit note's are the other way round, so one set of rules drafts
both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from core.errors import UnbalancedVoucher
from core.money import decimal_value, round_money
from posting.chart import AccountSpec, TaxCodeSpec

if TYPE_CHECKING:
    from posting.rules.matching import RuleDecision

ZERO = Decimal("0.00")
ROUNDING_LIMIT = Decimal("0.05")
"""The most by which a voucher's lines (tax rounded per line or per rate) may miss the printed total; the rest is a
rounding line. Beyond it the lines are not used (the document's net amount is, as one line)."""
DATE_FIELDS = {"invoice": ("invoice_date",), "receipt": ("transaction_date",),
               "expense_claim": ("period_end", "period_start")}
"""The fields that date a voucher, by document type, first found first; else the day the document came in."""


class CannotDraft(Exception):
    """The document does not allow a voucher yet (no total, no exchange rate ...); the message says what to do."""


@dataclass(frozen=True)
class Source:
    """Where a line's amount was read: the fields (``total_amount``, ``line_items[2].amount``) and the box on the
    page of the first one that has a box."""

    fields: tuple[str, ...] = ()
    page: int | None = None
    bbox: tuple[float, ...] | None = None

    def as_json(self) -> dict[str, Any]:
        return {"fields": list(self.fields), "page": self.page, "bbox": list(self.bbox) if self.bbox else None}


@dataclass(frozen=True)
class DraftLine:
    role: str
    """What the line is for, by role in the chart (``expense``, ``input_tax``, ``payable`` ...)."""
    debit: Decimal
    credit: Decimal
    description: str
    reason: str
    """The rule that made the line, with the values it used."""
    kind: str
    source: Source = Source()
    account_code: str | None = None
    """The account, when a rule chose one (a vendor's default account, a tax code's); else the role's."""
    cost_centre_code: str | None = None
    base_debit: Decimal | None = None
    """The debit in the company's currency; None until converted (``drafting_currency``)."""
    base_credit: Decimal | None = None
    project_code: str | None = None
    rules: tuple[RuleDecision, ...] = ()
    """The posting rules that decided the line (its reason starts with theirs)."""

    @property
    def amount(self) -> Decimal:
        """Signed as a debit."""
        return self.debit - self.credit


def posting(role: str, amount: Decimal, *, description: str, reason: str, kind: str | None = None,
            source: Source = Source(), account_code: str | None = None, cost_centre_code: str | None = None,
            project_code: str | None = None, rules: tuple[RuleDecision, ...] = ()) -> DraftLine:
    """A line of ``amount`` (signed as a debit, rounded to the cent), on the side its sign says."""
    amount = round_money(amount)
    return DraftLine(role, amount if amount > 0 else ZERO, -amount if amount < 0 else ZERO, description, reason,
                     kind or role, source, account_code, cost_centre_code, project_code=project_code, rules=rules)


@dataclass(frozen=True)
class RateUsed:
    """One unit of ``from_currency`` is ``rate`` units of ``to_currency``, as recorded for ``date``."""

    from_currency: str
    to_currency: str
    rate: Decimal
    date: date
    source: str | None = None

    def describe(self) -> str:
        return (f"1 {self.from_currency} = {self.rate.normalize():f} {self.to_currency} "
                f"(rate of {self.date.isoformat()}{f', {self.source}' if self.source else ''})")


@dataclass(frozen=True)
class DraftVoucher:
    date: date
    currency: str
    description: str
    lines: tuple[DraftLine, ...]
    base_currency: str | None = None
    rate: RateUsed | None = None
    """The rate the lines were converted at; None in the company's own currency."""
    approval_route: str | None = None
    """The route the first posting rule (by position) that decided a line and names one gives."""


@dataclass(frozen=True)
class DocumentFacts:
    """What a document says: its fields as stored (``{name: {"value", "page", "bbox", ...}}``) and its items (an
    invoice's or receipt's line items, an expense claim's items), each a mapping that may carry its page and box."""

    doc_type: str | None
    fields: Mapping[str, Mapping[str, Any]]
    received_on: date
    items: tuple[Mapping[str, Any], ...] = ()

    def value(self, name: str) -> Any:
        found = self.fields.get(name)
        return found.get("value") if isinstance(found, Mapping) else None

    def amount(self, name: str) -> Decimal | None:
        return amount_of(self.value(name))

    def source(self, *names: str) -> Source:
        """Those of the fields ``names`` the document has (else the first), placed where the first of them that has
        a box was read."""
        found = [name for name in names if isinstance(self.fields.get(name), Mapping)] or list(names[:1])
        placed = [self.fields[name] for name in found if self.fields.get(name, {}).get("page") is not None]
        return _placed(tuple(found), placed[0] if placed else {})

    def item_source(self, indexes: list[int], key: str) -> Source:
        """``line_items[i].key`` of each of ``indexes`` (``items[...]`` for an expense claim), placed where the
        first of them was read."""
        name = "items" if self.doc_type == "expense_claim" else "line_items"
        return _placed(tuple(f"{name}[{index}].{key}" for index in indexes), self.items[indexes[0]])

    @property
    def kind_name(self) -> str:
        """``invoice``, ``receipt``, ``expense claim``: how reasons name the document."""
        return (self.doc_type or "document").replace("_", " ")

    def text(self, name: str, default: str) -> str:
        value = self.value(name)
        return str(value).strip() if value not in (None, "") and str(value).strip() else default


def _placed(fields: tuple[str, ...], found: Mapping[str, Any]) -> Source:
    bbox = found.get("bbox")
    return Source(fields, found.get("page"), tuple(bbox) if bbox else None)


@dataclass(frozen=True)
class Counterparty:
    """Who the voucher owes: the vendor of an invoice, the employee of a receipt or claim."""

    name: str
    found_by: str
    """How it was found, for the payable line's reason: ``the vendor master``, ``employee E001 by employee_id``."""
    default_account_code: str | None = None
    cost_centre_code: str | None = None
    known_as: tuple[str, ...] = ()
    """What the vendor master knows a vendor by (its name, aliases and tax ID), for posting rules that name a
    vendor; empty for an employee."""


@dataclass(frozen=True)
class Ledger:
    """What drafting needs of the company: its currency, its active accounts and tax codes."""

    base_currency: str
    accounts: tuple[AccountSpec, ...]
    tax_codes: tuple[TaxCodeSpec, ...] = ()
    _by_code: dict[str, AccountSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {a.code: a for a in self.accounts if a.active})

    def active(self, code: str | None) -> AccountSpec | None:
        """The active account ``code``, if there is one."""
        return self._by_code.get(code) if code else None

    def active_code(self, code: str | None) -> str | None:
        """``code`` if it is an active account's, else None (a line then goes to its role's account)."""
        return code if self.active(code) else None

    def for_role(self, role: str) -> AccountSpec | None:
        return next((account for account in self._by_code.values() if account.role == role), None)

    def for_category(self, category: str) -> AccountSpec | None:
        return next((account for account in self._by_code.values() if category in account.categories), None)

    def input_tax_codes(self) -> list[TaxCodeSpec]:
        return [code for code in self.tax_codes if code.active and code.kind == "input"]

    def input_tax_code(self, code: str | None) -> TaxCodeSpec | None:
        """The active input tax code ``code``, if there is one."""
        return next((found for found in self.input_tax_codes() if found.code == code), None)


def required_total(facts: DocumentFacts) -> Decimal:
    """The document's total amount; ``CannotDraft`` when it has none (or it is zero)."""
    total = facts.amount("total_amount")
    if total is None:
        raise CannotDraft("no total amount was found, so no voucher could be drafted")
    if total == 0:
        raise CannotDraft("the total amount is 0.00: there is nothing to post")
    return total


def rounding_lines(facts: DocumentFacts, lines: list[DraftLine], balance: Decimal) -> list[DraftLine]:
    """The line that makes ``lines`` add up to ``balance`` (signed as a debit), if they do not already."""
    found = sum((line.amount for line in lines), ZERO)
    if found == balance:
        return []
    return [posting("rounding", balance - found, description="Rounding difference",
                    source=facts.source("total_amount", "tax_amount"),
                    reason=f"the lines add up to {found}, the total_amount is {balance}: {abs(balance - found)} is "
                           "rounding (the tax rounded per line or per rate)")]


def amount_of(value: Any) -> Decimal | None:
    """A value as an amount rounded to the cent (``"1234.567"`` is 1234.57); None if it is not a number."""
    found = decimal_of(value)
    return None if found is None else round_money(found)


def decimal_of(value: Any) -> Decimal | None:
    """A value as a number as written (a rate ``"19%"`` is 19); None if it is not one."""
    return decimal_value(value.strip().removesuffix("%") if isinstance(value, str) else value)


def percent(rate: Decimal) -> str:
    """``19%``, ``7.7%``."""
    return f"{rate.normalize():f}%"


def voucher_date(facts: DocumentFacts) -> date:
    """The date of the document's voucher: its own date (``DATE_FIELDS``), else the day it came in."""
    for name in DATE_FIELDS.get(facts.doc_type or "", ()):
        try:
            return date.fromisoformat(str(facts.value(name)))
        except ValueError:
            continue
    return facts.received_on


def voucher_currency(facts: DocumentFacts, base_currency: str) -> str:
    """The document's currency (upper case), else the company's."""
    return facts.text("currency", base_currency).upper()


def ensure_balanced(lines: tuple[DraftLine, ...] | list[Any]) -> None:
    """Raise ``UnbalancedVoucher`` unless debits equal credits to the cent, in the voucher's currency and (where the
    lines have them) in the company's."""
    _ensure_sides_equal(lines, "debit", "credit", "")
    if lines and all(getattr(line, "base_debit", None) is not None for line in lines):
        _ensure_sides_equal(lines, "base_debit", "base_credit", " in the company's currency")


def _ensure_sides_equal(lines: Any, debit_name: str, credit_name: str, where: str) -> None:
    debit = sum((getattr(line, debit_name) for line in lines), ZERO)
    credit = sum((getattr(line, credit_name) for line in lines), ZERO)
    if round_money(debit) != round_money(credit):
        raise UnbalancedVoucher(f"Debits {debit} and credits {credit}{where} differ by {debit - credit}.")
