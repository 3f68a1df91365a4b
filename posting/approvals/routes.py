"""Approval routes as plain values, and which one a voucher takes. Pure: values in, values out.

A route sets conditions (the voucher's total in the company's currency from ``amount_min`` to ``amount_max``, its
document's type, its vendor, the cost centres of its lines) and the steps that approve it, in order. The first active
route, by ``position`` then ``code``, whose every condition holds is the voucher's; a posting rule may name a route,
which then wins. A voucher no route takes has no approver step, as before routes existed; a route without steps says
so on purpose (small amounts, say, that a later route would otherwise take).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Step:
    """One approval: by anyone of ``role``, or by one of ``users`` (e-mails)."""

    name: str
    role: str | None = None
    users: tuple[str, ...] = ()

    @property
    def who(self) -> str:
        """As a person reads it: ``role approver``, ``ann@acme.test or bo@acme.test``."""
        return f"role {self.role}" if self.role else " or ".join(self.users)

    def is_for(self, role: str, email: str) -> bool:
        """Whether someone of ``role`` signed in as ``email`` is one this step asks for."""
        return role == self.role or email.lower() in self.users

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "users": list(self.users)}

    @classmethod
    def of(cls, stored: dict[str, Any]) -> Step:
        return cls(stored["name"], stored.get("role"), tuple(stored.get("users") or ()))


@dataclass(frozen=True)
class Conditions:
    """What a voucher must be for a route to take it; each condition left empty holds for every voucher."""

    amount_min: Decimal | None = None
    """The voucher's total in the company's currency is at least this."""
    amount_max: Decimal | None = None
    """... and at most this."""
    doc_types: tuple[str, ...] = ()
    vendors: tuple[str, ...] = ()
    """Names of the vendor master: the document's vendor is one of them."""
    cost_centres: tuple[str, ...] = ()
    """Codes: a line of the voucher is on one of them."""

    def as_json(self) -> dict[str, Any]:
        values = asdict(self)
        return values | {name: str(values[name]) if values[name] is not None else None
                         for name in ("amount_min", "amount_max")}

    @classmethod
    def of(cls, stored: dict[str, Any]) -> Conditions:
        amounts = {name: Decimal(stored[name]) for name in ("amount_min", "amount_max") if stored.get(name)}
        lists = {name: tuple(stored.get(name) or ()) for name in ("doc_types", "vendors", "cost_centres")}
        return cls(**amounts, **lists)


@dataclass(frozen=True)
class RouteSpec:
    code: str
    name: str
    position: int
    active: bool = True
    conditions: Conditions = Conditions()
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class VoucherFacts:
    """What the conditions of a route look at in a voucher."""

    amount: Decimal
    """Its total (the sum of its debits) in the company's currency."""
    currency: str
    """The company's currency."""
    doc_type: str | None
    vendor: str | None
    """The name of the vendor its document was matched to."""
    cost_centres: frozenset[str]


@dataclass(frozen=True)
class RouteChoice:
    route: RouteSpec | None
    """None: no route applies, and the voucher has no approver step."""
    why: str
    """``route 'Over 10k': amount 12,400.00 EUR >= 10,000.00; 2 steps``."""

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.route.steps if self.route else ()


def choose_route(routes: Iterable[RouteSpec], facts: VoucherFacts, named_route: str | None = None) -> RouteChoice:
    """The route of a voucher: the one a posting rule names (``named_route``, a code) when it is active, else the
    first active route whose conditions all hold; and why."""
    active = sorted((route for route in routes if route.active), key=lambda route: (route.position, route.code))
    named = next((route for route in active if route.code == named_route), None)
    if named is not None:
        return RouteChoice(named, f"route '{named.name}': named by a posting rule; {_step_count(named)}")
    for route in active:
        held = conditions_held(route.conditions, facts)
        if held is not None:
            return RouteChoice(route, f"route '{route.name}': {held}; {_step_count(route)}")
    return RouteChoice(None, _none_applies(len(active), named_route))


def conditions_held(conditions: Conditions, facts: VoucherFacts) -> str | None:
    """How the route's conditions hold for the voucher (``amount 12,400.00 EUR >= 10,000.00, vendor Northwind``), or
    None when one does not."""
    checks = _checks(conditions, facts)
    if not all(holds for holds, _ in checks):
        return None
    return ", ".join(how for _, how in checks) or "no conditions, so every voucher"


def _checks(conditions: Conditions, facts: VoucherFacts) -> list[tuple[bool, str]]:
    """Whether each condition the route sets holds, and how it reads."""
    amount, checks = f"amount {money(facts.amount)} {facts.currency}", []
    if conditions.amount_min is not None:
        checks.append((facts.amount >= conditions.amount_min, f"{amount} >= {money(conditions.amount_min)}"))
    if conditions.amount_max is not None:
        checks.append((facts.amount <= conditions.amount_max, f"{amount} <= {money(conditions.amount_max)}"))
    if conditions.doc_types:
        checks.append((facts.doc_type in conditions.doc_types, f"document type {facts.doc_type}"))
    if conditions.vendors:
        checks.append((facts.vendor in conditions.vendors, f"vendor {facts.vendor}"))
    if conditions.cost_centres:
        shared = sorted(facts.cost_centres & set(conditions.cost_centres))
        checks.append((bool(shared), f"cost centre {', '.join(shared)}"))
    return checks


def money(amount: Decimal) -> str:
    """``12,400.00``."""
    return f"{amount:,.2f}"


def _step_count(route: RouteSpec) -> str:
    count = len(route.steps)
    return "no approver step" if count == 0 else f"{count} step{'s' * (count != 1)}"


def _none_applies(active: int, named_route: str | None) -> str:
    named = f"the posting rule names route {named_route!r}, which is not an active route; " if named_route else ""
    return f"{named}no approval route applies (the conditions of none of the {active} active routes all hold)"


def step_at(steps: tuple[Step, ...], number: int | None) -> Step | None:
    """Step ``number`` (from 1) of ``steps``; None past the last, or when ``number`` is None."""
    return steps[number - 1] if number is not None and 1 <= number <= len(steps) else None
