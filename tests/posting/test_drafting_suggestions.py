"""Drafting with learned account suggestions: a line goes to the account confirmed history suggests for it, after a
vendor's default account and before a spending category's account or the chart's expense account; its reason says
what it was learned from."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal

from posting.drafting import Counterparty, draft_voucher
from posting.rules.matching import Conditions, Outcome, Rule
from posting.suggestions.knn import Suggestion
from tests.posting.charts import ledger, seeded
from tests.posting.test_drafting import ADA, NORTHWIND, facts

HOSTING = Suggestion("6300", 0.9, 3, 2, ((uuid.uuid4(), "AWS EC2 hosting March", "6300", 0.93),),
                     "learned from 3 confirmed vouchers (2 of this vendor): nearest 'AWS EC2 hosting March' -> 6300 "
                     "(0.93)")
LAPTOP = replace(HOSTING, account_code="1500", reason="learned from 2 confirmed vouchers (2 of this vendor): nearest "
                                                      "'Laptop ThinkPad T14' -> 1500 (0.88)")
UNKNOWN = Counterparty("Amazon Web Services", "the vendor master")
ITEMS = ({"description": "EC2 hosting April", "amount": "100.00"}, {"description": "Support plan", "amount": "20.00"})
INVOICE = {"invoice_number": "INV-9", "vendor_name": "Amazon Web Services", "subtotal": "120.00",
           "tax_amount": "24.00", "tax_rate": "20", "total_amount": "144.00"}


def expense_rows(voucher) -> list[tuple[str, str, str]]:
    return [(line.kind, line.account_code, line.reason) for line in voucher.lines if line.kind in ("expense", "asset")]


def test_each_line_item_goes_to_the_account_learned_for_it_and_says_so():
    voucher = draft_voucher(facts("invoice", ITEMS, **INVOICE), ledger(), UNKNOWN, suggestions={0: HOSTING})
    assert expense_rows(voucher) == [
        ("expense", "6300", f"line item 1: amount 100.00 at 20% VAT; to 6300 Software and subscriptions, "
                            f"{HOSTING.reason}"),
        ("expense", "6000", "line item 2: amount 20.00 at 20% VAT; to the chart's expense account")]


def test_an_invoice_drafted_as_one_line_takes_the_suggestion_for_the_whole_document():
    voucher = draft_voucher(facts("invoice", **INVOICE), ledger(), UNKNOWN, suggestions={None: HOSTING, 0: LAPTOP})
    assert [(kind, account) for kind, account, _ in expense_rows(voucher)] == [("expense", "6300")]


def test_a_learned_asset_account_gives_an_asset_line():
    voucher = draft_voucher(facts("invoice", ITEMS[:1], **INVOICE | {"subtotal": "100.00", "tax_amount": "20.00",
                                                                       "total_amount": "120.00"}),
                            ledger(), UNKNOWN, suggestions={0: LAPTOP})
    assert expense_rows(voucher)[0][:2] == ("asset", "1500")


def test_the_vendors_default_account_comes_before_what_history_suggests():
    voucher = draft_voucher(facts("invoice", ITEMS, **INVOICE), ledger(), NORTHWIND, suggestions={0: HOSTING})
    assert [account for _, account, _ in expense_rows(voucher)] == ["6100", "6100"]
    assert "the vendor's default account" in expense_rows(voucher)[0][2]


def test_a_suggested_account_no_longer_active_is_passed_over():
    accounts, _ = seeded("ifrs")
    chart = ledger(_6300=replace(accounts["6300"], active=False))
    voucher = draft_voucher(facts("invoice", ITEMS, **INVOICE), chart, UNKNOWN, suggestions={0: HOSTING})
    assert [account for _, account, _ in expense_rows(voucher)] == ["6000", "6000"]


def test_a_receipt_goes_to_the_learned_account_before_its_categorys():
    receipt = facts("receipt", merchant_name="Cloud Café", category="meals", total_amount="12.00")
    assert expense_rows(draft_voucher(receipt, ledger(), ADA))[0][1] == "6220"
    learned = draft_voucher(receipt, ledger(), ADA, suggestions={None: HOSTING})
    assert expense_rows(learned)[0][1:] == ("6300", f"total_amount 12.00, no tax found on the receipt; to 6300 "
                                                    f"Software and subscriptions, {HOSTING.reason}")
    assert learned.lines[0].cost_centre_code == "SAL", "the employee's cost centre stays"


def test_each_claim_item_goes_to_the_account_learned_for_it():
    items = ({"category": "meals", "description": "Team lunch", "amount": "30.00"},
             {"category": "software", "description": "Hosting for the demo", "amount": "12.50"})
    claim = facts("expense_claim", items, employee_name="Ada Lovelace", purpose="Demo", total_amount="42.50")
    voucher = draft_voucher(claim, ledger(), ADA, suggestions={0: LAPTOP})
    assert [(kind, account) for kind, account, _ in expense_rows(voucher)] == [("asset", "1500"), ("expense", "6300")]
    assert sum(line.debit for line in voucher.lines) == Decimal("42.50")


def test_a_claim_drafted_as_one_line_takes_the_suggestion_for_the_whole_document():
    claim = facts("expense_claim", ({"amount": "1.00"},), employee_name="Ada Lovelace", total_amount="42.50")
    voucher = draft_voucher(claim, ledger(), ADA, suggestions={None: HOSTING})
    assert expense_rows(voucher)[0][:2] == ("expense", "6300")


def test_a_rule_comes_before_what_history_suggests_and_the_other_lines_keep_their_learned_account():
    support = Rule(1, "Support contracts", Conditions(keywords=("support",)), Outcome(account_code="6750"))
    voucher = draft_voucher(facts("invoice", ITEMS, **INVOICE), ledger(), UNKNOWN, rules=[support],
                            suggestions={0: HOSTING, 1: HOSTING})
    assert [account for _, account, _ in expense_rows(voucher)] == ["6300", "6750"]
    assert expense_rows(voucher)[1][2].startswith("rule 1 'Support contracts': keyword 'support' in line item 2")


def test_a_rule_that_only_sets_a_cost_centre_keeps_the_learned_account():
    tagging = Rule(1, "Cloud to IT", Conditions(keywords=("hosting",)), Outcome(cost_centre_code="IT"))
    voucher = draft_voucher(facts("invoice", ITEMS, **INVOICE), ledger(), UNKNOWN, rules=[tagging],
                            suggestions={0: HOSTING})
    hosting = voucher.lines[0]
    assert (hosting.account_code, hosting.cost_centre_code) == ("6300", "IT")
    assert hosting.reason.startswith("rule 1 'Cloud to IT'") and hosting.reason.endswith(HOSTING.reason)
