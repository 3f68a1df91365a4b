"""Checks on extracted field values, for every document type. Plain values in, a list of issues out; never raises.

``validate(doc_type, values, today)`` judges invoices, receipts, contracts and expense claims (other types have no
rules here). ``values`` are the fields' plain values as stored (amounts as decimal strings, ISO dates), and may also
hold ``line_items`` (invoices and receipts), ``items`` (expense claims) and ``total_amount_in_words`` (the 大写 total
of a Chinese invoice, where the reader found it). The rule families:

- ``required``: the fields a type cannot do without (a missing total is an error, the others warnings).
- amounts: ``amount_format`` (not a number), ``negative_total`` (an invoice: a credit note?), ``implausible_amount``
  (a negative receipt, claim or contract value; anything from 10^12 on).
- sums, each with its tolerance in the message: ``totals_add_up`` (subtotal + tax (+ tip) = total, 0.01),
  ``tax_rate`` (tax = base x rate, 0.05), ``line_items_sum`` (the lines add up to the subtotal or the total, 0.01
  a line), ``items_sum`` (an expense claim's items add up to its total, 0.01), ``capital_amount`` (the 大写 total
  reads the figure).
- dates: ``implausible_date`` (before 1900, or far ahead), ``date_in_future`` (an issue date after today),
  ``due_before_issue``, ``period_end_before_start``, ``expiration_before_effective``, ``item_outside_period``.
- ``currency``: missing (the base currency is assumed) or not an ISO 4217 code.
- ``tax_id``, ``iban``, ``bic``: ``extraction.identifiers.identifier_issues``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from core.money import ISO_CURRENCY_CODES, decimal_value, round_money
from extraction.identifiers import identifier_issues
from extraction.model import Issue
from extraction.normalize import chinese_capital_amount

TOLERANCE = Decimal("0.01")
"""How far a sum may be from its total (one cent of rounding)."""
TAX_TOLERANCE = Decimal("0.05")
"""How far the tax may be from base x rate (rounding per line adds up)."""
LINE_TOLERANCE = Decimal("0.01")
"""How far the line items' sum may be from the subtotal, per line."""
MAX_AMOUNT = Decimal(10) ** 12
"""No document this system reads carries an amount this large (even in VND or IDR): digits were read together."""
EARLIEST_DATE = date(1900, 1, 1)
YEARS_AHEAD = 10
"""A date further ahead than this is a misreading (a contract's expiration may be a century ahead)."""
CONTRACT_YEARS_AHEAD = 100
NEGATIVE_REASONS = {
    "receipt": "a receipt records money paid (a refund comes with a receipt of its own)",
    "expense_claim": "a claim asks for money back, never for less than nothing",
    "contract": "a contract's value is what it is worth, never less than nothing",
}


@dataclass(frozen=True)
class TypeRules:
    """What is checked on one document type."""

    required: tuple[str, ...]
    total: str
    amounts: tuple[str, ...]
    dates: tuple[str, ...]
    issue_dates: tuple[str, ...] = ()
    """Dates that say when the document was made or the money spent: never after today."""
    date_pairs: tuple[tuple[str, str, str], ...] = ()
    """``(earlier, later, rule)``: the later date may not come before the earlier one."""
    negative_total_is_credit: bool = False


INVOICE = TypeRules(
    required=("invoice_number", "invoice_date", "vendor_name", "total_amount"), total="total_amount",
    amounts=("subtotal", "tax_amount", "total_amount"), dates=("invoice_date", "due_date"),
    issue_dates=("invoice_date",), date_pairs=(("invoice_date", "due_date", "due_before_issue"),),
    negative_total_is_credit=True)
RECEIPT = TypeRules(
    required=("merchant_name", "transaction_date", "total_amount"), total="total_amount",
    amounts=("subtotal", "tax_amount", "tip", "total_amount"), dates=("transaction_date",),
    issue_dates=("transaction_date",))
CONTRACT = TypeRules(
    required=("title", "effective_date"), total="total_value", amounts=("total_value",),
    dates=("effective_date", "expiration_date"),
    date_pairs=(("effective_date", "expiration_date", "expiration_before_effective"),))
EXPENSE_CLAIM = TypeRules(
    required=("employee_name", "total_amount"), total="total_amount", amounts=("total_amount",),
    dates=("period_start", "period_end"), issue_dates=("period_start", "period_end"),
    date_pairs=(("period_start", "period_end", "period_end_before_start"),))
RULES_BY_TYPE = {"invoice": INVOICE, "receipt": RECEIPT, "contract": CONTRACT, "expense_claim": EXPENSE_CLAIM}
REQUIRED_INVOICE_FIELDS = INVOICE.required

VALUE_RULES = frozenset({
    "required", "currency", "amount_format", "negative_total", "implausible_amount", "totals_add_up", "tax_rate",
    "line_items_sum", "items_sum", "capital_amount", "implausible_date", "date_in_future", "due_before_issue",
    "period_end_before_start", "expiration_before_effective", "item_outside_period", "tax_id", "iban", "bic",
})
"""The rules judged from the field values alone (``revalidated``). Any other issue is about the file itself (an
e-invoice's schema and sums, a page that could not be read) or about other documents (a likely duplicate), and
stays true when a person corrects a field."""


def validate(doc_type: str | None, values: dict[str, Any], today: date) -> list[Issue]:
    """Issues with a document's field values (plain values, as stored); none for a type without rules."""
    rules = RULES_BY_TYPE.get(doc_type or "")
    if rules is None:
        return []
    return [*_required(rules, values), *_amount_issues(rules, doc_type, values), *_sum_issues(doc_type, values),
            *check_dates(values, today, doc_type), *_currency_issues(rules, values), *identifier_issues(values)]


def item_values(doc_type: str | None, items: list[dict[str, Any]]) -> dict[str, Any]:
    """A document's items as ``validate`` reads them: ``items`` for an expense claim, ``line_items`` for the other
    types; nothing when there are none."""
    if not items:
        return {}
    return {"items" if doc_type == "expense_claim" else "line_items": items}


def validate_invoice(values: dict[str, Any], today: date) -> list[Issue]:
    """Issues with an invoice's field values: ``validate("invoice", ...)``."""
    return validate("invoice", values, today)


def revalidated(values: dict[str, Any], previous: list[dict[str, str]], today: date,
                doc_type: str | None = "invoice") -> list[dict[str, str]]:
    """The issues of a corrected version: the value rules judged again on ``values``, and the earlier version's
    issues about the file itself, carried over."""
    about_the_file = [issue for issue in previous if issue.get("rule") not in VALUE_RULES]
    return [*about_the_file, *(issue.as_json() for issue in validate(doc_type, values, today))]


def _required(rules: TypeRules, values: dict[str, Any]) -> list[Issue]:
    return [Issue("required", "error" if name == rules.total else "warning", f"{name} was not found")
            for name in rules.required if values.get(name) in (None, "", [])]


def _amount_issues(rules: TypeRules, doc_type: str, values: dict[str, Any]) -> list[Issue]:
    """Amounts that are not numbers, negative where they cannot be, or too large to be real."""
    issues = [Issue("amount_format", "error", f"{name} {values.get(name)!r} is not an amount")
              for name in rules.amounts if values.get(name) not in (None, "") and decimal_value(values.get(name)) is None]
    issues += [Issue("implausible_amount", "error", f"{name} {amount} is {_too_large(amount)}")
               for name in rules.amounts if (amount := decimal_value(values.get(name))) is not None
               and abs(amount) >= MAX_AMOUNT]
    total = decimal_value(values.get(rules.total))
    if total is not None and total < 0:
        issues.append(_negative_total(rules, doc_type, total))
    return issues


def _too_large(amount: Decimal) -> str:
    return (f"{'below -' if amount < 0 else 'at least '}{MAX_AMOUNT:,.0f}, more than any document carries: "
            "digits were probably read together; check it against the document")


def _negative_total(rules: TypeRules, doc_type: str, total: Decimal) -> Issue:
    if rules.negative_total_is_credit:
        return Issue("negative_total", "warning", f"the total {total} is negative: is this a credit note?")
    return Issue("implausible_amount", "error", f"{rules.total} {total} is negative: {NEGATIVE_REASONS[doc_type]}; "
                                               "check the sign")


def _sum_issues(doc_type: str, values: dict[str, Any]) -> list[Issue]:
    if doc_type in ("invoice", "receipt"):
        return [*_totals_add_up(doc_type, values), *_tax_rate(doc_type, values), *_line_items_sum(values),
                *_capital_amount(values)]
    if doc_type == "expense_claim":
        return _items_sum(values)
    return []


def _totals_add_up(doc_type: str, values: dict[str, Any]) -> list[Issue]:
    """subtotal + tax (+ tip) = total; a receipt whose subtotal already includes the tax may also say
    subtotal (+ tip) = total."""
    subtotal, tax, total = (decimal_value(values.get(k)) for k in ("subtotal", "tax_amount", "total_amount"))
    tip = (decimal_value(values.get("tip")) if doc_type == "receipt" else None) or Decimal(0)
    if None in (subtotal, tax, total):
        return []
    if abs(subtotal + tax + tip - total) <= TOLERANCE:
        return []
    if doc_type == "receipt" and abs(subtotal + tip - total) <= TOLERANCE:
        return []  # prices including tax: the tax is shown, not added
    tipped = f" + tip {tip}" if tip else ""
    return [Issue("totals_add_up", "error", f"subtotal {subtotal} + tax {tax}{tipped} = {subtotal + tax + tip}, but "
                                            f"the total is {total} (a difference of "
                                            f"{abs(subtotal + tax + tip - total)}; {TOLERANCE} is allowed)")]


def _tax_rate(doc_type: str, values: dict[str, Any]) -> list[Issue]:
    """tax = subtotal x rate; for a receipt, the tax may also be the part of a subtotal that includes it."""
    subtotal, tax, rate = (decimal_value(values.get(k)) for k in ("subtotal", "tax_amount", "tax_rate"))
    if None in (subtotal, tax, rate):
        return []
    expected = subtotal * rate / 100
    if abs(expected - tax) <= TAX_TOLERANCE:
        return []
    if doc_type == "receipt" and rate > -100 and abs(subtotal * rate / (100 + rate) - tax) <= TAX_TOLERANCE:
        return []
    return [Issue("tax_rate", "warning", f"{rate}% of {subtotal} is {round_money(expected)}, not the tax {tax} "
                                         f"({TAX_TOLERANCE} is allowed for rounding)")]


def _line_items_sum(values: dict[str, Any]) -> list[Issue]:
    """The lines' amounts add up to the subtotal (net lines) or to the total (lines that include the tax)."""
    amounts = _item_amounts(values.get("line_items"))
    targets = [(name, amount) for name in ("subtotal", "total_amount")
               if (amount := decimal_value(values.get(name))) is not None]
    if not amounts or not targets:
        return []
    lines_sum, allowed = sum(amounts, Decimal(0)), LINE_TOLERANCE * len(amounts)
    if any(abs(lines_sum - amount) <= allowed for _, amount in targets):
        return []
    name, amount = targets[0]
    return [Issue("line_items_sum", "warning", f"the {len(amounts)} line items add up to {lines_sum}, but the "
                                               f"{name} is {amount} ({allowed} is allowed, {LINE_TOLERANCE} a line)")]


def _items_sum(values: dict[str, Any]) -> list[Issue]:
    """An expense claim's items add up to its total (checked when every item is in the claim's currency)."""
    items, total = values.get("items"), decimal_value(values.get("total_amount"))
    amounts = _item_amounts(items)
    if not amounts or total is None or _foreign_items(items, values.get("currency")):
        return []
    items_sum = sum(amounts, Decimal(0))
    if abs(items_sum - total) <= TOLERANCE:
        return []
    return [Issue("items_sum", "error", f"the {len(amounts)} items add up to {items_sum}, but the claim's total is "
                                        f"{total} ({TOLERANCE} is allowed)")]


def _item_amounts(items: Any) -> list[Decimal]:
    """The amounts of the items that have one; an item whose amount was stored as a field keeps it in ``value``."""
    if not isinstance(items, list):
        return []
    raw = [item.get("amount") for item in items if isinstance(item, dict)]
    raw = [value.get("value") if isinstance(value, dict) else value for value in raw]
    return [amount for value in raw if (amount := decimal_value(value)) is not None]


def _foreign_items(items: list[Any], currency: Any) -> bool:
    return any(isinstance(item, dict) and item.get("currency") not in (None, "", currency) for item in items)


def _capital_amount(values: dict[str, Any]) -> list[Issue]:
    """The 大写 total of a Chinese invoice reads the same amount as the figure."""
    words, total = values.get("total_amount_in_words"), decimal_value(values.get("total_amount"))
    if not words or total is None:
        return []
    amount = chinese_capital_amount(str(words))
    if amount is None:
        return [Issue("capital_amount", "warning", f"the amount in words {words!r} could not be read as an amount; "
                                                   f"check it against the total {total}")]
    if amount == total:
        return []
    return [Issue("capital_amount", "error", f"the amount in words {words!r} is {amount:.2f}, but the total in "
                                             f"figures is {total}")]


def check_dates(values: dict[str, Any], today: date, doc_type: str | None = "invoice") -> list[Issue]:
    """Dates that cannot be right: before 1900 or far ahead, issued after today, or in the wrong order."""
    rules = RULES_BY_TYPE.get(doc_type or "")
    if rules is None:
        return []
    issues = [issue for name in rules.dates if (issue := _date_issue(name, values, today, doc_type))]
    for earlier, later, rule in rules.date_pairs:
        first, second = _date(values.get(earlier)), _date(values.get(later))
        if first and second and second < first:
            issues.append(Issue(rule, "warning", f"the {_label(later)} {second} is before the {_label(earlier)} "
                                                 f"{first}"))
    if doc_type == "expense_claim":
        issues += _items_outside_period(values)
    return issues


def _date_issue(name: str, values: dict[str, Any], today: date, doc_type: str) -> Issue | None:
    value = _date(values.get(name))
    if value is None:
        return None
    years = CONTRACT_YEARS_AHEAD if doc_type == "contract" else YEARS_AHEAD
    if value < EARLIEST_DATE:
        return Issue("implausible_date", "error", f"the {_label(name)} {value} is before 1900: it was misread")
    if value > _years_after(today, years):
        return Issue("implausible_date", "warning", f"the {_label(name)} {value} is more than {years} years "
                                                    "ahead: it was probably misread")
    if name in RULES_BY_TYPE[doc_type].issue_dates and value > today:
        return Issue("date_in_future", "warning", f"the {_label(name)} {value} is in the future")
    return None


def _items_outside_period(values: dict[str, Any]) -> list[Issue]:
    start, end, items = _date(values.get("period_start")), _date(values.get("period_end")), values.get("items")
    if not isinstance(items, list) or not (start or end):
        return []
    dated = [(index, spent) for index, item in enumerate(items, start=1)
             if isinstance(item, dict) and (spent := _date(item.get("date")))]
    return [Issue("item_outside_period", "warning", f"item {index} is dated {spent}, outside the claim's period "
                                                    f"{start or '...'} to {end or '...'}")
            for index, spent in dated if (start and spent < start) or (end and spent > end)]


def _currency_issues(rules: TypeRules, values: dict[str, Any]) -> list[Issue]:
    currency = values.get("currency")
    if not currency:
        needed = rules is not CONTRACT or values.get("total_value") not in (None, "")
        return [Issue("currency", "warning", "no currency was found; the company's base currency is assumed")
                ] if needed else []
    if str(currency).strip().upper() in ISO_CURRENCY_CODES:
        return []
    return [Issue("currency", "error", f"the currency {currency!r} is not an ISO 4217 code (such as EUR, USD or CNY)")]


def _label(name: str) -> str:
    """``due_date`` as "due date", ``invoice_date`` as "invoice date"."""
    return name.replace("_", " ")


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None

