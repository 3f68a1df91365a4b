"""A drafted voucher in the company's currency: each line's amount at the exchange rate of the voucher's date, and
a rounding line where converting line by line leaves the sides a cent apart. Pure: values in, values out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.money import round_money
from posting.drafting_values import ZERO, CannotDraft, DraftLine, DraftVoucher, RateUsed

RATES_API = "POST /api/v1/exchange-rates (one rate) or POST /api/v1/exchange-rates/import (a CSV or YAML file)"


def in_base_currency(draft: DraftVoucher, base_currency: str, rate: RateUsed | None) -> DraftVoucher:
    """``draft`` with each line's base-currency amounts; ``CannotDraft`` when it is in another currency and there
    is no ``rate``."""
    if draft.currency == base_currency:
        lines = tuple(replace(line, base_debit=line.debit, base_credit=line.credit) for line in draft.lines)
        return replace(draft, lines=lines, base_currency=base_currency, rate=None)
    if rate is None:
        raise CannotDraft(missing_rate(draft.currency, base_currency, draft.date))
    lines = [replace(line, base_debit=round_money(line.debit * rate.rate),
                     base_credit=round_money(line.credit * rate.rate)) for line in draft.lines]
    return replace(draft, lines=tuple(lines + _conversion_rounding(lines, rate)), base_currency=base_currency,
                   rate=rate)


def missing_rate(currency: str, base_currency: str, on: date) -> str:
    """What a person reads when a voucher in ``currency`` has no rate to the company's currency."""
    return (f"no {currency}->{base_currency} exchange rate on or before {on.isoformat()}, so the voucher cannot be "
            f"kept in {base_currency}; nothing was posted. Add the rate at {RATES_API}, then approve the document "
            "again")


def _conversion_rounding(lines: list[DraftLine], rate: RateUsed) -> list[DraftLine]:
    debit = sum((line.base_debit for line in lines), ZERO)
    credit = sum((line.base_credit for line in lines), ZERO)
    if debit == credit:
        return []
    gap = debit - credit
    return [DraftLine("rounding", ZERO, ZERO, "Rounding of the conversion",
                      f"each line converted at {rate.describe()} and rounded to the cent: the debits make {debit}, "
                      f"the credits {credit} {rate.to_currency}", "rounding",
                      base_debit=-gap if gap < 0 else ZERO, base_credit=gap if gap > 0 else ZERO)]
