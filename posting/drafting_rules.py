"""Posting rules in drafting: each expense line as rules see it, and where the rules that decide it send it. Pure:
values in, values out.

A rule's account comes before every other (``posting.drafting`` gives the whole order). A rule that names no
account, or an account that is no longer active, leaves the account as drafting would choose it, and still sets the
line's cost centre, project and tax code where it names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from posting.drafting_tax import Expense, Part, to_account
from posting.drafting_values import Counterparty, DocumentFacts, Ledger, voucher_currency
from posting.rules.matching import DocumentView, LineFacts, Rule, RuleDecision, combined, decide


@dataclass(frozen=True)
class Ruling:
    """A company's posting rules as they apply to one document."""

    rules: tuple[Rule, ...]
    view: DocumentView
    ledger: Ledger

    @classmethod
    def of(cls, facts: DocumentFacts, ledger: Ledger, counterparty: Counterparty | None,
           rules: Sequence[Rule]) -> Ruling:
        view = DocumentView(facts, counterparty, voucher_currency(facts, ledger.base_currency))
        return cls(tuple(rules), view, ledger)

    def expense_for(self, item: int | None, amount: Decimal, expense: Expense) -> Expense:
        """Where the expense line of ``amount`` (of the document's item ``item``, or of the whole document) goes:
        as the rules that decide it say, else to ``expense``."""
        decisions = decide(self.rules, self.view, line_facts(self.view.facts, item, amount, expense.cost_centre_code))
        return ruled_expense(expense, decisions, self.ledger) if decisions else expense

    def parts(self, parts: list[Part], expense: Expense) -> list[Part]:
        """Each part with where its rules send it (no rule: where it went already, else ``expense``)."""
        return [replace(part, expense=self.expense_for(part.item, part.amount, part.expense or expense))
                for part in parts]


def line_facts(facts: DocumentFacts, item: int | None, amount: Decimal, cost_centre_code: str | None) -> LineFacts:
    """An expense line as rules see it: of the document's item ``item`` (its description and category), else of the
    whole document (a receipt's category)."""
    if item is None:
        return LineFacts("the document", None, _text(facts.value("category")), amount, cost_centre_code)
    found = facts.items[item]
    where = f"{'item' if facts.doc_type == 'expense_claim' else 'line item'} {item + 1}"
    return LineFacts(where, _text(found.get("description")), _text(found.get("category")), amount, cost_centre_code)


def ruled_expense(expense: Expense, decisions: tuple[RuleDecision, ...], ledger: Ledger) -> Expense:
    """``expense`` as the rules' outcomes change it: the account (when active), cost centre, project, tax code."""
    outcome = combined(decisions)
    account = ledger.active(outcome.account_code)
    base = to_account(account, f"to {account.code} {account.name}, the rule's account", None) if account else expense
    return replace(base, cost_centre_code=outcome.cost_centre_code or expense.cost_centre_code,
                   project_code=outcome.project_code, tax_code=outcome.tax_code, rules=decisions)


def _text(value: Any) -> str | None:
    """A value as text; None when it is empty."""
    found = str(value).strip() if value is not None else ""
    return found or None
