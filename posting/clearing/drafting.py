"""The voucher that clears open items with a bank payment. Pure: values in, a balanced ``DraftVoucher`` out.

For a payment to vendors: each item's payable account is debited with what comes off the item, the bank account is
credited with what was paid, and a difference within the tolerance goes to its account: bank fees paid on top are
debited, an early-payment discount taken (or rounding) is credited. A refund of a credit note is the same with the
sides turned. Accounts left unnamed are the chart's accounts of the roles ``bank``, ``fee``, ``discount`` and
``rounding``.

In a foreign currency each payable is cleared at the rate its voucher was posted at, and the bank line and the
difference at the rate of the payment's day; what that leaves between the sides in the company's currency is an
exchange difference (role ``fx``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from core.money import round_money
from posting.drafting import with_accounts
from posting.drafting_currency import missing_rate
from posting.drafting_values import (ZERO, CannotDraft, DraftLine, DraftVoucher, Ledger, RateUsed, ensure_balanced,
                                     posting)

DIFFERENCES = {"fee": "Bank fees", "discount": "Early-payment discount", "rounding": "Rounding difference"}
"""The kinds of difference a payment may leave, each posted to the account of the role of its name."""


@dataclass(frozen=True)
class BankPayment:
    """A bank line that pays open items, and where its parts are posted."""

    day: date
    currency: str
    paid: Decimal
    """Signed as the items: positive for a payment to a vendor, negative for a refund received."""
    what: str
    """Which bank line it is, for the voucher's description: ``line 3 of statement STMT-1``."""
    reason: str
    """Why it pays these items (a match's reasons), for the lines' reasons."""
    bank_account_code: str | None = None
    difference_kind: str | None = None
    difference_account_code: str | None = None


@dataclass(frozen=True)
class Settlement:
    """What the payment takes off one open item."""

    item_id: str
    amount: Decimal
    """Signed as the item."""
    account_code: str
    """The item's payable account."""
    kind: str
    """``payable`` or ``employee_payable``."""
    reference: str | None
    counterparty: str
    booked_rate: Decimal | None = None
    """The rate the item's voucher was posted at (company currency per unit); None in the company's currency."""


def draft_clearing(payment: BankPayment, settlements: tuple[Settlement, ...], ledger: Ledger,
                   rate: RateUsed | None) -> DraftVoucher:
    """The balanced clearing voucher; ``CannotDraft`` (an account that is not active, a difference of no known kind,
    no rate for a foreign currency) and ``MissingAccounts`` before anything is written."""
    difference = sum((settlement.amount for settlement in settlements), ZERO) - payment.paid
    lines = [*(_settled(settlement, payment) for settlement in settlements),
             *_difference(payment, difference), _bank(payment)]
    _check_accounts(lines, ledger)
    draft = DraftVoucher(payment.day, payment.currency, f"Payment: {payment.what}", tuple(lines))
    draft = with_accounts(_in_base_currency(draft, settlements, ledger.base_currency, rate), ledger)
    ensure_balanced(draft.lines)
    return draft


def _settled(settlement: Settlement, payment: BankPayment) -> DraftLine:
    named = settlement.reference or "open item"
    return posting(settlement.kind, settlement.amount, account_code=settlement.account_code,
                   description=f"Payment of {named} ({settlement.counterparty})",
                   reason=f"{payment.what} pays {settlement.amount} of {named} of {settlement.counterparty}: "
                          f"{payment.reason}")


def _difference(payment: BankPayment, difference: Decimal) -> list[DraftLine]:
    if difference == 0:
        return []
    if payment.difference_kind not in DIFFERENCES:
        raise CannotDraft(f"the payment differs by {difference} from what it clears, and a difference is posted as "
                          f"one of {', '.join(DIFFERENCES)}, not {payment.difference_kind!r}")
    return [posting(payment.difference_kind, -difference, account_code=payment.difference_account_code,
                    description=DIFFERENCES[payment.difference_kind],
                    reason=f"{abs(payment.paid)} paid for {abs(payment.paid + difference)} cleared: the difference "
                           f"of {abs(difference)} is {DIFFERENCES[payment.difference_kind].lower()}")]


def _bank(payment: BankPayment) -> DraftLine:
    return posting("bank", -payment.paid, account_code=payment.bank_account_code, description=f"Bank: {payment.what}",
                   reason=f"{payment.what}: {abs(payment.paid)} {payment.currency} "
                          f"{'paid' if payment.paid > 0 else 'received'}")


def _check_accounts(lines: list[DraftLine], ledger: Ledger) -> None:
    """Accounts named for the bank and the difference must be active ones of the chart (a payable may be one that
    was deactivated since: it is cleared where it was booked)."""
    for line in lines:
        if line.kind in ("bank", *DIFFERENCES) and line.account_code and not ledger.active(line.account_code):
            raise CannotDraft(f"the account {line.account_code} set for {line.kind} lines is not an active account of "
                              "the chart; set another one in the reconciliation settings")


def _in_base_currency(draft: DraftVoucher, settlements: tuple[Settlement, ...], base_currency: str,
                      rate: RateUsed | None) -> DraftVoucher:
    """Each line in the company's currency: payables at their booked rate, the rest at ``rate``, and the exchange
    difference that leaves."""
    if draft.currency == base_currency:
        lines = tuple(replace(line, base_debit=line.debit, base_credit=line.credit) for line in draft.lines)
        return replace(draft, lines=lines, base_currency=base_currency)
    if rate is None:
        raise CannotDraft(missing_rate(draft.currency, base_currency, draft.date))
    rates = [settlement.booked_rate or rate.rate for settlement in settlements]
    rates += [rate.rate] * (len(draft.lines) - len(settlements))
    lines = [replace(line, base_debit=round_money(line.debit * line_rate),
                     base_credit=round_money(line.credit * line_rate)) for line, line_rate in zip(draft.lines, rates)]
    return replace(draft, lines=tuple(lines + _exchange_difference(lines, rate)), base_currency=base_currency,
                   rate=rate)


def _exchange_difference(lines: list[DraftLine], rate: RateUsed) -> list[DraftLine]:
    gap = sum((line.base_debit for line in lines), ZERO) - sum((line.base_credit for line in lines), ZERO)
    if gap == 0:
        return []
    return [DraftLine("fx", ZERO, ZERO, "Exchange difference",
                      f"the items were booked at their vouchers' rates and paid at {rate.describe()}: {abs(gap)} "
                      f"{rate.to_currency} {'gained' if gap > 0 else 'lost'}", "fx",
                      base_debit=-gap if gap < 0 else ZERO, base_credit=gap if gap > 0 else ZERO)]
