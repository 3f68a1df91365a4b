"""posting.budgets.checking and records as plain values: which budgets a voucher's lines fall under (parent accounts,
cost centres, months and years), what each line takes (in the company's currency; a credit note gives back), the
verdicts and their messages, and how budget rows are read and refused."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from posting.budgets.checking import (OVER_BLOCK, OVER_WARN, WITHIN, BudgetLimit, Charge, Usage, ancestors,
                                      charge_of, check_voucher)
from posting.budgets.records import BUDGETS, budget_amount, budget_period
from posting.masterdata.records import Invalid
from posting.masterdata.validation import Existing, Row, plan_import

PARENTS = {"6602": "66", "660201": "6602", "660202": "6602", "66": None, "6601": "66", "2202": None}
"""A slice of the Chinese chart: 管理费用 6602 with its office (660201) and travel (660202) sub-accounts."""
MARCH = date(2026, 3, 12)


def budget(account: str = "6602", amount: str = "5000.00", period: str = "2026-03", cost_centre: str | None = None,
           on_exceed: str = "warn", reserved: str = "0", consumed: str = "0", name: str = "Travel") -> BudgetLimit:
    return BudgetLimit(uuid.uuid4(), name, account, cost_centre, period, Decimal(amount), on_exceed,
                       Usage(Decimal(reserved), Decimal(consumed)))


def charge(account: str = "660202", amount: str = "1200.00", cost_centre: str | None = "CC-SALES") -> Charge:
    return Charge(account, cost_centre, Decimal(amount))


def checked(budgets, charges, day=MARCH, own=None):
    return check_voucher(budgets, day, charges, PARENTS, own or {})


def test_the_message_names_the_budget_its_use_this_voucher_and_the_excess():
    travel = budget(cost_centre="CC-SALES", reserved="700.00", consumed="3500.00")
    [check] = checked([travel], [charge()])
    assert check.verdict == OVER_WARN
    assert check.message == ("budget 6602 Travel / CC-SALES / 2026-03: 5,000.00; used 4,200.00 (reserved 700.00, "
                             "consumed 3,500.00); this voucher 1,200.00; over by 400.00")
    assert check.review_reason == f"warning: over {check.message}"


def test_a_blocking_budget_blocks_and_one_within_says_what_is_left():
    [over] = checked([budget(on_exceed="block", consumed="4000")], [charge()])
    assert over.verdict == OVER_BLOCK and over.excess == Decimal("200.00")
    assert over.review_reason.startswith("blocked: over budget 6602 Travel / every cost centre / 2026-03")
    assert over.review_reason.endswith("over by 200.00; it cannot be approved until the budget is raised or the "
                                       "voucher spends less")
    [within] = checked([budget(on_exceed="block", consumed="3800")], [charge()])
    assert (within.verdict, within.review_reason) == (WITHIN, None)
    assert within.message.endswith("this voucher 1,200.00; 0.00 left")


def test_a_budget_on_a_parent_account_covers_its_sub_accounts_and_nothing_beside_them():
    parent, top, child, sibling = budget("6602"), budget("66"), budget("660201"), budget("6601")
    checks = checked([parent, top, child, sibling], [charge("660202", "100"), charge("660201", "30")])
    assert {check.budget.account_code: check.amount for check in checks} == {
        "6602": Decimal("130"), "66": Decimal("130"), "660201": Decimal("30")}
    assert ancestors("660202", PARENTS) == ("660202", "6602", "66")


def test_a_chain_of_parents_that_loops_ends_where_it_comes_back():
    assert ancestors("A", {"A": "B", "B": "C", "C": "A"}) == ("A", "B", "C")


def test_a_budget_of_a_cost_centre_takes_its_lines_alone_one_without_takes_every_line():
    sales, every = budget(cost_centre="CC-SALES"), budget(cost_centre=None)
    checks = checked([sales, every], [charge(cost_centre="CC-SALES"), charge(cost_centre="CC-ADMIN", amount="50"),
                                      charge(cost_centre=None, amount="7")])
    assert {check.budget.cost_centre_code: check.amount for check in checks} == {
        "CC-SALES": Decimal("1200.00"), None: Decimal("1257.00")}


def test_the_budgets_of_the_month_and_of_the_year_both_apply_others_do_not():
    checks = checked([budget(period="2026-03"), budget(period="2026"), budget(period="2026-04"),
                      budget(period="2025")], [charge()])
    assert sorted(check.budget.period for check in checks) == ["2026", "2026-03"]


def test_a_credit_note_gives_back_and_is_never_over():
    [check] = checked([budget(on_exceed="block", consumed="6000")], [charge(amount="-300.00")])
    assert (check.amount, check.verdict) == (Decimal("-300.00"), WITHIN)
    assert check.message.endswith("this voucher -300.00; over by 700.00")


def test_a_line_spends_its_amount_in_the_company_currency_and_only_expense_and_asset_lines_spend():
    assert charge_of("expense", "660202", "CC-SALES", Decimal("786.00"), Decimal("0")) == Charge(
        "660202", "CC-SALES", Decimal("786.00"))
    assert charge_of("asset", "1601", None, Decimal("0"), Decimal("50.00")).amount == Decimal("-50.00")
    assert [charge_of(kind, "2202", None, Decimal("1"), Decimal("0")) for kind in ("input_tax", "payable")] == [
        None, None]


def test_what_the_voucher_holds_already_is_not_counted_twice():
    travel = budget(reserved="1700.00", consumed="3500.00")
    [check] = checked([travel], [charge()], own={travel.id: Usage(Decimal("1000.00"))})
    assert (check.others, check.verdict) == (Usage(Decimal("700.00"), Decimal("3500.00")), OVER_WARN)
    assert check.excess == Decimal("400.00")


def test_a_budget_that_vouchers_overran_warns_how_far():
    assert budget(amount="3000", consumed="3500").warning == (
        "budget 6602 Travel / every cost centre / 2026-03: 3,000.00 is less than what vouchers hold of it already, "
        "3,500.00 (reserved 0.00, consumed 3,500.00): over by 500.00; every voucher that spends more under it is sent "
        "to review with a warning")
    assert budget(amount="3500", consumed="3500").warning is None


@pytest.mark.parametrize(("value", "found"), [("2026-03", "2026-03"), (" 2026 ", "2026"), (2026, "2026")])
def test_a_period_is_a_month_or_a_year(value, found):
    assert budget_period(value) == found


@pytest.mark.parametrize("value", ["2026-13", "26", "2026-3", "March 2026", "2026-Q1"])
def test_other_periods_are_refused_with_how_to_write_one(value):
    with pytest.raises(Invalid, match="write a month as YYYY-MM"):
        budget_period(value)


@pytest.mark.parametrize(("value", "message"), [
    ("-1", "is negative: a budget is 0 or more"), ("12.345", "at most two decimals"),
    ("5,000.00", "without separators of thousands"), ("1e17", r"below 10\^16")])
def test_an_amount_is_zero_or_more_with_two_decimals(value, message):
    assert budget_amount("5000") == Decimal("5000.00")
    with pytest.raises(Invalid, match=message):
        budget_amount(value)


def test_rows_of_budgets_are_refused_with_every_error_naming_what_to_fix():
    rows = [Row(2, {"account_code": "9999", "period": "2026-03", "amount": "1"}),
            Row(3, {"account_code": "6602", "cost_centre_code": "NOPE", "period": "2026-03", "amount": "1"}),
            Row(4, {"account_code": "6602", "period": "03/2026", "amount": "-5", "on_exceed": "stop"}),
            Row(5, {"account_code": "6602", "period": "2026", "amount": "10"}),
            Row(6, {"account_code": "6602", "period": "2026", "amount": "20"})]
    plan = plan_import(BUDGETS, rows, Existing({}, {"accounts": frozenset(PARENTS),
                                                    "cost-centres": frozenset({"CC-SALES"})}))
    assert [(error.row, error.field) for error in plan.errors] == [
        (2, "account_code"), (3, "cost_centre_code"), (4, "amount"), (4, "on_exceed"), (4, "period"),
        (6, "key")]
    messages = {error.field: error.message for error in plan.errors}
    assert messages["on_exceed"] == "'stop' is not one of warn, block"
    assert messages["key"] == "6602 / every cost centre / 2026 is on row 5 already"
    assert messages["account_code"].startswith("9999 is not an active account of the chart")
