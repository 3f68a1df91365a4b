"""Expense and input VAT lines: each part of the net amount becomes an expense line, each tax group's VAT goes where
its tax code says. Pure: values in, lines out.

A tax group is the VAT at one rate (or of one entry of an e-invoice's VAT breakdown). Its tax code is the company's
active input code of that rate; where two share the rate (a deductible and a not deductible one), the deductible one
is taken unless the document is a Chinese 普通发票 (its ``invoice_type`` says 普通). Deductible VAT is debited to the
code's account; VAT that is not deductible is a cost: to the code's account when it has one, else added to the
expense lines of its rate.

A posting rule may name the tax code of a line (``Expense.tax_code``): its VAT then goes by that code. Where rules
name different codes for lines of one tax group (or a code for some and none for others), the group's VAT is shared
among them in proportion to their amounts, and each share goes by its own code.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from core.money import round_money
from posting.chart import AccountSpec, TaxCodeSpec
from posting.drafting_values import (ZERO, DocumentFacts, DraftLine, Ledger, Source, decimal_of, percent,
                                     posting)
from posting.suggestions.knn import Suggestion

if TYPE_CHECKING:
    from posting.rules.matching import RuleDecision

GENERAL_INVOICE_MARK = "普通"
"""What the ``invoice_type`` of a Chinese 增值税普通发票 says: its input VAT cannot be deducted."""
RATE_TOLERANCE = Decimal("0.01")
"""How far a tax may be from net x rate for that rate to explain it (when the document states no rate)."""


@dataclass(frozen=True)
class Expense:
    """Where expense lines go: an account a rule chose, else the role's account."""

    note: str
    """Why there, for the line's reason."""
    role: str = "expense"
    account_code: str | None = None
    kind: str = "expense"
    cost_centre_code: str | None = None
    project_code: str | None = None
    tax_code: str | None = None
    """The input tax code a posting rule named for the lines' VAT."""
    rules: tuple[RuleDecision, ...] = ()
    """The posting rules that decided it."""

    def reason(self, what: str) -> str:
        """A line's reason: the rules' reasons first, then what the line is (``line item 2: amount 120.00``), then
        where it goes and why."""
        return "; ".join([*(decision.reason for decision in self.rules), what, self.note])

    def line(self, amount: Decimal, *, description: str, what: str, source: Source) -> DraftLine:
        """An expense line of ``amount`` that goes here."""
        return posting(self.role, amount, kind=self.kind, description=description, reason=self.reason(what),
                       source=source, account_code=self.account_code, cost_centre_code=self.cost_centre_code,
                       project_code=self.project_code, rules=self.rules)


def to_account(account: AccountSpec, note: str, cost_centre_code: str | None) -> Expense:
    """Expense lines to ``account``; asset lines when it is an asset account."""
    kind = "asset" if account.account_type == "asset" else "expense"
    return Expense(note, role=kind, account_code=account.code, kind=kind, cost_centre_code=cost_centre_code)


@dataclass(frozen=True)
class Part:
    """An expense line before its tax is decided: a line item, the taxable amount of a rate, or the net amount."""

    amount: Decimal
    group: Hashable
    """The tax group whose VAT is on this amount."""
    description: str
    reason: str
    source: Source
    item: int | None = None
    """The index of the document's item the part is, if it is one (whose learned account it may take)."""
    expense: Expense | None = None
    """Where the part goes when posting rules or confirmed history decided it; None: where the document's expense
    lines go."""


@dataclass(frozen=True)
class TaxGroup:
    key: Hashable
    rate: Decimal | None
    tax: Decimal
    reason: str
    source: Source
    tax_code: str | None = None
    """The input tax code posting rules named for the group's parts."""
    named_by: str = ""
    """The rule that named it: ``rule 3 'Hotels'``."""


def net_part(facts: DocumentFacts, total: Decimal, tax: Decimal | None, description: str, note: str = "") -> Part:
    """The whole net amount (the total less the printed tax) as one part, in tax group 0."""
    net = round_money(total - (tax or ZERO))
    if tax:
        reason = f"net = total_amount {total} - tax_amount {tax} = {net}"
        return Part(net, 0, description, note + reason, facts.source("total_amount", "tax_amount"))
    rate = decimal_of(facts.value("tax_rate"))
    untaxed = f"zero-rated (tax_rate {percent(rate)})" if rate == 0 else f"no tax found on the {facts.kind_name}"
    return Part(net, 0, description, f"{note}total_amount {total}, {untaxed}", facts.source("total_amount"))


def printed_tax_group(facts: DocumentFacts, tax: Decimal | None) -> TaxGroup:
    """The printed tax (and rate, if printed) as tax group 0."""
    return TaxGroup(0, decimal_of(facts.value("tax_rate")), tax or ZERO,
                    f"tax_amount {tax} printed on the {facts.kind_name}", facts.source("tax_amount", "tax_rate"))


def taxed_lines(parts: list[Part], groups: list[TaxGroup], facts: DocumentFacts, ledger: Ledger,
                expense: Expense) -> list[DraftLine]:
    """The expense lines of ``parts`` (each where rules decided it, else to ``expense``) and the VAT lines of
    ``groups``."""
    parts, groups = by_named_tax_code(parts, groups)
    tax_lines: list[DraftLine] = []
    for group in groups:
        if group.tax:
            parts, line = _tax_of_group(group, parts, facts, ledger)
            tax_lines += [line] if line else []
    return [_expense_line(part, part.expense or expense) for part in parts] + tax_lines


def learned_expense(ledger: Ledger, suggestion: Suggestion | None, otherwise: Expense) -> Expense:
    """To the account confirmed history suggests (``posting.suggestions``) when it is active, else ``otherwise``;
    the cost centre of ``otherwise`` either way."""
    account = ledger.active(suggestion.account_code) if suggestion else None
    if account is None:
        return otherwise
    return to_account(account, f"to {account.code} {account.name}, {suggestion.reason}", otherwise.cost_centre_code)


def _expense_line(part: Part, expense: Expense) -> DraftLine:
    return expense.line(part.amount, description=part.description, what=part.reason, source=part.source)


def by_named_tax_code(parts: list[Part], groups: list[TaxGroup]) -> tuple[list[Part], list[TaxGroup]]:
    """Each group with the tax code rules named for its parts; a group whose parts were named different codes (or
    a code and none) split into one group per code, each with its parts' share of the VAT."""
    named: list[TaxGroup] = []
    for group in groups:
        parts, found = _by_code(group, parts)
        named += found
    return parts, named


def _by_code(group: TaxGroup, parts: list[Part]) -> tuple[list[Part], list[TaxGroup]]:
    own = [index for index, part in enumerate(parts) if part.group == group.key]
    codes = list(dict.fromkeys(_named_code(parts[index]) for index in own))
    if len(codes) <= 1:
        return parts, [_with_code(group, parts[own[0]] if codes and codes[0] else None)]
    shares = dict(zip(own, _shares(group.tax, [parts[index].amount for index in own])))
    groups = []
    for code in codes:
        mine = [index for index in own if _named_code(parts[index]) == code]
        groups.append(_share_group(group, code, sum((shares[index] for index in mine), ZERO), parts[mine[0]]))
    return [replace(part, group=(group.key, _named_code(part))) if index in shares else part
            for index, part in enumerate(parts)], groups


def _named_code(part: Part) -> str | None:
    return part.expense.tax_code if part.expense else None


def _with_code(group: TaxGroup, named: Part | None) -> TaxGroup:
    """The group with the tax code the rules of ``named`` (a part of it) name."""
    if named is None:
        return group
    by = next(decision for decision in reversed(named.expense.rules) if decision.outcome.tax_code)
    return replace(group, tax_code=named.expense.tax_code, named_by=f"rule {by.position} '{by.name}'")


def _share_group(group: TaxGroup, code: str | None, tax: Decimal, first: Part) -> TaxGroup:
    whose = f"the lines tax code {code} was named for" if code else "the lines no rule named a tax code for"
    shared = replace(group, key=(group.key, code), tax=tax,
                     reason=f"{group.reason}: {tax} of it, the share of {whose}")
    return _with_code(shared, first if code else None)


def _shares(total: Decimal, amounts: list[Decimal]) -> list[Decimal]:
    """``total`` shared in proportion to ``amounts``, each share rounded to the cent; the last takes what rounding
    leaves."""
    whole = sum(amounts, ZERO)
    shares = [round_money(total * amount / whole) if whole else ZERO for amount in amounts[:-1]]
    return shares + [total - sum(shares, ZERO)]


def _tax_of_group(group: TaxGroup, parts: list[Part], facts: DocumentFacts,
                  ledger: Ledger) -> tuple[list[Part], DraftLine | None]:
    """The group's VAT line, or (for VAT that is not deductible and has no account) the parts with it added."""
    net = sum((part.amount for part in parts if part.group == group.key), ZERO)
    code = tax_code_for(group, net, facts, ledger)
    if code is None:
        return parts, _input_tax(group, None, f"no tax code {_explaining(group)}: deductible input VAT by default")
    if code.deductible:
        return parts, _input_tax(group, ledger.active_code(code.account_code),
                                 f"{_code_words(code, group)}: deductible")
    if code.account_code is not None or not any(part.group == group.key for part in parts):
        return parts, _cost_line(group, code, ledger)
    return _spread(group, code, parts), None


def _code_words(code: TaxCodeSpec, group: TaxGroup) -> str:
    """``tax code S20 (Input VAT 20%)``, and the rule that named it, if one did."""
    return f"tax code {code.code} ({code.name}){_named(code, group)}"


def _named(code: TaxCodeSpec, group: TaxGroup) -> str:
    return f", as {group.named_by} says" if group.named_by and code.code == group.tax_code else ""


def _explaining(group: TaxGroup) -> str:
    return f"at {percent(group.rate)}" if group.rate is not None else "whose rate explains it"


def _input_tax(group: TaxGroup, account_code: str | None, why: str) -> DraftLine:
    description = f"Input VAT{f' {percent(group.rate)}' if group.rate is not None else ''}"
    return posting("input_tax", group.tax, description=description, reason=f"{group.reason}; {why}",
                   source=group.source, account_code=account_code)


def _cost_line(group: TaxGroup, code: TaxCodeSpec, ledger: Ledger) -> DraftLine:
    """VAT that is not deductible, to the cost account its code names (else the ``non_deductible_tax`` account)."""
    return posting("non_deductible_tax", group.tax, kind="expense", description=f"Non-deductible VAT ({code.code})",
                   reason=f"{group.reason}; {_code_words(code, group)}: not deductible, a cost",
                   source=group.source, account_code=ledger.active_code(code.account_code))


def _spread(group: TaxGroup, code: TaxCodeSpec, parts: list[Part]) -> list[Part]:
    """The parts with the group's VAT added to them, in proportion to their amounts (the last takes what rounding
    leaves)."""
    own = [index for index, part in enumerate(parts) if part.group == group.key]
    shares = dict(zip(own, _shares(group.tax, [parts[index].amount for index in own])))
    why = f"tax code {code.code} {code.name}{_named(code, group)} is not deductible: a cost"
    return [replace(part, amount=part.amount + shares[index], source=_with(part.source, group.source),
                    reason=f"{part.reason}, + VAT {shares[index]} of {group.reason} ({why})")
            if index in shares else part for index, part in enumerate(parts)]


def _with(source: Source, other: Source) -> Source:
    return replace(source, fields=source.fields + tuple(f for f in other.fields if f not in source.fields))


def tax_code_for(group: TaxGroup, net: Decimal, facts: DocumentFacts, ledger: Ledger) -> TaxCodeSpec | None:
    """The active input tax code a rule named for the group; else the company's input tax code of the group's rate
    (or, without a rate, the one whose rate explains the tax on ``net``), the deductible one first, unless the
    document is a 普通发票."""
    named = ledger.input_tax_code(group.tax_code)
    if named is not None:
        return named
    codes = [code for code in ledger.input_tax_codes() if _fits(code, group, net)]
    general = GENERAL_INVOICE_MARK in facts.text("invoice_type", "")
    return min(codes, key=lambda code: (code.deductible == general, code.code), default=None)


def _fits(code: TaxCodeSpec, group: TaxGroup, net: Decimal) -> bool:
    if group.rate is not None:
        return code.rate == group.rate
    return code.rate > 0 and abs(net * code.rate / 100 - group.tax) <= RATE_TOLERANCE
