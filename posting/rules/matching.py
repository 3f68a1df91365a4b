"""Which posting rule decides an expense line, and why. Pure: rules and what a document says in, decisions out.

A rule's conditions must all hold (an absent one holds for anything); the first active rule by position that
matches a line wins, and its outcome decides the line. A rule whose outcome sets the line's cost centre may make a
later rule's ``cost_centres`` condition true: matching then runs another pass over the rules that the new cost
centre made match (never one that matched before and lost), until a pass changes nothing. A later pass refines: its
outcome replaces what an earlier one set. A rule applies at most once to a line, so passes always end; rules whose
cost centres would go round in a circle are refused when saved (``validation``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal

from posting.chart import category_code
from posting.drafting_values import Counterparty, DocumentFacts

DOC_TYPES = ("invoice", "receipt", "expense_claim")
"""The document types that have a voucher, so the only ones a rule may name."""
KEYWORD_FIELDS = ("vendor_name", "merchant_name", "purpose")
"""The document's fields a keyword is looked for in when the line's own description lacks it."""


@dataclass(frozen=True)
class Conditions:
    """What must hold of a line for a rule to decide it. Lists hold when any of their entries does; empty or None
    holds for anything."""

    doc_types: tuple[str, ...] = ()
    vendor: str | None = None
    """The name, an alias or the tax ID of the vendor the document was matched to in the vendor master."""
    categories: tuple[str, ...] = ()
    """A receipt's ``category``, an expense claim item's category (as ``posting.chart.category_code`` writes it)."""
    keywords: tuple[str, ...] = ()
    """Any of them, in any case, in the line item's description, else in the document's ``KEYWORD_FIELDS``."""
    amount_min: Decimal | None = None
    """The document's total (without its sign, in its own currency) is at least this ..."""
    amount_max: Decimal | None = None
    """... and below this."""
    currencies: tuple[str, ...] = ()
    cost_centres: tuple[str, ...] = ()
    """The cost centre the line has: its vendor's or employee's, or the one an earlier rule set."""

    def normalised(self) -> Conditions:
        """The same conditions written one way (keywords and vendor in lower case), to compare two rules."""
        keywords = tuple(sorted({keyword.casefold() for keyword in self.keywords}))
        return replace(self, keywords=keywords, vendor=self.vendor.casefold() if self.vendor else None)


@dataclass(frozen=True)
class Outcome:
    """What a rule decides of a line; None leaves it as drafting would have it."""

    account_code: str | None = None
    """The account the line is debited to (an asset account makes it an asset line)."""
    tax_code: str | None = None
    """The input tax code of the line's VAT (deductible or not, as the code says)."""
    cost_centre_code: str | None = None
    project_code: str | None = None
    approval_route: str | None = None
    """The route the voucher is approved by; stored on the voucher for the approvals to read."""

    def set_values(self) -> dict[str, str]:
        """Only what the outcome sets, by name."""
        return {name: value for name, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class Rule:
    position: int
    """1, 2, 3 ...: the order rules are tried in, and how reasons name them (``rule 3``)."""
    name: str
    conditions: Conditions
    outcome: Outcome
    active: bool = True
    id: uuid.UUID | None = None

    @property
    def label(self) -> str:
        """``rule 3 'Cloud hosting'``."""
        return f"rule {self.position} '{self.name}'"

    def as_json(self) -> dict[str, object]:
        """The rule as it is stored, exported and audited: its name, whether it is active, and only the conditions
        and outcome it has (amounts as decimal strings)."""
        return {"name": self.name, "active": self.active, "conditions": _set_json(self.conditions),
                "outcome": self.outcome.set_values()}


def _set_json(conditions: Conditions) -> dict[str, object]:
    values = {item.name: getattr(conditions, item.name) for item in fields(conditions)}
    return {name: list(value) if isinstance(value, tuple) else str(value) if isinstance(value, Decimal) else value
            for name, value in values.items() if value not in (None, ())}


@dataclass(frozen=True)
class RuleDecision:
    """A rule that decided a line, with why."""

    rule_id: uuid.UUID | None
    name: str
    position: int
    outcome: Outcome
    reason: str
    """``rule 3 'Cloud hosting': vendor is Amazon Web Services, keyword 'EC2' in line item 2, amount 0-5000 EUR``."""

    @property
    def approval_route(self) -> str | None:
        return self.outcome.approval_route


@dataclass(frozen=True)
class DocumentView:
    """A document as rules see it: what it says, who it is from (or who paid it), its currency."""

    facts: DocumentFacts
    counterparty: Counterparty | None
    currency: str

    @property
    def total(self) -> Decimal | None:
        """The document's total without its sign (a credit note's too)."""
        total = self.facts.amount("total_amount")
        return None if total is None else abs(total)


@dataclass(frozen=True)
class LineFacts:
    """What rules see of one expense line."""

    where: str
    """How a reason names it: ``line item 2``, ``item 1``, ``the net amount``."""
    description: str | None
    """The description of the line's own item; None for a line of the whole document."""
    category: str | None
    amount: Decimal
    cost_centre_code: str | None


Check = Callable[[Conditions, DocumentView, LineFacts], str | None]
"""A condition kind: None when the line fails it, "" when the rule does not have it, else what held, for reasons."""


def decide(rules: Sequence[Rule], view: DocumentView, line: LineFacts) -> tuple[RuleDecision, ...]:
    """The rules that decide ``line``, in the order they applied (empty: no rule matches it)."""
    decisions, seen = [], set()
    while True:
        new = [(index, why) for index, rule in enumerate(rules) if rule.active and index not in seen
               and (why := matches(rule.conditions, view, line)) is not None]
        if not new:
            return tuple(decisions)
        seen.update(index for index, _ in new)
        winner, why = rules[new[0][0]], new[0][1]
        decisions.append(RuleDecision(winner.id, winner.name, winner.position, winner.outcome,
                                      f"{winner.label}: {why or 'it has no conditions'}"))
        line = replace(line, cost_centre_code=winner.outcome.cost_centre_code or line.cost_centre_code)


def matches(conditions: Conditions, view: DocumentView, line: LineFacts) -> str | None:
    """What held of each condition (``vendor is ..., keyword 'EC2' in line item 2``), or None if one fails."""
    held = []
    for check in CHECKS:
        found = check(conditions, view, line)
        if found is None:
            return None
        held += [found] if found else []
    return ", ".join(held)


def combined(decisions: Iterable[RuleDecision]) -> Outcome:
    """What the decisions set, a later one replacing what an earlier one set."""
    values: dict[str, str] = {}
    for decision in decisions:
        values |= decision.outcome.set_values()
    return Outcome(**values)


def first_route(decisions: Iterable[RuleDecision]) -> str | None:
    """The approval route of the first rule by position that names one."""
    routed = sorted((decision for decision in decisions if decision.approval_route), key=lambda d: d.position)
    return routed[0].approval_route if routed else None


def _in(entries: tuple[str, ...], value: str | None, said: str) -> str | None:
    if not entries:
        return ""
    return said if value in entries else None


def _doc_type(conditions: Conditions, view: DocumentView, line: LineFacts) -> str | None:
    return _in(conditions.doc_types, view.facts.doc_type, f"document type {view.facts.doc_type}")


def _vendor(conditions: Conditions, view: DocumentView, line: LineFacts) -> str | None:
    if conditions.vendor is None:
        return ""
    party = view.counterparty
    known = {name.casefold() for name in party.known_as} if party else set()
    return f"vendor is {party.name}" if conditions.vendor.casefold() in known else None


def _category(conditions: Conditions, view: DocumentView, line: LineFacts) -> str | None:
    category = category_code(line.category) if line.category else None
    return _in(conditions.categories, category, f"category {category}")


def _keyword(conditions: Conditions, view: DocumentView, line: LineFacts) -> str | None:
    if not conditions.keywords:
        return ""
    places = [(line.where, line.description or "")] + [(name, view.facts.text(name, "")) for name in KEYWORD_FIELDS]
    for where, text in places:
        found = next((word for word in conditions.keywords if word.casefold() in text.casefold()), None)
        if found is not None:
            return f"keyword '{found}' in {where}"
    return None


def _amount(conditions: Conditions, view: DocumentView, line: LineFacts) -> str | None:
    low, high = conditions.amount_min, conditions.amount_max
    if low is None and high is None:
        return ""
    total = view.total
    if total is None or (low is not None and total < low) or (high is not None and total >= high):
        return None
    return f"amount {amount_range(low, high)} {view.currency}"


def amount_range(low: Decimal | None, high: Decimal | None) -> str:
    """``0-5000`` (at least 0, below 5000), ``from 1000``, ``below 5000``."""
    if high is None:
        return f"from {low:f}"
    return f"below {high:f}" if low is None else f"{low:f}-{high:f}"


def _currency(conditions: Conditions, view: DocumentView, line: LineFacts) -> str | None:
    return _in(conditions.currencies, view.currency, f"currency {view.currency}")


def _cost_centre(conditions: Conditions, view: DocumentView, line: LineFacts) -> str | None:
    return _in(conditions.cost_centres, line.cost_centre_code, f"cost centre {line.cost_centre_code}")


CHECKS: tuple[Check, ...] = (_doc_type, _vendor, _category, _keyword, _amount, _currency, _cost_centre)
"""Every condition kind, in the order a reason names them."""
