"""posting.drafting: invoice field values in, a balanced draft voucher out."""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from core.errors import UnbalancedVoucher
from posting.drafting import CannotDraft, DraftLine, draft_purchase_invoice, ensure_balanced

RECEIVED = date(2024, 6, 1)
ZERO = Decimal("0.00")


def draft(**values):
    return draft_purchase_invoice(values, base_currency="EUR", received_on=RECEIVED)


def totals(voucher) -> tuple[Decimal, Decimal]:
    return sum((line.debit for line in voucher.lines), ZERO), sum((line.credit for line in voucher.lines), ZERO)


def assert_balanced_to_the_cent(voucher) -> None:
    debit, credit = totals(voucher)
    assert debit == credit
    for line in voucher.lines:
        assert line.debit.as_tuple().exponent == -2 and line.credit.as_tuple().exponent == -2
        assert line.debit == ZERO or line.credit == ZERO, "a line is either a debit or a credit"


def test_an_invoice_with_tax_gives_expense_input_tax_and_payable():
    voucher = draft(invoice_number="INV-1", vendor_name="Northwind", invoice_date="2024-03-12", currency="USD",
                    subtotal="251.50", tax_amount="47.79", total_amount="299.29")
    assert [(line.kind, line.role, line.debit, line.credit) for line in voucher.lines] == [
        ("expense", "expense", Decimal("251.50"), ZERO),
        ("input_tax", "input_tax", Decimal("47.79"), ZERO),
        ("payable", "payable", ZERO, Decimal("299.29")),
    ]
    assert voucher.date == date(2024, 3, 12)
    assert voucher.currency == "USD"
    assert voucher.description == "Invoice INV-1 from Northwind"
    assert_balanced_to_the_cent(voucher)


def test_every_line_explains_itself():
    voucher = draft(invoice_number="INV-1", vendor_name="Northwind", tax_amount="47.79", total_amount="299.29")
    expense, tax, payable = voucher.lines
    assert expense.reason == "net = total_amount 299.29 - tax_amount 47.79 = 251.50"
    assert tax.reason == "tax_amount 47.79 printed on the invoice"
    assert tax.description == "Input VAT on invoice INV-1"
    assert payable.reason == "total_amount 299.29 owed to the vendor"
    assert payable.description == "Payable to Northwind"


@pytest.mark.parametrize("tax", [None, "", "0", "0.00", "0.004"])
def test_without_tax_there_are_two_lines(tax):
    voucher = draft(total_amount="100.00", tax_amount=tax)
    assert [(line.kind, line.debit, line.credit) for line in voucher.lines] == [
        ("expense", Decimal("100.00"), ZERO), ("payable", ZERO, Decimal("100.00"))]
    assert_balanced_to_the_cent(voucher)


def test_without_tax_the_reason_says_so():
    assert draft(total_amount="100.00").lines[0].reason == "total_amount 100.00, no tax found on the invoice"


@pytest.mark.parametrize("total", [None, "", "n/a", "1,234.56"])
def test_without_a_readable_total_no_voucher_is_drafted(total):
    with pytest.raises(CannotDraft, match="no total amount was found"):
        draft(total_amount=total, tax_amount="19.00")


def test_missing_vendor_number_date_and_currency_have_defaults():
    voucher = draft(total_amount="10.00", invoice_date="12.03.2024")
    assert voucher.description == "Invoice without number from unknown vendor"
    assert voucher.lines[-1].description == "Payable to unknown vendor"
    assert voucher.date == RECEIVED, "a date that is not ISO falls back to the day it was received"
    assert voucher.currency == "EUR"


@pytest.mark.parametrize(("total", "tax", "net", "tax_line", "payable"), [
    ("0.005", "0.005", "0.00", "0.01", "0.01"),          # both halves round up
    ("10.005", "1.595", "8.41", "1.60", "10.01"),
    ("100.004", "19.004", "81.00", "19.00", "100.00"),
    ("0.015", "0.005", "0.01", "0.01", "0.02"),
    ("119", "19", "100.00", "19.00", "119.00"),
    ("0.01", "0.01", "0.00", "0.01", "0.01"),
    ("99999999.99", "15966386.55", "84033613.44", "15966386.55", "99999999.99"),
])
def test_rounding_cases_balance_to_the_cent(total, tax, net, tax_line, payable):
    voucher = draft(total_amount=total, tax_amount=tax)
    by_kind = {line.kind: line for line in voucher.lines}
    assert by_kind["expense"].debit == Decimal(net)
    assert by_kind["input_tax"].debit == Decimal(tax_line)
    assert by_kind["payable"].credit == Decimal(payable)
    assert_balanced_to_the_cent(voucher)


def _random_amount(rng: random.Random) -> str:
    digits = rng.choice([2, 3, 4])
    units = rng.randrange(0, 10 ** rng.randrange(1, 9))
    fraction = rng.randrange(0, 10 ** digits)
    sign = "-" if rng.random() < 0.1 else ""
    return f"{sign}{units}.{fraction:0{digits}d}"


def test_any_total_and_tax_balance_to_the_cent():
    """A seeded property check (hypothesis is not installed): 2,000 random totals and taxes, many with 3-4 decimals."""
    rng = random.Random(20240312)
    for _ in range(2000):
        total, tax = _random_amount(rng), rng.choice([_random_amount(rng), None, "0"])
        voucher = draft(total_amount=total, tax_amount=tax)
        assert_balanced_to_the_cent(voucher)
        assert voucher.lines[-1].kind == "payable"
        assert voucher.lines[-1].credit == Decimal(total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert len(voucher.lines) in (2, 3)


def test_ensure_balanced_accepts_balanced_lines():
    lines = [DraftLine("expense", Decimal("10.00"), ZERO, "", "", "expense"),
             DraftLine("payable", ZERO, Decimal("10.00"), "", "", "payable")]
    assert ensure_balanced(lines) is None
    assert ensure_balanced([]) is None


def test_ensure_balanced_refuses_a_difference_and_names_it():
    lines = [DraftLine("expense", Decimal("10.00"), ZERO, "", "", "expense"),
             DraftLine("payable", ZERO, Decimal("10.01"), "", "", "payable")]
    with pytest.raises(UnbalancedVoucher) as raised:
        ensure_balanced(lines)
    assert raised.value.status_code == 422
    assert raised.value.detail == "Debits 10.00 and credits 10.01 differ by -0.01."


def test_ensure_balanced_compares_to_the_cent():
    lines = [DraftLine("expense", Decimal("10.004"), ZERO, "", "", "expense"),
             DraftLine("payable", ZERO, Decimal("10.00"), "", "", "payable")]
    assert ensure_balanced(lines) is None
    lines[0] = DraftLine("expense", Decimal("10.005"), ZERO, "", "", "expense")
    with pytest.raises(UnbalancedVoucher):
        ensure_balanced(lines)


def test_draft_lines_are_immutable_values():
    line = draft(total_amount="1.00").lines[0]
    with pytest.raises(AttributeError):
        line.debit = Decimal("2.00")
