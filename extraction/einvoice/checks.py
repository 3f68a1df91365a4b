"""Do an e-invoice's numbers add up? The EN 16931 calculation rules (BR-CO-10 to BR-CO-17, the taxable amount
per VAT rate, each line's net amount) and decimals (BR-DEC), each failure named with its rule and its numbers,
after what the reader found wrong with the file (``EInvoice.violations``). Pure: an ``EInvoice`` in, issues out.

A rule is checked only where the document states the amounts it relates: a MINIMUM profile without lines is
not faulted for lines it need not carry (it is flagged as incomplete instead, by the required fields)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from core.money import round_money
from extraction.einvoice.model import EInvoice, InvoiceLine, TaxSubtotal, net_adjustment
from extraction.model import Issue

RATE_TOLERANCE = Decimal("0.01")
"""VAT computed from a rate may differ by a cent from the stated amount (rounding per line or per document)."""

REQUIRED_FIELDS = {"invoice_number": "BR-02", "invoice_date": "BR-03", "currency": "BR-05", "vendor_name": "BR-06",
                   "total_amount": "BR-14"}
"""Fields every e-invoice must state before it can be booked, with the EN 16931 rule that asks for them."""


LINE_NET_RULE = "line-net-amount"
"""A line's net amount is its quantity times its net price, plus its charges, less its allowances. EN 16931 states
this as the meaning of BT-131 rather than as a numbered rule; validators (Mustang, KoSIT's) check it."""
SUM_RULES = ("BR-CO-", "BR-S-", LINE_NET_RULE)
"""The rules (by name or prefix) that say the numbers do not add up."""
DECIMAL_SYNTAXES = ("UBL", "CII")
"""The EN 16931 syntaxes, whose amounts have at most two decimals (the BR-DEC rules)."""
LINE_TOLERANCE = Decimal("0.01")
"""Quantity times a price of four decimals may round a cent either way."""


def check_einvoice(einvoice: EInvoice) -> list[Issue]:
    """Every rule the e-invoice breaks: what was found while reading it, missing fields, sums that do not add up
    and amounts with too many decimals."""
    return [*einvoice.violations, *_missing_fields(einvoice), *_sum_rules(einvoice),
            *_rate_rules(einvoice.tax_subtotals), *_taxable_per_rate(einvoice), *_line_rules(einvoice.lines),
            *_decimal_rules(einvoice)]


def is_sum_rule(rule: str) -> bool:
    return rule.startswith(SUM_RULES)


def _missing_fields(einvoice: EInvoice) -> list[Issue]:
    return [Issue(rule, "warning", f"{rule}: the e-invoice does not state its {name}")
            for name, rule in REQUIRED_FIELDS.items() if not einvoice.values.get(name)]


def _sum_rules(einvoice: EInvoice) -> list[Issue]:
    totals, lines = einvoice.totals, einvoice.lines
    allowances = [a.amount for a in einvoice.allowances_charges if not a.is_charge]
    charges = [a.amount for a in einvoice.allowances_charges if a.is_charge]
    tax_amounts = [s.tax_amount for s in einvoice.tax_subtotals if s.tax_amount is not None]
    line_amounts = [line.amount for line in lines if line.amount is not None]
    line_net = totals.line_net if totals.line_net is not None else (_sum(line_amounts) if line_amounts else None)
    checks = [
        ("BR-CO-10", "the sum of the line net amounts", line_net if line_amounts else None, line_amounts),
        ("BR-CO-11", "the sum of the allowances", totals.allowances if allowances else None, allowances),
        ("BR-CO-12", "the sum of the charges", totals.charges if charges else None, charges),
        ("BR-CO-14", "the VAT total", totals.tax if tax_amounts else None, tax_amounts),
    ]
    issues = [_sum_issue(rule, what, stated, parts) for rule, what, stated, parts in checks if stated is not None]
    issues += _total_rules(einvoice, line_net)
    return [issue for issue in issues if issue is not None]


def _sum_issue(rule: str, what: str, stated: Decimal, parts: list[Decimal]) -> Issue | None:
    computed = _sum(parts)
    if round_money(stated) == round_money(computed):
        return None
    shown = " + ".join(str(part) for part in parts)
    return _broken(rule, f"{what} is stated as {stated}, but {shown} = {computed}")


def _total_rules(einvoice: EInvoice, line_net: Decimal | None) -> list[Issue | None]:
    t = einvoice.totals
    allowances, charges = t.allowances or Decimal(0), t.charges or Decimal(0)
    return [
        _equation("BR-CO-13", "the total without VAT", t.without_tax, (line_net, -allowances, charges),
                  f"line net {line_net} - allowances {allowances} + charges {charges}"),
        _equation("BR-CO-15", "the total with VAT", t.with_tax, (t.without_tax, t.tax),
                  f"total without VAT {t.without_tax} + VAT {t.tax}"),
        _equation("BR-CO-16", "the amount due", t.due,
                  (t.with_tax, -(t.prepaid or 0), t.rounding or 0, t.third_party or 0),
                  f"total with VAT {t.with_tax} - paid {t.prepaid or 0} + rounding {t.rounding or 0}"
                  + (f" + third-party payments {t.third_party}" if t.third_party else "")),
    ]


def _equation(rule: str, what: str, stated: Decimal | None, terms: tuple, shown: str) -> Issue | None:
    """``stated`` must equal the sum of ``terms``; unchecked when any of them is not stated."""
    if stated is None or any(term is None for term in terms):
        return None
    computed = _sum(terms)
    if round_money(stated) == round_money(computed):
        return None
    return _broken(rule, f"{what} is stated as {stated}, but {shown} = {computed}")


def _rate_rules(subtotals: Iterable[TaxSubtotal]) -> list[Issue]:
    """BR-CO-17: each VAT amount is its taxable amount times its rate, rounded to the cent."""
    issues = []
    for s in subtotals:
        if None in (s.rate, s.taxable_amount, s.tax_amount):
            continue
        expected = round_money(s.taxable_amount * s.rate / 100)
        if abs(expected - s.tax_amount) > RATE_TOLERANCE:
            issues.append(_broken("BR-CO-17", f"VAT at {s.rate}% on {s.taxable_amount} is {expected}, but the "
                                              f"document states {s.tax_amount}"))
    return issues


def _taxable_per_rate(einvoice: EInvoice) -> list[Issue]:
    """BR-S-08 and its kin: the taxable amount of each VAT rate is the net of the lines at that rate, less the
    allowances and plus the charges at that rate (checked when every line states its rate)."""
    lines = einvoice.lines
    if not lines or any(line.tax_rate is None or line.amount is None for line in lines):
        return []
    issues = []
    for s in einvoice.tax_subtotals:
        if s.rate is None or s.taxable_amount is None:
            continue
        computed = _sum(line.amount for line in lines if line.tax_rate == s.rate) + _adjustments_at(einvoice, s.rate)
        if round_money(computed) != round_money(s.taxable_amount):
            issues.append(_broken("BR-S-08", f"the taxable amount at {s.rate}% is stated as {s.taxable_amount}, "
                                             f"but the lines, allowances and charges at that rate give {computed}"))
    return issues


def _adjustments_at(einvoice: EInvoice, rate: Decimal) -> Decimal:
    return net_adjustment(a for a in einvoice.allowances_charges if a.tax_rate == rate)


def _line_rules(lines: Iterable[InvoiceLine]) -> list[Issue]:
    """Each line's net amount against its quantity, net price, charges and allowances, where all are stated."""
    issues = []
    for number, line in enumerate(lines, start=1):
        if None in (line.quantity, line.unit_price, line.amount):
            continue
        computed = line.quantity * line.unit_price + line.adjustments
        if abs(round_money(computed) - line.amount) > LINE_TOLERANCE:
            shown = f"{line.quantity} x {line.unit_price}" + (f" + {line.adjustments}" if line.adjustments else "")
            issues.append(_broken(LINE_NET_RULE, f"line {number}'s net amount is stated as {line.amount}, "
                                                 f"but {shown} = {round_money(computed)}"))
    return issues


def _decimal_rules(einvoice: EInvoice) -> list[Issue]:
    """BR-DEC: document amounts, VAT breakdown, allowances and charges and line net amounts have two decimals
    at most."""
    if einvoice.syntax not in DECIMAL_SYNTAXES:
        return []
    return [Issue(rule, "warning", f"{rule}: {what} is {value}, with more than two decimals")
            for rule, what, value in _stated_amounts(einvoice) if value is not None and _decimals(value) > 2]


def _stated_amounts(einvoice: EInvoice) -> Iterable[tuple[str, str, Decimal | None]]:
    t = einvoice.totals
    yield from (("BR-DEC-09", "the sum of line net amounts", t.line_net),
                ("BR-DEC-10", "the allowance total", t.allowances),
                ("BR-DEC-11", "the charge total", t.charges), ("BR-DEC-12", "the total without VAT", t.without_tax),
                ("BR-DEC-13", "the VAT total", t.tax), ("BR-DEC-14", "the total with VAT", t.with_tax),
                ("BR-DEC-16", "the paid amount", t.prepaid), ("BR-DEC-17", "the rounding amount", t.rounding),
                ("BR-DEC-18", "the amount due", t.due))
    for s in einvoice.tax_subtotals:
        yield "BR-DEC-19", f"the taxable amount at {s.rate}%", s.taxable_amount
        yield "BR-DEC-20", f"the VAT at {s.rate}%", s.tax_amount
    for a in einvoice.allowances_charges:
        yield ("BR-DEC-05", "a charge", a.amount) if a.is_charge else ("BR-DEC-01", "an allowance", a.amount)
    for number, line in enumerate(einvoice.lines, start=1):
        yield "BR-DEC-23", f"line {number}'s net amount", line.amount


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _broken(rule: str, detail: str) -> Issue:
    return Issue(rule, "error", f"{rule}: {detail}")


def _sum(values: Iterable[Decimal | int]) -> Decimal:
    return sum((Decimal(value) for value in values), Decimal(0))
