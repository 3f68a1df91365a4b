"""posting.drafting: a document's fields and items in, a balanced draft voucher out (or why not), on the seed charts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from core.errors import MissingAccounts, UnbalancedVoucher
from posting.chart import AccountSpec, TaxCodeSpec
from posting.drafting import (CannotDraft, Counterparty, DocumentFacts, DraftLine, RateUsed, draft_voucher,
                              ensure_balanced)
from tests.posting.charts import ledger

RECEIVED = date(2024, 6, 1)
ZERO = Decimal("0.00")
BOX = [0.6, 0.8, 0.9, 0.82]
NORTHWIND = Counterparty("Northwind Office Supplies Ltd", "the vendor master, matched by tax_id", "6100", "ADM")
ADA = Counterparty("Ada Lovelace", "employee E001 of the master, who uploaded it", cost_centre_code="SAL")
USD_EUR = RateUsed("USD", "EUR", Decimal("0.9"), date(2024, 3, 1), "ECB")


def facts(doc_type: str = "invoice", items: tuple[dict, ...] = (), **values) -> DocumentFacts:
    """A document whose every field was read on page 1 in ``BOX``."""
    fields = {name: {"value": value, "page": 1, "bbox": BOX, "confidence": 0.99} for name, value in values.items()}
    return DocumentFacts(doc_type, fields, RECEIVED, items)


def draft(doc_type: str = "invoice", items: tuple[dict, ...] = (), *, chart=None, party=None, rate=None, **values):
    return draft_voucher(facts(doc_type, items, **values), chart or ledger(), party, rate)


def rows(voucher) -> list[tuple[str, str, Decimal, Decimal]]:
    return [(line.kind, line.account_code, line.debit, line.credit) for line in voucher.lines]


def assert_balanced_to_the_cent(voucher) -> None:
    for debit, credit in (("debit", "credit"), ("base_debit", "base_credit")):
        assert sum(getattr(line, debit) for line in voucher.lines) == sum(
            getattr(line, credit) for line in voucher.lines)
    for line in voucher.lines:
        assert line.debit.as_tuple().exponent == -2 and line.credit.as_tuple().exponent == -2
        assert line.debit == ZERO or line.credit == ZERO, "a line is either a debit or a credit"
        assert line.reason and line.account_code


# --- invoices: the net amount, tax codes -------------------------------------------------------------------------


def test_an_invoice_with_tax_gives_expense_input_tax_and_payable():
    voucher = draft(invoice_number="INV-1", vendor_name="Northwind", invoice_date="2024-03-12", currency="EUR",
                    subtotal="251.50", tax_amount="47.79", total_amount="299.29")
    assert rows(voucher) == [("expense", "6000", Decimal("251.50"), ZERO),
                             ("input_tax", "1400", Decimal("47.79"), ZERO),
                             ("payable", "2000", ZERO, Decimal("299.29"))]
    assert [line.role for line in voucher.lines] == ["expense", "input_tax", "payable"]
    assert (voucher.date, voucher.currency, voucher.base_currency, voucher.rate) == (date(2024, 3, 12), "EUR", "EUR",
                                                                                     None)
    assert voucher.description == "Invoice INV-1 from Northwind"
    assert_balanced_to_the_cent(voucher)


def test_every_line_says_why_and_where_its_amount_was_read():
    expense, tax, payable = draft(invoice_number="INV-1", vendor_name="Northwind", tax_amount="47.79",
                                  total_amount="299.29").lines
    assert expense.reason == ("net = total_amount 299.29 - tax_amount 47.79 = 251.50; to the chart's expense "
                              "account")
    assert tax.reason.startswith("tax_amount 47.79 printed on the invoice; no tax code whose rate explains it")
    assert payable.reason == "total_amount 299.29 owed to Northwind, who is not in the vendor master"
    assert payable.description == "Payable to Northwind"
    assert (expense.source.fields, expense.source.page, expense.source.bbox) == (("total_amount", "tax_amount"), 1,
                                                                                 tuple(BOX))
    assert tax.source.fields == ("tax_amount",) and payable.source.fields == ("total_amount",)
    assert payable.source.as_json() == {"fields": ["total_amount"], "page": 1, "bbox": BOX}


@pytest.mark.parametrize("tax", [None, "", "0", "0.00", "0.004"])
def test_without_tax_there_are_two_lines(tax):
    voucher = draft(total_amount="100.00", tax_amount=tax)
    assert rows(voucher) == [("expense", "6000", Decimal("100.00"), ZERO), ("payable", "2000", ZERO, Decimal("100.00"))]
    assert "no tax found on the invoice" in voucher.lines[0].reason


def test_a_zero_rated_invoice_says_so_and_has_no_tax_line():
    voucher = draft(total_amount="80.00", tax_amount="0.00", tax_rate="0")
    assert [line.kind for line in voucher.lines] == ["expense", "payable"]
    assert "zero-rated (tax_rate 0%)" in voucher.lines[0].reason


def test_deductible_vat_goes_to_the_account_of_its_tax_code():
    voucher = draft(total_amount="120.00", tax_amount="20.00", tax_rate="20")
    assert rows(voucher)[1] == ("input_tax", "1400", Decimal("20.00"), ZERO)
    assert "tax code S20 (Input VAT, standard rate 20%): deductible" in voucher.lines[1].reason
    moved = ledger(_1410=AccountSpec("1410", "Input VAT 10%", "asset"),
                   R10=TaxCodeSpec("R10", "Input VAT 10%", Decimal("10.00"), account_code="1410"))
    assert rows(draft(total_amount="110.00", tax_amount="10.00", tax_rate="10", chart=moved))[1] == (
        "input_tax", "1410", Decimal("10.00"), ZERO)


def test_a_rate_is_found_from_the_tax_when_the_invoice_prints_none():
    voucher = draft(total_amount="33.60", tax_amount="5.60")  # 28.00 x 20%
    assert "tax code S20" in voucher.lines[1].reason


def test_vat_of_a_code_that_is_not_deductible_goes_to_its_cost_account():
    only_not_deductible = ledger(S20=None)
    voucher = draft(total_amount="120.00", tax_amount="20.00", tax_rate="20", chart=only_not_deductible)
    assert rows(voucher) == [("expense", "6000", Decimal("100.00"), ZERO), ("expense", "6950", Decimal("20.00"), ZERO),
                             ("payable", "2000", ZERO, Decimal("120.00"))]
    assert voucher.lines[1].role == "non_deductible_tax"
    assert "tax code ND20" in voucher.lines[1].reason and "not deductible, a cost" in voucher.lines[1].reason


def test_a_chinese_general_invoice_adds_its_vat_to_the_expense():
    cas = ledger("cn-cas", "CNY")
    voucher = draft(total_amount="113.00", tax_amount="13.00", tax_rate="13", invoice_type="增值税普通发票",
                    currency="CNY", chart=cas)
    assert rows(voucher) == [("expense", "660299", Decimal("113.00"), ZERO),
                             ("payable", "2202", ZERO, Decimal("113.00"))]
    assert "+ VAT 13.00" in voucher.lines[0].reason and "IN13G" in voucher.lines[0].reason
    assert voucher.lines[0].source.fields == ("total_amount", "tax_amount", "tax_rate")


def test_a_chinese_special_invoice_deducts_its_vat():
    voucher = draft(total_amount="113.00", tax_amount="13.00", tax_rate="13", currency="CNY",
                    chart=ledger("cn-cas", "CNY"))
    assert rows(voucher)[1] == ("input_tax", "22210101", Decimal("13.00"), ZERO)
    assert "IN13S" in voucher.lines[1].reason


# --- invoices: line items, VAT breakdown, rounding -------------------------------------------------------------------


def item(amount, rate=None, tax=None, description="Toner", page=1, bbox=(0.1, 0.4, 0.9, 0.42)) -> dict:
    return {"description": description, "quantity": "1", "unit_price": amount, "amount": amount, "tax_rate": rate,
            "tax_amount": tax, "page": page, "bbox": list(bbox)}


def test_one_expense_line_per_line_item_with_the_box_it_was_read_in():
    items = (item("100.00", "20", description="Paper"), item("50.00", "20", description="Toner",
                                                               bbox=(0.1, 0.5, 0.9, 0.52)))
    voucher = draft(items=items, subtotal="150.00", tax_amount="30.00", total_amount="180.00", tax_rate="20")
    assert rows(voucher) == [("expense", "6000", Decimal("100.00"), ZERO), ("expense", "6000", Decimal("50.00"), ZERO),
                             ("input_tax", "1400", Decimal("30.00"), ZERO),
                             ("payable", "2000", ZERO, Decimal("180.00"))]
    paper, toner = voucher.lines[:2]
    assert (paper.description, toner.description) == ("Paper", "Toner")
    assert toner.source.fields == ("line_items[1].amount",) and toner.source.bbox == (0.1, 0.5, 0.9, 0.52)
    assert toner.reason.startswith("line item 2: amount 50.00 at 20% VAT")
    assert voucher.lines[2].reason.startswith("tax_amount 30.00 printed on the invoice"), "one rate: the printed tax"


def test_several_rates_give_a_tax_line_each_and_a_rounding_line_for_the_cents_left():
    items = (item("0.33", "20"), item("0.33", "20"), item("0.33", "20"), item("10.00", "5"))
    # the vendor rounded the tax per line (0.07 + 0.07 + 0.07 + 0.50 = 0.71); per rate it is 0.20 (0.198) + 0.50
    voucher = draft(items=items, subtotal="10.99", tax_amount="0.71", total_amount="11.70")
    assert [(line.kind, line.debit, line.credit) for line in voucher.lines[3:]] == [
        ("expense", Decimal("10.00"), ZERO), ("input_tax", Decimal("0.20"), ZERO), ("input_tax", Decimal("0.50"), ZERO),
        ("rounding", Decimal("0.01"), ZERO), ("payable", ZERO, Decimal("11.70"))]
    rounding = voucher.lines[6]
    assert rounding.account_code == "6900" and rounding.reason == (
        "the lines add up to 11.69, the total_amount is 11.70: 0.01 is rounding (the tax rounded per line or per "
        "rate)")
    assert voucher.lines[4].reason.startswith("20% of 0.99, the net of line items 1, 2, 3, rounded half up")
    assert voucher.lines[4].source.fields == ("line_items[0].amount", "line_items[1].amount", "line_items[2].amount")


def test_line_items_tax_amounts_are_used_when_each_states_one():
    items = (item("100.00", "19", "19.00"), item("100.00", "7", "7.00"))
    voucher = draft(items=items, total_amount="226.00")
    assert [line.debit for line in voucher.lines if line.kind == "input_tax"] == [Decimal("19.00"), Decimal("7.00")]
    assert voucher.lines[2].source.fields == ("line_items[0].tax_amount",)


def test_line_items_that_do_not_make_the_net_give_one_net_line_saying_why():
    voucher = draft(items=(item("90.00"),), subtotal="100.00", tax_amount="19.00", total_amount="119.00")
    assert [line.kind for line in voucher.lines] == ["expense", "input_tax", "payable"]
    assert voucher.lines[0].reason.startswith("the 1 line items add up to 90.00, not the net amount 100.00, so one "
                                              "line for the net amount: net = total_amount 119.00")


def test_a_line_item_without_an_amount_is_named():
    voucher = draft(items=(item("50.00"), item(None)), total_amount="100.00")
    assert voucher.lines[0].reason.startswith("line item 2 has no amount, so one line for the net amount")


def test_an_einvoice_vat_breakdown_gives_a_line_per_rate():
    breakdown = [{"category": "S", "rate": "19", "taxable_amount": "100.00", "tax_amount": "19.00"},
                 {"category": "AA", "rate": "7", "taxable_amount": "50.00", "tax_amount": "3.50"}]
    voucher = draft(vat_breakdown=breakdown, invoice_number="R-7", total_amount="172.50", tax_amount="22.50")
    assert [(line.kind, line.debit) for line in voucher.lines[:4]] == [
        ("expense", Decimal("100.00")), ("expense", Decimal("50.00")), ("input_tax", Decimal("19.00")),
        ("input_tax", Decimal("3.50"))]
    assert voucher.lines[1].source.fields == ("vat_breakdown[1].taxable_amount",)
    assert voucher.lines[1].description == "Invoice R-7 from unknown vendor at 7% VAT"


def test_vat_that_is_not_deductible_is_spread_over_the_line_items_of_its_rate():
    items = (item("100.00", "13"), item("200.00", "13"), item("33.33", "13"))
    cas = ledger("cn-cas", "CNY")
    voucher = draft(items=items, total_amount="376.66", tax_amount="43.33", invoice_type="增值税普通发票",
                    currency="CNY", chart=cas)
    assert [line.debit for line in voucher.lines[:3]] == [Decimal("113.00"), Decimal("226.00"), Decimal("37.66")]
    assert [line.kind for line in voucher.lines] == ["expense", "expense", "expense", "payable"]
    assert_balanced_to_the_cent(voucher)


@pytest.mark.parametrize(("total", "tax", "net", "tax_line", "payable"), [
    ("0.005", "0.005", "0.00", "0.01", "0.01"),          # both halves round up
    ("10.005", "1.595", "8.41", "1.60", "10.01"),
    ("100.004", "19.004", "81.00", "19.00", "100.00"),
    ("0.015", "0.005", "0.01", "0.01", "0.02"),
    ("119", "19", "100.00", "19.00", "119.00"),
    ("99999999.99", "15966386.55", "84033613.44", "15966386.55", "99999999.99"),
])
def test_rounding_cases_balance_to_the_cent(total, tax, net, tax_line, payable):
    voucher = draft(total_amount=total, tax_amount=tax)
    by_kind = {line.kind: line for line in voucher.lines}
    assert by_kind["expense"].debit == Decimal(net)
    assert by_kind["input_tax"].debit == Decimal(tax_line)
    assert by_kind["payable"].credit == Decimal(payable)
    assert_balanced_to_the_cent(voucher)


# --- invoices: the vendor, credit notes, what cannot be drafted -------------------------------------------------------


def test_a_vendor_of_the_master_gives_its_default_account_and_cost_centre():
    voucher = draft(total_amount="119.00", tax_amount="19.00", vendor_name="NW", party=NORTHWIND)
    expense, _, payable = voucher.lines
    assert (expense.account_code, expense.cost_centre_code, expense.kind) == ("6100", "ADM", "expense")
    assert "to 6100 Office supplies, the vendor's default account" in expense.reason
    assert payable.description == "Payable to Northwind Office Supplies Ltd"
    assert payable.reason.endswith("(the vendor master, matched by tax_id)")


def test_a_vendor_whose_default_account_is_an_asset_gives_asset_lines():
    voucher = draft(total_amount="1190.00", tax_amount="190.00", party=replace(NORTHWIND, default_account_code="1500"))
    assert rows(voucher)[0] == ("asset", "1500", Decimal("1000.00"), ZERO)


def test_an_inactive_default_account_falls_back_to_the_expense_account():
    chart = ledger(_6100=AccountSpec("6100", "Office supplies", "expense", active=False))
    assert rows(draft(total_amount="10.00", party=NORTHWIND, chart=chart))[0][1] == "6000"


def test_a_credit_note_reverses_the_sides():
    voucher = draft(invoice_number="CN-3", total_amount="-119.00", tax_amount="-19.00", tax_rate="20")
    assert rows(voucher) == [("expense", "6000", ZERO, Decimal("100.00")),
                             ("input_tax", "1400", ZERO, Decimal("19.00")),
                             ("payable", "2000", Decimal("119.00"), ZERO)]
    assert voucher.description.startswith("Credit note CN-3")
    assert voucher.lines[-1].reason.startswith("total_amount -119.00 credited by unknown vendor")
    assert all(line.reason.endswith("a credit note: the sides of an invoice, reversed") for line in voucher.lines)


def test_an_einvoice_credit_note_with_positive_amounts_is_reversed_as_well():
    negative = draft(invoice_number="CN-3", total_amount="-119.00", tax_amount="-19.00", tax_rate="20",
                     items=(item("-100.00", "20"),))
    positive = draft(invoice_number="CN-3", total_amount="119.00", tax_amount="19.00", tax_rate="20",
                     document_kind="credit_note", items=(item("100.00", "20"),))
    assert rows(positive) == rows(negative) == [("expense", "6000", ZERO, Decimal("100.00")),
                                                ("input_tax", "1400", ZERO, Decimal("19.00")),
                                                ("payable", "2000", Decimal("119.00"), ZERO)]


@pytest.mark.parametrize("total", [None, "", "n/a", "1,234.56"])
def test_without_a_readable_total_no_voucher_is_drafted(total):
    with pytest.raises(CannotDraft, match="no total amount was found"):
        draft(total_amount=total, tax_amount="19.00")


def test_a_total_of_zero_has_nothing_to_post():
    with pytest.raises(CannotDraft, match="the total amount is 0.00: there is nothing to post"):
        draft(total_amount="0.00")


def test_missing_vendor_number_date_and_currency_have_defaults():
    voucher = draft(total_amount="10.00", invoice_date="12.03.2024")
    assert voucher.description == "Invoice without number from unknown vendor"
    assert voucher.lines[-1].description == "Payable to unknown vendor"
    assert voucher.date == RECEIVED, "a date that is not ISO falls back to the day it was received"
    assert voucher.currency == "EUR"


@pytest.mark.parametrize("doc_type", ["contract", "bank_statement", None])
def test_documents_without_vouchers_are_named(doc_type):
    with pytest.raises(CannotDraft, match="vouchers are drafted for invoices, receipts and expense claims"):
        draft(doc_type, total_amount="10.00")


def test_a_chart_without_an_account_for_a_role_names_every_missing_role():
    chart = ledger(_1400=None, _2000=None)
    with pytest.raises(MissingAccounts) as raised:
        draft(total_amount="119.00", tax_amount="19.00", chart=chart)
    assert "'input_tax'" in raised.value.detail and "'payable'" in raised.value.detail


# --- receipts and expense claims --------------------------------------------------------------------------------------


def test_a_receipt_goes_to_its_category_account_and_the_employee_payable():
    voucher = draft("receipt", merchant_name="Kedai Kopi", transaction_date="2024-05-02", total_amount="11.00",
                    tax_amount="1.00", tax_rate="10", category="meals", party=ADA)
    assert rows(voucher) == [("expense", "6220", Decimal("10.00"), ZERO), ("input_tax", "1400", Decimal("1.00"), ZERO),
                             ("employee_payable", "2100", ZERO, Decimal("11.00"))]
    assert voucher.date == date(2024, 5, 2) and voucher.description == "Receipt from Kedai Kopi"
    assert voucher.lines[0].cost_centre_code == "SAL"
    assert "category meals: to 6220 Meals and entertainment" in voucher.lines[0].reason
    assert voucher.lines[2].reason == ("total_amount 11.00 paid by Ada Lovelace, to be paid back (employee E001 of "
                                       "the master, who uploaded it)")


def test_a_receipt_without_a_known_category_or_employee_still_drafts_and_says_so():
    voucher = draft("receipt", total_amount="5.00", category="garden")
    assert rows(voucher) == [("expense", "6000", Decimal("5.00"), ZERO),
                             ("employee_payable", "2100", ZERO, Decimal("5.00"))]
    assert "no account takes the category garden" in voucher.lines[0].reason
    assert "no employee was found" in voucher.lines[1].reason


def test_an_expense_claim_gives_a_line_per_item_by_category():
    items = ({"date": "2024-05-01", "category": "lodging", "description": "Hotel", "amount": "240.00", "page": 1,
              "bbox": [0.1, 0.3, 0.9, 0.32]},
             {"date": "2024-05-02", "category": "Local transport", "description": "Taxi", "amount": "18.50"})
    voucher = draft("expense_claim", items, employee_name="Ada Lovelace", period_end="2024-05-31", purpose="Visit",
                    total_amount="258.50", party=ADA)
    assert rows(voucher) == [("expense", "6210", Decimal("240.00"), ZERO), ("expense", "6240", Decimal("18.50"), ZERO),
                             ("employee_payable", "2100", ZERO, Decimal("258.50"))]
    hotel = voucher.lines[0]
    assert (hotel.description, hotel.source.fields, hotel.source.page) == ("Hotel", ("items[0].amount",), 1)
    assert hotel.reason == "item 1: amount 240.00 on 2024-05-01; item 1's category lodging: to 6210 Lodging"
    assert voucher.date == date(2024, 5, 31) and voucher.description == "Expense claim of Ada Lovelace: Visit"


def test_claim_items_that_do_not_make_the_total_give_one_line():
    voucher = draft("expense_claim", ({"category": "meals", "amount": "10.00"},), total_amount="25.00")
    assert rows(voucher) == [("expense", "6000", Decimal("25.00"), ZERO),
                             ("employee_payable", "2100", ZERO, Decimal("25.00"))]
    assert voucher.lines[0].reason.startswith("the 1 items add up to 10.00, not the total; total_amount 25.00")


def test_a_claim_item_in_another_currency_cannot_be_drafted():
    items = ({"category": "meals", "amount": "10.00", "currency": "USD"},)
    with pytest.raises(CannotDraft, match="item 1 of the claim is in USD, the claim in EUR"):
        draft("expense_claim", items, total_amount="10.00", currency="EUR")


# --- currencies -------------------------------------------------------------------------------------------------------


def test_a_foreign_invoice_keeps_its_currency_with_each_line_in_the_company_currency():
    voucher = draft(total_amount="119.00", tax_amount="19.00", currency="usd", rate=USD_EUR)
    assert voucher.currency == "USD" and voucher.base_currency == "EUR" and voucher.rate == USD_EUR
    assert [(line.debit, line.credit, line.base_debit, line.base_credit) for line in voucher.lines] == [
        (Decimal("100.00"), ZERO, Decimal("90.00"), ZERO), (Decimal("19.00"), ZERO, Decimal("17.10"), ZERO),
        (ZERO, Decimal("119.00"), ZERO, Decimal("107.10"))]


def test_converting_line_by_line_leaves_a_rounding_line_in_the_company_currency():
    rate = replace(USD_EUR, rate=Decimal("0.91234"))
    voucher = draft(items=(item("100.00", "20"), item("33.33", "5"), item("10.00", "10")), total_amount="166.00",
                    tax_amount="22.67", currency="USD", rate=rate)
    rounding = voucher.lines[-1]
    assert (rounding.kind, rounding.debit, rounding.credit, rounding.base_debit, rounding.base_credit) == (
        "rounding", ZERO, ZERO, Decimal("0.01"), ZERO)
    assert "each line converted at 1 USD = 0.91234 EUR (rate of 2024-03-01, ECB)" in rounding.reason
    assert_balanced_to_the_cent(voucher)


def test_a_foreign_invoice_without_a_rate_cannot_be_drafted_and_says_what_to_add():
    with pytest.raises(CannotDraft) as raised:
        draft(total_amount="10.00", currency="CNY", invoice_date="2026-03-01")
    message = str(raised.value)
    assert message.startswith("no CNY->EUR exchange rate on or before 2026-03-01")
    assert "POST /api/v1/exchange-rates" in message and "nothing was posted" in message


# --- the balance check ------------------------------------------------------------------------------------------------


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


def test_ensure_balanced_checks_the_company_currency_too():
    lines = [DraftLine("expense", Decimal("10.00"), ZERO, "", "", "expense", base_debit=Decimal("9.00"),
                       base_credit=ZERO),
             DraftLine("payable", ZERO, Decimal("10.00"), "", "", "payable", base_debit=ZERO,
                       base_credit=Decimal("9.01"))]
    with pytest.raises(UnbalancedVoucher, match="in the company's currency differ by -0.01"):
        ensure_balanced(lines)


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
