"""The voucher of what an employee paid: a receipt (expense and input VAT as on an invoice) or an expense claim (one
expense line per item), against the employee payable. Each expense goes to the account that names its spending
category (``AccountSpec.categories``), else to the chart's expense account, with the employee's cost centre; an
account confirmed history suggests for it (``posting.suggestions``) comes before the category's, and the posting
rules that decide it before both (``drafting_rules``). A claim's items carry no VAT, so a rule's tax code changes
nothing of them. Pure: values in, values out."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from posting.chart import category_code
from posting.drafting_rules import Ruling
from posting.drafting_tax import Expense, learned_expense, net_part, printed_tax_group, taxed_lines
from posting.drafting_values import (ROUNDING_LIMIT, ZERO, CannotDraft, Counterparty, DocumentFacts, DraftLine,
                                     DraftVoucher, Ledger, amount_of, posting, required_total, rounding_lines,
                                     voucher_currency, voucher_date)
from posting.rules.matching import Rule
from posting.suggestions.knn import NO_SUGGESTIONS, Suggestion, Suggestions

NO_EMPLOYEE = ("no employee was found: give the document the employee_id or employee_name of an employee of the "
               "master, or upload it as the employee's user")


def draft_receipt(facts: DocumentFacts, ledger: Ledger, employee: Counterparty | None,
                  rules: Sequence[Rule] = (), suggestions: Suggestions = NO_SUGGESTIONS) -> DraftVoucher:
    """Debit the learned or the category's expense (net) and input VAT, credit the employee who paid (total)."""
    total, tax = required_total(facts), facts.amount("tax_amount")
    description = f"Receipt from {facts.text('merchant_name', 'unknown merchant')}"
    expense = learned_expense(ledger, suggestions.get(None),
                              category_expense(ledger, facts.value("category"), employee, "category"))
    parts = Ruling.of(facts, ledger, employee, rules).parts([net_part(facts, total, tax, description)], expense)
    lines = taxed_lines(parts, [printed_tax_group(facts, tax)], facts, ledger, expense)
    return _voucher(facts, ledger, description, lines, employee, total)


def draft_claim(facts: DocumentFacts, ledger: Ledger, employee: Counterparty | None,
                rules: Sequence[Rule] = (), suggestions: Suggestions = NO_SUGGESTIONS) -> DraftVoucher:
    """Debit each item's learned or category expense, credit the employee (total); one line for the total when the
    items do not make it."""
    total = required_total(facts)
    currency = voucher_currency(facts, ledger.base_currency)
    amounts = _item_amounts(facts, currency)
    description = f"Expense claim{_of(facts, employee)}: {facts.text('purpose', 'no purpose given')}"[:500]
    ruling = Ruling.of(facts, ledger, employee, rules)
    if amounts and abs(sum(amounts, ZERO) - total) <= ROUNDING_LIMIT:
        lines = [_item_line(facts, ruling, employee, index, amount, suggestions.get(index))
                 for index, amount in enumerate(amounts)]
        lines += rounding_lines(facts, lines, total)
    else:
        note = f"the {len(amounts)} items add up to {sum(amounts, ZERO)}, not the total; " if amounts else ""
        expense = learned_expense(ledger, suggestions.get(None), category_expense(ledger, None, employee, "category"))
        expense = ruling.expense_for(None, total, expense)
        lines = [expense.line(total, description=description, what=f"{note}total_amount {total}",
                              source=facts.source("total_amount"))]
    return _voucher(facts, ledger, description, lines, employee, total)


def category_expense(ledger: Ledger, category: Any, employee: Counterparty | None, named: str) -> Expense:
    """The account that names the spending ``category`` (as the field ``named`` gives it), else the expense role's;
    the employee's cost centre."""
    cost_centre = employee.cost_centre_code if employee else None
    code = category_code(str(category)) if category not in (None, "") else None
    account = ledger.for_category(code) if code else None
    if account is not None:
        return Expense(f"{named} {code}: to {account.code} {account.name}", account_code=account.code,
                       cost_centre_code=cost_centre)
    why = f"no account takes the {named} {code}" if code else f"no {named}"
    return Expense(f"{why}: to the chart's expense account", cost_centre_code=cost_centre)


def _item_amounts(facts: DocumentFacts, currency: str) -> list[Decimal]:
    """The items' amounts; [] when an item has none. An item in another currency than the claim's cannot be
    drafted (no rate converts one item)."""
    for number, item in enumerate(facts.items, start=1):
        spent = str(item.get("currency") or currency).strip().upper()
        if spent != currency:
            raise CannotDraft(f"item {number} of the claim is in {spent}, the claim in {currency}: enter the item's "
                              f"amount in {currency} (as reimbursed), or claim it separately")
    amounts = [amount_of(item.get("amount")) for item in facts.items]
    return [] if None in amounts else amounts


def _item_line(facts: DocumentFacts, ruling: Ruling, employee: Counterparty | None, index: int, amount: Decimal,
               suggestion: Suggestion | None) -> DraftLine:
    item = facts.items[index]
    expense = category_expense(ruling.ledger, item.get("category"), employee, f"item {index + 1}'s category")
    expense = ruling.expense_for(index, amount, learned_expense(ruling.ledger, suggestion, expense))
    spent = f" on {item['date']}" if item.get("date") else ""
    description = str(item.get("description") or item.get("category") or f"Item {index + 1}").strip()[:500]
    return expense.line(amount, description=description, what=f"item {index + 1}: amount {amount}{spent}",
                        source=facts.item_source([index], "amount"))


def _voucher(facts: DocumentFacts, ledger: Ledger, description: str, lines: list[DraftLine],
             employee: Counterparty | None, total: Decimal) -> DraftVoucher:
    lines = [*lines, _employee_payable(facts, employee, total)]
    return DraftVoucher(voucher_date(facts), voucher_currency(facts, ledger.base_currency), description, tuple(lines))


def _employee_payable(facts: DocumentFacts, employee: Counterparty | None, total: Decimal) -> DraftLine:
    name = employee.name if employee else "the employee"
    whose = employee.found_by if employee else NO_EMPLOYEE
    return posting("employee_payable", -total, description=f"Owed to {name}", source=facts.source("total_amount"),
                   reason=f"total_amount {total} paid by {name}, to be paid back ({whose})")


def _of(facts: DocumentFacts, employee: Counterparty | None) -> str:
    name = employee.name if employee else facts.text("employee_name", "")
    return f" of {name}" if name else ""
