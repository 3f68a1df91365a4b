"""Clearing vouchers drafted on values (no database): a payment's sides, its difference by kind, refunds, foreign
currency at the booked and the paid rate, and every refusal before anything could be written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import MissingAccounts
from posting.chart import AccountSpec
from posting.clearing.drafting import BankPayment, Settlement, draft_clearing
from posting.drafting_values import CannotDraft, RateUsed
from tests.posting.charts import ledger

DAY = date(2026, 4, 3)


def paid(amount: str, **options) -> BankPayment:
    return BankPayment(day=DAY, currency=options.pop("currency", "EUR"), paid=Decimal(amount), what="line 1",
                       reason="reference INV-1 in the remittance", **options)


def settled(amount: str, reference: str = "INV-1", rate: str | None = None) -> Settlement:
    return Settlement("item-1", Decimal(amount), "2000", "payable", reference, "Northwind",
                      Decimal(rate) if rate else None)


def sides(draft) -> list[tuple[str, str, str, str]]:
    return [(line.account_code, str(line.debit), str(line.credit), line.kind) for line in draft.lines]


def test_a_payment_debits_the_payables_and_credits_the_bank():
    draft = draft_clearing(paid("1190.00"), (settled("690.00"), settled("500.00", "INV-2")), ledger(), None)
    assert sides(draft) == [("2000", "690.00", "0.00", "payable"), ("2000", "500.00", "0.00", "payable"),
                            ("1200", "0.00", "1190.00", "bank")]
    assert (draft.date, draft.currency, draft.description) == (DAY, "EUR", "Payment: line 1")
    assert draft.lines[0].reason == "line 1 pays 690.00 of INV-1 of Northwind: reference INV-1 in the remittance"


@pytest.mark.parametrize(("amount", "kind", "line"), [
    ("1003.50", "fee", ("6800", "3.50", "0.00", "fee")),
    ("980.00", "discount", ("4200", "0.00", "20.00", "discount")),
    ("999.98", "rounding", ("6900", "0.00", "0.02", "rounding")),
])
def test_a_difference_goes_to_the_account_of_its_kind(amount, kind, line):
    draft = draft_clearing(paid(amount, difference_kind=kind), (settled("1000.00"),), ledger(), None)
    assert sides(draft)[1] == line
    assert sides(draft)[2] == ("1200", "0.00", amount, "bank")


def test_named_accounts_are_used_and_must_be_active():
    draft = draft_clearing(paid("1002.00", difference_kind="fee", difference_account_code="6000",
                                bank_account_code="1100"), (settled("1000.00"),), ledger(), None)
    assert [row[0] for row in sides(draft)] == ["2000", "6000", "1100"]
    closed = ledger(_6000=AccountSpec("6000", "General expenses", "expense", "expense", active=False))
    with pytest.raises(CannotDraft, match="the account 6000 set for fee lines is not an active account"):
        draft_clearing(paid("1002.00", difference_kind="fee", difference_account_code="6000"), (settled("1000.00"),),
                       closed, None)


def test_a_chart_without_a_bank_account_is_named():
    with pytest.raises(MissingAccounts, match="'bank'"):
        draft_clearing(paid("1000.00"), (settled("1000.00"),), ledger(_1200=None), None)


def test_a_difference_needs_a_kind():
    with pytest.raises(CannotDraft, match="differs by 10.00"):
        draft_clearing(paid("990.00"), (settled("1000.00"),), ledger(), None)


def test_a_refund_of_a_credit_note_turns_the_sides():
    draft = draft_clearing(paid("-150.00"), (settled("-150.00", "CN-7"),), ledger(), None)
    assert sides(draft) == [("2000", "0.00", "150.00", "payable"), ("1200", "150.00", "0.00", "bank")]
    assert draft.lines[1].reason == "line 1: 150.00 EUR received"


def test_a_foreign_payment_clears_at_the_booked_rate_and_books_the_exchange_difference():
    rate = RateUsed("USD", "EUR", Decimal("0.95"), date(2026, 4, 1), "ECB")
    draft = draft_clearing(paid("1000.00", currency="USD"), (settled("1000.00", rate="0.90"),), ledger(), rate)
    assert [(line.kind, str(line.base_debit), str(line.base_credit)) for line in draft.lines] == [
        ("payable", "900.00", "0.00"), ("bank", "0.00", "950.00"), ("fx", "50.00", "0.00")]
    assert draft.lines[2].account_code == "7100" and "50.00 EUR lost" in draft.lines[2].reason
    with pytest.raises(CannotDraft, match="no USD->EUR exchange rate on or before 2026-04-03"):
        draft_clearing(paid("1000.00", currency="USD"), (settled("1000.00", rate="0.90"),), ledger(), None)
