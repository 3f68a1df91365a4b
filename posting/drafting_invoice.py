"""An invoice's voucher: expense (or asset) lines per line item, else per entry of an e-invoice's VAT breakdown, else
one for the net amount; input VAT by tax code (``drafting_tax``); the vendor's payable for the total. A credit note (a
negative total, or an e-invoice whose document kind is a credit note) is drafted with the same rules, on the other
sides. Pure: values in, values out.

Line items are used when each has an amount and together they make the net amount (the subtotal, else the total
less the tax) within ``ROUNDING_LIMIT``; a VAT breakdown when its entries and their tax make the total. A cent or two
left by tax rounded per line or per rate goes to a rounding line.

Each expense line goes where the posting rules that decide it say (``drafting_rules``), else to the vendor's default
account, else to the chart's expense account.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal

from core.money import round_money
from posting.drafting_rules import Ruling
from posting.drafting_tax import (Expense, Part, TaxGroup, learned_expense, net_part, printed_tax_group, taxed_lines,
                                  to_account)
from posting.drafting_values import (ROUNDING_LIMIT, ZERO, Counterparty, DocumentFacts, DraftLine, DraftVoucher,
                                     Ledger, Source, amount_of, decimal_of, percent, posting, required_total,
                                     rounding_lines, voucher_currency, voucher_date)
from posting.rules.matching import Rule
from posting.suggestions.knn import NO_SUGGESTIONS, Suggestions

CREDIT_NOTE_KIND = "credit_note"
"""The ``document_kind`` of an e-invoice whose type is a credit note (UBL CreditNote, type code 381 ...)."""

Found = tuple[list[Part], list[TaxGroup]] | str
"""What a way of splitting the net amount found: its parts and tax groups, or why it does not apply ("": no data)."""


def draft_invoice(facts: DocumentFacts, ledger: Ledger, vendor: Counterparty | None,
                  rules: Sequence[Rule] = (), suggestions: Suggestions = NO_SUGGESTIONS) -> DraftVoucher:
    """Debit expense (net) and input VAT, credit the vendor's payable (total); the reverse for a credit note. Where
    the vendor has no default account, each expense line goes to the account ``suggestions`` has for it; a rule that
    decides a line comes before both."""
    printed = required_total(facts)
    credit_note = printed < 0 or facts.value("document_kind") == CREDIT_NOTE_KIND
    sign = Decimal(-1) if credit_note and printed > 0 else Decimal(1)
    total = printed * sign
    description = f"{'Credit note' if credit_note else 'Invoice'} {facts.text('invoice_number', 'without number')} " \
                  f"from {_vendor_name(facts, vendor)}"
    ruling = Ruling.of(facts, ledger, vendor, rules)
    lines = _expense_and_tax(facts, ruling, vendor_expense(ledger, vendor), total, sign, description, suggestions)
    lines.append(_payable(facts, vendor, total))
    if credit_note:
        lines = [_on_the_other_side(line) for line in lines]
    return DraftVoucher(voucher_date(facts), voucher_currency(facts, ledger.base_currency), description, tuple(lines))


def vendor_expense(ledger: Ledger, vendor: Counterparty | None) -> Expense:
    """The vendor's default account when it is active (an asset account gives asset lines), else the chart's
    expense account; the vendor's cost centre either way."""
    cost_centre = vendor.cost_centre_code if vendor else None
    account = ledger.active(vendor.default_account_code) if vendor else None
    if account is None:
        return Expense("to the chart's expense account", cost_centre_code=cost_centre)
    return to_account(account, f"to {account.code} {account.name}, the vendor's default account", cost_centre)


def _expense_and_tax(facts: DocumentFacts, ruling: Ruling, expense: Expense, total: Decimal, sign: Decimal,
                     description: str, suggestions: Suggestions) -> list[DraftLine]:
    """Lines by line item, else by VAT breakdown entry, else for the net amount, each where its rules send it
    (else to ``expense``); each way not taken says why in the reason of the lines of the next."""
    tax = _times(facts.amount("tax_amount"), sign)
    notes: list[str] = []
    for split in (_by_line_item, _by_breakdown):
        found = split(facts, total, tax, sign, description)
        if isinstance(found, str):
            notes += [found] if found else []
            continue
        parts, groups = found
        lines = taxed_lines(_placed(parts, ruling, expense, suggestions), groups, facts, ruling.ledger, expense)
        if abs(total - sum((line.amount for line in lines), ZERO)) <= ROUNDING_LIMIT:
            return lines + rounding_lines(facts, lines, total)
        notes.append(f"the {_what(split)} and their tax make {sum((line.amount for line in lines), ZERO)}, not "
                     f"the total_amount {total}")
    note = f"{'; '.join(notes)}, so one line for the net amount: " if notes else ""
    net = _placed([net_part(facts, total, tax, description, note)], ruling, expense, suggestions)
    return taxed_lines(net, [printed_tax_group(facts, tax)], facts, ruling.ledger, expense)


def _placed(parts: list[Part], ruling: Ruling, expense: Expense, suggestions: Suggestions) -> list[Part]:
    """Each part where it goes: as the rules that decide it say, else to the account learned for it, else to
    ``expense``."""
    return ruling.parts(_learned(parts, ruling.ledger, expense, suggestions), expense)


def _learned(parts: list[Part], ledger: Ledger, expense: Expense, suggestions: Suggestions) -> list[Part]:
    """Each part to the account learned for its line item (or, for a net amount, for the invoice as one line),
    unless the expense lines' account was chosen already (the vendor's default account)."""
    if expense.account_code is not None:
        return parts
    return [replace(part, expense=learned_expense(ledger, suggestions.get(part.item), expense)) for part in parts]


def _what(split: Callable[..., Found]) -> str:
    return "line items" if split is _by_line_item else "entries of the VAT breakdown"


def _by_line_item(facts: DocumentFacts, total: Decimal, tax: Decimal | None, sign: Decimal,
                  description: str) -> Found:
    """One part per line item, in the tax group of its rate (else the invoice's rate)."""
    if not facts.items:
        return ""
    amounts = [amount_of(item.get("amount")) for item in facts.items]
    if None in amounts:
        return f"line item {amounts.index(None) + 1} has no amount"
    net, target = sum(amounts, ZERO) * sign, _net(facts, total, tax, sign)
    if target is not None and abs(net - target) > ROUNDING_LIMIT:
        return f"the {len(amounts)} line items add up to {net}, not the net amount {target}"
    parts = [_item_part(facts, index, amount * sign) for index, amount in enumerate(amounts)]
    return parts, _item_groups(facts, parts, tax, sign)


def _net(facts: DocumentFacts, total: Decimal, tax: Decimal | None, sign: Decimal) -> Decimal | None:
    """What the line items should make: the subtotal, else the total less the printed tax; None when the invoice
    prints neither (then the items and their tax must make the total)."""
    subtotal = facts.amount("subtotal")
    if subtotal is not None:
        return subtotal * sign
    return None if tax is None else total - tax


def _item_part(facts: DocumentFacts, index: int, amount: Decimal) -> Part:
    item = facts.items[index]
    rate = _item_rate(facts, index)
    at = f" at {percent(rate)} VAT" if rate is not None else ""
    return Part(amount, rate, str(item.get("description") or f"Line item {index + 1}").strip()[:500],
                f"line item {index + 1}: amount {amount}{at}", facts.item_source([index], "amount"), item=index)


def _item_rate(facts: DocumentFacts, index: int) -> Decimal | None:
    rate = decimal_of(facts.items[index].get("tax_rate"))
    return rate if rate is not None else decimal_of(facts.value("tax_rate"))


def _item_groups(facts: DocumentFacts, parts: list[Part], tax: Decimal | None, sign: Decimal) -> list[TaxGroup]:
    """The printed tax when the items have one rate; else per rate, the items' tax amounts or the rate of their
    net amount."""
    rates = list(dict.fromkeys(part.group for part in parts))
    if len(rates) == 1 and tax is not None:
        return [TaxGroup(rates[0], rates[0], tax, f"tax_amount {tax} printed on the invoice",
                         facts.source("tax_amount"))]
    return [_rate_group(facts, parts, rate, sign) for rate in rates]


def _rate_group(facts: DocumentFacts, parts: list[Part], rate: Decimal | None, sign: Decimal) -> TaxGroup:
    own = [index for index, part in enumerate(parts) if part.group == rate]
    numbers = f"line item{'s' * (len(own) > 1)} {', '.join(str(index + 1) for index in own)}"
    taxes = [amount_of(facts.items[index].get("tax_amount")) for index in own]
    if None not in taxes:
        return TaxGroup(rate, rate, sum(taxes, ZERO) * sign, f"the tax_amount of {numbers}",
                        facts.item_source(own, "tax_amount"))
    net = sum((parts[index].amount for index in own), ZERO)
    if rate is None:
        return TaxGroup(rate, rate, ZERO, f"no tax stated for {numbers}", facts.item_source(own, "amount"))
    return TaxGroup(rate, rate, round_money(net * rate / 100), f"{percent(rate)} of {net}, the net of {numbers}, "
                    "rounded half up", facts.item_source(own, "amount"))


def _by_breakdown(facts: DocumentFacts, total: Decimal, tax: Decimal | None, sign: Decimal,
                  description: str) -> Found:
    """One part per entry of an e-invoice's VAT breakdown (``vat_breakdown``: rate, taxable and tax amount)."""
    entries = facts.value("vat_breakdown")
    if not isinstance(entries, list) or not entries:
        return ""
    parts, groups = [], []
    for index, entry in enumerate(entries):
        taxable, rate = amount_of(entry.get("taxable_amount")), decimal_of(entry.get("rate"))
        if taxable is None:
            return f"entry {index + 1} of the VAT breakdown has no taxable amount"
        at = f" at {percent(rate)} VAT" if rate is not None else ""
        parts.append(Part(taxable * sign, index, f"{description}{at}",
                          f"vat_breakdown[{index}]: taxable amount {taxable * sign}{at}",
                          Source((f"vat_breakdown[{index}].taxable_amount",))))
        groups.append(_breakdown_group(entry, index, rate, sign))
    return parts, groups


def _breakdown_group(entry: dict, index: int, rate: Decimal | None, sign: Decimal) -> TaxGroup:
    tax = (amount_of(entry.get("tax_amount")) or ZERO) * sign
    return TaxGroup(index, rate, tax, f"vat_breakdown[{index}]: tax_amount {tax}",
                    Source((f"vat_breakdown[{index}].tax_amount",)))


def _payable(facts: DocumentFacts, vendor: Counterparty | None, total: Decimal) -> DraftLine:
    name = _vendor_name(facts, vendor)
    whose = f"{name} ({vendor.found_by})" if vendor else f"{name}, who is not in the vendor master"
    owed = "owed to" if total > 0 else "credited by"
    return posting("payable", -total, description=f"Payable to {name}", reason=f"total_amount {total} {owed} {whose}",
                   source=facts.source("total_amount"))


def _vendor_name(facts: DocumentFacts, vendor: Counterparty | None) -> str:
    return vendor.name if vendor else facts.text("vendor_name", "unknown vendor")


def _on_the_other_side(line: DraftLine) -> DraftLine:
    return replace(line, reason=f"{line.reason}; a credit note: the sides of an invoice, reversed")


def _times(amount: Decimal | None, sign: Decimal) -> Decimal | None:
    return None if amount is None else amount * sign
