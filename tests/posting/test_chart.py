"""posting.chart and the seed charts: what drafting needs of a chart, and the two charts a company starts from."""

from __future__ import annotations

import typing
from decimal import Decimal

import pytest

from core.settings import Settings
from posting.chart import ROLES, AccountSpec, missing_accounts, missing_accounts_detail
from posting.masterdata.seeds import CHARTS, seed_rows
from posting.masterdata.validation import Row
from tests.posting.charts import seeded

VOUCHER_LINE_KINDS = ("expense", "asset", "input_tax", "payable", "employee_payable", "bank", "fee", "discount",
                      "rounding", "fx")
"""The ``kind`` of a voucher line (DESIGN.md, section 4): drafting finds each one's account by the role of that name."""
FORMER_DEFAULT_CHART = {"1200": "bank", "1400": "input_tax", "1500": "asset", "2000": "payable",
                        "2100": "employee_payable", "6000": "expense", "6100": None, "6200": None, "6300": None,
                        "6800": "fee", "6900": "rounding"}
"""The chart every company had before the seeds: existing vouchers use these codes."""


def test_a_chart_lacking_a_role_is_named_and_inactive_accounts_do_not_count():
    chart = [AccountSpec("6000", "General", "expense", "expense"), AccountSpec("2000", "AP", "liability", "payable"),
             AccountSpec("1400", "VAT", "asset", "input_tax", active=False)]
    assert missing_accounts(chart, {"expense", "input_tax", "payable"}) == ["input_tax"]
    assert missing_accounts(chart, ["payable", "expense"]) == []
    assert missing_accounts([], ["payable", "expense"]) == ["expense", "payable"]


def test_the_missing_account_error_says_which_role_and_how_to_add_it():
    detail = missing_accounts_detail(["input_tax"])
    assert "no active account with the role 'input_tax' (deductible input VAT)" in detail
    assert "nothing was posted" in detail
    assert "import one with role input_tax" in detail and "ledgerdesk import-master accounts FILE" in detail
    assert 'PATCH /api/v1/accounts/{code} with {"role": "input_tax"}' in detail


@pytest.mark.parametrize("chart", CHARTS)
def test_each_seed_has_an_account_for_every_kind_of_voucher_line(chart):
    accounts, _ = seeded(chart)
    assert missing_accounts(accounts.values(), VOUCHER_LINE_KINDS) == []
    assert {account.role for account in accounts.values()} - {None} <= set(ROLES)


@pytest.mark.parametrize("chart", CHARTS)
def test_every_tax_code_of_a_seed_posts_to_an_account_of_its_chart(chart):
    accounts, tax_codes = seeded(chart)
    assert len(tax_codes) >= 8
    for tax_code in tax_codes.values():
        if tax_code.deductible or tax_code.kind == "output":
            assert tax_code.account_code in accounts, tax_code
        assert tax_code.account_code is None or accounts[tax_code.account_code].active
        assert Decimal("0") <= tax_code.rate <= Decimal("100")


@pytest.mark.parametrize("chart", CHARTS)
def test_every_parent_of_a_seed_is_an_account_of_it(chart):
    accounts, _ = seeded(chart)
    assert all(account.parent_code in accounts for account in accounts.values() if account.parent_code)


def test_the_ifrs_seed_keeps_the_former_default_chart():
    accounts, tax_codes = seeded("ifrs")
    assert {code: accounts[code].role for code in FORMER_DEFAULT_CHART} == FORMER_DEFAULT_CHART
    assert accounts["6000"].name == "General expenses" and accounts["2000"].name == "Accounts payable"
    expense_names = {a.name for a in accounts.values() if a.account_type == "expense"}
    assert {"Meals and entertainment", "Travel", "Lodging", "Fuel and vehicle costs", "Telecommunications and internet",
            "Office supplies", "Software and subscriptions", "Rent and facilities", "Professional fees",
            "Non-deductible VAT"} <= expense_names
    assert {a.role for a in accounts.values()} >= {"revenue", "equity", "cash", "receivable", "accrual",
                                                   "employee_advance", "non_deductible_tax", "fx"}
    assert (tax_codes["S20"].rate, tax_codes["S20"].account_code) == (Decimal("20.00"), "1400")
    assert not tax_codes["ND20"].deductible and tax_codes["ND20"].account_code == "6950"
    assert tax_codes["EX"].rate == 0 and not tax_codes["EX"].deductible


def test_the_chinese_seed_has_the_cas_codes_and_names():
    accounts, tax_codes = seeded("cn-cas")
    names = {code: account.name for code, account in accounts.items()}
    assert {code: names[code] for code in ("1001", "1002", "1122", "1221", "1601", "2202", "2211", "2221", "2241",
                                           "6001", "6602", "6603")} == {
        "1001": "库存现金", "1002": "银行存款", "1122": "应收账款", "1221": "其他应收款", "1601": "固定资产",
        "2202": "应付账款", "2211": "应付职工薪酬", "2221": "应交税费", "2241": "其他应付款", "6001": "主营业务收入",
        "6602": "管理费用", "6603": "财务费用"}
    assert (accounts["222101"].name, accounts["222101"].parent_code) == ("应交增值税", "2221")
    assert (accounts["22210101"].name, accounts["22210101"].parent_code, accounts["22210101"].role) == (
        "进项税额", "222101", "input_tax")
    assert (accounts["22210102"].name, accounts["22210102"].role) == ("销项税额", "output_tax")
    assert [names[f"6602{n:02d}"] for n in range(1, 5)] == ["办公费", "差旅费", "业务招待费", "交通费"]
    assert (names["660301"], names["660302"]) == ("手续费", "汇兑损益")
    assert accounts["2202"].role == "payable" and accounts["660299"].role == "expense"


def test_the_chinese_seed_has_special_invoices_deductible_and_general_ones_not():
    _, tax_codes = seeded("cn-cas")
    special = {code: t for code, t in tax_codes.items() if code.endswith("S")}
    general = {code: t for code, t in tax_codes.items() if code.endswith("G")}
    assert sorted(t.rate for t in special.values()) == [Decimal(r) for r in ("3.00", "6.00", "9.00", "13.00")]
    assert all(t.deductible and t.account_code == "22210101" and "专用发票" in t.name for t in special.values())
    assert sorted(t.rate for t in general.values()) == [Decimal(r) for r in ("3.00", "6.00", "9.00", "13.00")]
    assert all(not t.deductible and t.account_code is None and "普通发票" in t.name for t in general.values())
    assert tax_codes["OUT13"].kind == "output" and tax_codes["OUT13"].account_code == "22210102"


def test_the_chart_setting_offers_the_seeds_there_are():
    assert typing.get_args(Settings.model_fields["chart"].annotation) == CHARTS
    assert Settings().chart == "ifrs"


def test_seed_rows_add_what_is_missing_merge_or_replace():
    rows = [Row(1, {"code": "1", "name": "One", "account_type": "asset"}),
            Row(2, {"code": "2", "name": "Two", "account_type": "asset"})]
    records = {"2": AccountSpec("2", "Mine", "asset", active=False), "9": AccountSpec("9", "Own", "asset"),
               "8": AccountSpec("8", "Old", "asset", active=False)}
    assert [row.values["code"] for row in seed_rows(rows, "code", records, "missing")] == ["1"]
    merged = seed_rows(rows, "code", records, "merge")
    assert [(row.values["code"], row.values["active"]) for row in merged] == [("1", "true"), ("2", "true")]
    replaced = seed_rows(rows, "code", records, "replace")
    assert [(row.number, row.values["code"], row.values["active"]) for row in replaced] == [
        (1, "1", "true"), (2, "2", "true"), (3, "9", "false")]


RECEIPT_CATEGORIES = ("meals", "groceries", "lodging", "travel", "local_transport", "fuel", "office_supplies",
                      "hardware", "telecom", "software")
"""The categories ``extraction.learned.category`` gives receipts."""


@pytest.mark.parametrize(("chart", "expected"), [
    ("ifrs", {"meals": "6220", "lodging": "6210", "travel": "6200", "local_transport": "6240", "fuel": "6230",
              "office_supplies": "6100", "telecom": "6400", "software": "6300", "hardware": "6750",
              "groceries": "6220"}),
    ("cn-cas", {"meals": "660203", "lodging": "660202", "travel": "660202", "local_transport": "660204",
                "fuel": "660215", "office_supplies": "660201", "telecom": "660205", "software": "660216"}),
])
def test_each_seed_drafts_receipt_categories_to_expense_accounts(chart, expected):
    accounts, _ = seeded(chart)
    found = {category: code for code, account in accounts.items() for category in account.categories}
    assert found == expected
    assert set(found) <= set(RECEIPT_CATEGORIES)
    assert all(accounts[code].account_type == "expense" for code in found.values())
