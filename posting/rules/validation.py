"""Reading posting rules, and refusing a set of rules that could not all work as written. Pure: values and what the
master data has in, rules or problems out.

A rule is read from a mapping (a request's JSON, an entry of a YAML or JSON file, a stored row): ``name``,
``active`` (default yes), ``conditions`` and ``outcome``, each value as master data reads it
(``posting.masterdata.records``): a list may also be one text with its entries separated by ``|``. Every error of
every rule is found before any is refused (``MasterDataRejected``, each error as ``{row, field, message}``).

A set of rules, as a change would leave it (numbered by position), is then checked whole, and any problem refuses
the change (``RuleConflict``, each problem naming the rules and what to fix):

- a conflict: an active rule with the same conditions as an earlier active one (lists compared as sets, keywords
  and the vendor in any case) but another outcome could never apply;
- a loop: active rules that set cost centres so that each makes the next one's ``cost_centres`` condition true,
  round to the first (``rule 2 -> rule 5 -> rule 2``);
- an unknown reference: an account, tax code, cost centre, project or vendor the master data lacks, or holds
  inactive. Inactive rules are not checked: they decide nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.errors import RuleConflict
from core.money import decimal_value
from posting.masterdata.files import YAML_NULLS, column_name
from posting.masterdata.records import (Invalid, categories, choice, code, currency, names, optional, text,
                                        yes_by_default)
from posting.masterdata.validation import Row, RowError, rejection
from posting.rules.matching import DOC_TYPES, Conditions, Outcome, Rule

MAX_RULES = 500
"""The most rules a company keeps: enough for any chart, few enough to check whole on every change."""
ROUTE_PATTERN = re.compile(r"[\w.\-]{1,40}")
RULE_ACCOUNT_TYPES = ("expense", "asset")
"""The accounts a rule may debit an expense line to."""


def amount(value: Any) -> Decimal:
    """An amount of 0 or more with at most two decimals (``5000``, ``99.90``)."""
    found = decimal_value(value)
    if found is None or found < 0 or found.as_tuple().exponent < -2:
        raise Invalid(f"{value!r} is not an amount of 0 or more with at most two decimals, such as 5000 or 99.90")
    return found


def route(value: Any) -> str:
    """An approval route's code: letters, digits, '.', '-' and '_'; at most 40."""
    found = text(40)(value)
    if not ROUTE_PATTERN.fullmatch(found):
        raise Invalid(f"{found!r} is not a route code: use letters, digits, '.', '-' or '_', without spaces")
    return found


def listed(read: Callable[[Any], str]) -> Callable[[Any], tuple[str, ...]]:
    """Entries (a list, or one text separated by ``|``), each read by ``read``; sorted, without repeats."""
    return lambda value: tuple(sorted({read(entry) for entry in names(value)}))


def keywords(value: Any) -> tuple[str, ...]:
    """Words or phrases, as typed; one of those that differ only in case."""
    unique = {entry.casefold(): entry for entry in reversed(names(value))}
    return tuple(unique[key] for key in sorted(unique))


FIELDS: dict[str, Callable[[Any], Any]] = {"name": text(200), "active": yes_by_default}
CONDITIONS: dict[str, Callable[[Any], Any]] = {
    "doc_types": listed(choice(DOC_TYPES)), "vendor": optional(text(200)), "categories": categories,
    "keywords": keywords, "amount_min": optional(amount), "amount_max": optional(amount),
    "currencies": listed(currency), "cost_centres": listed(code)}
OUTCOME: dict[str, Callable[[Any], Any]] = {
    "account_code": optional(code), "tax_code": optional(code), "cost_centre_code": optional(code),
    "project_code": optional(code), "approval_route": optional(route)}
SECTIONS = {"conditions": CONDITIONS, "outcome": OUTCOME}


@dataclass(frozen=True)
class Known:
    """What the company's master data has that rules may name."""

    accounts: dict[str, str]
    """The active accounts' types by code."""
    tax_codes: frozenset[str]
    """The active input tax codes."""
    cost_centres: frozenset[str]
    projects: frozenset[str]
    vendors: frozenset[str]
    """Every vendor's name, aliases and tax ID, in lower case."""


@dataclass(frozen=True)
class Problem:
    rules: tuple[int, ...]
    """The positions of the rules concerned."""
    message: str


# --- reading -------------------------------------------------------------------------------------------------------


def read_rules(rows: Sequence[Row]) -> list[Rule]:
    """The rules of ``rows`` (positions 0: their places are the caller's); ``MasterDataRejected`` with every error."""
    if len(rows) > MAX_RULES:
        raise rejection([RowError(0, "", f"at most {MAX_RULES} rules ({len(rows)} given)")])
    read = [read_rule(row) for row in rows]
    errors = [error for _, row_errors in read for error in row_errors]
    if errors:
        raise rejection(errors)
    return [rule for rule, _ in read]


def read_rule(row: Row) -> tuple[Rule | None, list[RowError]]:
    """The rule an entry describes (position 0), or None and every error of it."""
    values = _normalised(row.values)
    head, errors = _read(values, FIELDS, row.number, "")
    errors = _unknown(values, [*FIELDS, *SECTIONS], row.number, "") + errors
    read = [_section(values.get(name), name, readers, row.number) for name, readers in SECTIONS.items()]
    section_errors = [error for _, found in read for error in found]
    if section_errors:
        return None, errors + section_errors
    conditions, outcome = Conditions(**read[0][0]), Outcome(**read[1][0])
    errors += _shape_errors(conditions, outcome, row.number)
    return (None, errors) if errors else (Rule(0, head["name"], conditions, outcome, head["active"]), [])


def _normalised(values: Mapping[Any, Any]) -> dict[str, Any]:
    """Names as master data compares them (``Cost centres`` is ``cost_centres``), YAML's nulls as None."""
    return {column_name(name): None if isinstance(value, str) and value in YAML_NULLS else value
            for name, value in values.items()}


def _unknown(values: Mapping[str, Any], known: Sequence[str], row: int, prefix: str) -> list[RowError]:
    return [RowError(row, prefix + name, f"{name!r} is not one of {', '.join(known)}")
            for name in values if name not in known]


def _read(values: Mapping[str, Any], readers: Mapping[str, Callable[[Any], Any]], row: int,
          prefix: str) -> tuple[dict[str, Any], list[RowError]]:
    found, errors = {}, []
    for name, read in readers.items():
        try:
            found[name] = read(values.get(name))
        except Invalid as invalid:
            errors.append(RowError(row, prefix + name, str(invalid)))
    return found, errors


def _section(values: Any, name: str, readers: Mapping[str, Callable[[Any], Any]],
             row: int) -> tuple[dict[str, Any], list[RowError]]:
    """The conditions or the outcome of a rule: a mapping (absent: empty)."""
    if values is None:
        values = {}
    if not isinstance(values, Mapping):
        return {}, [RowError(row, name, f"a mapping of {', '.join(readers)}")]
    values = _normalised(values)
    found, errors = _read(values, readers, row, f"{name}.")
    return found, _unknown(values, list(readers), row, f"{name}.") + errors


def _shape_errors(conditions: Conditions, outcome: Outcome, row: int) -> list[RowError]:
    errors = []
    if not outcome.set_values():
        errors.append(RowError(row, "outcome", f"a rule sets at least one of {', '.join(OUTCOME)}"))
    low, high = conditions.amount_min, conditions.amount_max
    if low is not None and high is not None and low >= high:
        errors.append(RowError(row, "conditions.amount_max", f"{high} is not above amount_min {low}: the total must "
                                                             "be at least amount_min and below amount_max"))
    return errors


# --- checking a set of rules ---------------------------------------------------------------------------------------


def check_rules(rules: Sequence[Rule], known: Known, changed: Collection[int] | None = None) -> list[Problem]:
    """Every conflict and loop of the active ``rules`` (positioned, in order), and the unknown references of those
    at the ``changed`` positions (default: all). The master data may since have deactivated what a saved rule
    names: that refuses no change to the other rules."""
    active = [rule for rule in rules if rule.active]
    checked = [rule for rule in active if changed is None or rule.position in changed]
    return [*conflicts(active), *loops(active), *(problem for rule in checked for problem in unknown(rule, known))]


def refusal(problems: Sequence[Problem]) -> RuleConflict:
    """The error that refuses rules with ``problems``: nothing of them is written."""
    count = f"{len(problems)} problem{'s' * (len(problems) != 1)}"
    detail = f"The posting rules have {count}; nothing was written. " + " ".join(p.message for p in problems)
    return RuleConflict(detail, [{"rules": list(p.rules), "message": p.message} for p in problems])


def conflicts(active: Sequence[Rule]) -> list[Problem]:
    """Each rule with the same conditions as an earlier one but another outcome: it could never apply."""
    first: dict[Conditions, Rule] = {}
    problems = []
    for rule in active:
        earlier = first.setdefault(rule.conditions.normalised(), rule)
        if earlier is not rule and earlier.outcome != rule.outcome:
            problems.append(Problem((earlier.position, rule.position), (
                f"{rule.label} has the same conditions as {earlier.label} but another outcome, so it could never "
                f"apply: make their conditions differ, or deactivate or delete one.")))
    return problems


def loops(active: Sequence[Rule]) -> list[Problem]:
    """Rules whose cost centres go round in a circle: each sets the cost centre the next one's conditions name."""
    makes_match = {rule.position: [other.position for other in active if other is not rule
                                   and rule.outcome.cost_centre_code in other.conditions.cost_centres]
                   for rule in active}
    by_position = {rule.position: rule for rule in active}
    return [_loop([by_position[position] for position in cycle]) for cycle in cycles(makes_match)]


def _loop(cycle: list[Rule]) -> Problem:
    path = " -> ".join(f"rule {rule.position}" for rule in [*cycle, cycle[0]])
    sets = ", ".join(f"{rule.label} sets cost centre {rule.outcome.cost_centre_code}" for rule in cycle)
    return Problem(tuple(rule.position for rule in cycle), (
        f"{path}: {sets}, and each makes the next one's cost_centres condition true, round in a circle: change a "
        f"cost centre one of them sets or names, or deactivate one."))


def cycles(graph: Mapping[int, Sequence[int]]) -> list[tuple[int, ...]]:
    """The cycles a depth-first walk of ``graph`` closes, each once, from its smallest node."""
    found: dict[tuple[int, ...], None] = {}
    done: set[int] = set()
    path: list[int] = []

    def walk(node: int) -> None:
        path.append(node)
        for following in graph[node]:
            if following in path:
                cycle = path[path.index(following):]
                start = cycle.index(min(cycle))
                found.setdefault(tuple(cycle[start:] + cycle[:start]), None)
            elif following not in done:
                walk(following)
        path.pop()
        done.add(node)

    for node in sorted(graph):
        if node not in done:
            walk(node)
    return list(found)


def unknown(rule: Rule, known: Known) -> list[Problem]:
    """Each code of ``rule`` the master data lacks or holds inactive."""
    outcome = rule.outcome
    found = [_account(rule, known), _vendor(rule, known),
             _missing(rule, "tax code", outcome.tax_code, known.tax_codes, "an active input tax code", "tax-codes"),
             _missing(rule, "cost centre", outcome.cost_centre_code, known.cost_centres, "an active cost centre",
                      "cost-centres"),
             _missing(rule, "project", outcome.project_code, known.projects, "an active project", "projects"),
             *(_missing(rule, "cost centre", centre, known.cost_centres, "an active cost centre", "cost-centres")
               for centre in rule.conditions.cost_centres)]
    return [problem for problem in found if problem is not None]


def _missing(rule: Rule, what: str, value: str | None, available: frozenset[str], label: str,
             table: str) -> Problem | None:
    if value is None or value in available:
        return None
    return Problem((rule.position,), f"{rule.label} names the {what} {value}, which is not {label}: add it "
                                     f"(POST /api/v1/{table}) or correct the code.")


def _account(rule: Rule, known: Known) -> Problem | None:
    account_code = rule.outcome.account_code
    kind = known.accounts.get(account_code) if account_code else None
    if account_code is None or kind in RULE_ACCOUNT_TYPES:
        return None
    why = "not an active account of the chart" if kind is None else f"of type {kind}"
    return Problem((rule.position,), f"{rule.label} debits account {account_code}, which is {why}: name an active "
                                     "expense or asset account (GET /api/v1/accounts lists them).")


def _vendor(rule: Rule, known: Known) -> Problem | None:
    vendor = rule.conditions.vendor
    if vendor is None or vendor.casefold() in known.vendors:
        return None
    return Problem((rule.position,), f"{rule.label} names the vendor '{vendor}', whom the vendor master does not know "
                                     "by name, alias or tax ID: add the vendor (or the alias), or correct the name.")
