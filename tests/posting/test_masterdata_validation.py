"""posting.masterdata.validation: every row checked against the company's master data before any is written; each
kind of wrong row gives an error naming its row and column, and a plan with an error changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from posting.chart import AccountSpec, TaxCodeSpec
from posting.masterdata.records import TABLES, CostCentreSpec, EmployeeSpec
from posting.masterdata.validation import Existing, ImportPlan, Row, RowError, plan_import

CHART = {"6": AccountSpec("6", "Expenses", "expense"),
         "6000": AccountSpec("6000", "General expenses", "expense", "expense", "6"),
         "2000": AccountSpec("2000", "Accounts payable", "liability", "payable"),
         "1400": AccountSpec("1400", "Input VAT", "asset", "input_tax"),
         "1999": AccountSpec("1999", "Old VAT", "asset", active=False)}
ACTIVE_ACCOUNTS = frozenset(code for code, account in CHART.items() if account.active)


def plan(table: str, *values: dict, records: dict | None = None, **references: frozenset[str]) -> ImportPlan:
    rows = [Row(number, row) for number, row in enumerate(values, start=2)]
    known = {"accounts": ACTIVE_ACCOUNTS, "cost-centres": frozenset({"ADM"}), "users": frozenset({"ada@acme.test"})}
    return plan_import(TABLES[table], rows, Existing(CHART if records is None else records, known | references))


def errors(result: ImportPlan) -> list[tuple[int, str, str]]:
    assert result.changes == () and result.unchanged == 0, "a plan with errors changes nothing"
    return [(error.row, error.field, error.message) for error in result.errors]


def test_new_records_are_created_and_known_ones_updated_column_by_column():
    result = plan("accounts", {"code": "6100", "name": "Office", "account_type": "expense", "parent_code": "6"},
                  {"code": "6000", "name": "General costs"}, {"code": "2000", "name": "Accounts payable"})
    assert result.errors == () and (result.created, result.updated, result.unchanged) == (1, 1, 1)
    created, updated = result.changes
    assert created.before is None and created.after == AccountSpec("6100", "Office", "expense", None, "6")
    assert updated.before == CHART["6000"]
    assert updated.after == AccountSpec("6000", "General costs", "expense", "expense", "6"), "other columns kept"


def test_an_empty_cell_empties_an_optional_column():
    result = plan("accounts", {"code": "6000", "parent_code": "", "role": None})
    assert result.changes[0].after == AccountSpec("6000", "General expenses", "expense", None, None)


def test_a_parent_may_come_later_in_the_same_file():
    result = plan("accounts", {"code": "7100", "name": "FX", "account_type": "expense", "parent_code": "7"},
                  {"code": "7", "name": "Finance", "account_type": "expense"})
    assert result.errors == () and result.created == 2


def test_an_unknown_or_inactive_parent_account_is_named():
    result = plan("accounts", {"code": "6100", "name": "Office", "account_type": "expense", "parent_code": "9"},
                  {"code": "1410", "name": "VAT 2", "account_type": "asset", "parent_code": "1999"})
    assert errors(result) == [
        (2, "parent_code", "9 is not an active account of the chart: add it first (ledgerdesk import-master "
                           "accounts, or in the same file for accounts) or correct the code"),
        (3, "parent_code", "1999 is not an active account of the chart: add it first (ledgerdesk import-master "
                           "accounts, or in the same file for accounts) or correct the code")]


def test_a_code_twice_in_the_file_is_named_at_its_second_row():
    result = plan("cost-centres", {"code": "ADM", "name": "Admin"}, {"code": "SAL", "name": "Sales"},
                  {"code": "ADM", "name": "Administration"}, records={})
    assert errors(result) == [(4, "code", "ADM is on row 2 already")]


@pytest.mark.parametrize(("rate", "message"), [
    ("abc", "'abc' is not a number: write the rate in percent, e.g. 13 or 7.7"),
    ("-1", "'-1' is not a rate from 0 to 100 percent with at most two decimals"),
    ("101", "'101' is not a rate from 0 to 100 percent with at most two decimals"),
    ("7.125", "'7.125' is not a rate from 0 to 100 percent with at most two decimals"),
    ("NaN", "'NaN' is not a rate from 0 to 100 percent with at most two decimals"),
    ("", "required"),
])
def test_a_bad_rate_is_named(rate, message):
    result = plan("tax-codes", {"code": "S20", "name": "Standard", "rate": rate, "account_code": "1400"}, records={})
    assert errors(result) == [(2, "rate", message)]


@pytest.mark.parametrize(("rate", "expected"), [("13", "13.00"), ("7.7", "7.70"), ("19 %", "19.00"), ("0", "0.00")])
def test_a_rate_is_read_as_a_decimal_percent(rate, expected):
    result = plan("tax-codes", {"code": "S", "name": "S", "rate": rate, "account_code": "1400"}, records={})
    assert result.changes[0].after.rate == Decimal(expected) and str(result.changes[0].after.rate) == expected


def test_a_tax_code_naming_an_account_missing_from_the_chart_is_named():
    result = plan("tax-codes", {"code": "S20", "name": "Standard", "rate": "20", "account_code": "1450"}, records={})
    assert errors(result) == [(2, "account_code", "1450 is not an active account of the chart: add it first "
                                                  "(ledgerdesk import-master accounts, or in the same file for "
                                                  "accounts) or correct the code")]


def test_deductible_and_output_tax_need_an_account_but_a_non_deductible_one_does_not():
    result = plan("tax-codes", {"code": "S20", "name": "Standard", "rate": "20"},
                  {"code": "O20", "name": "Output", "rate": "20", "kind": "output", "deductible": "no"},
                  {"code": "G13", "name": "普票", "rate": "13", "deductible": "否"}, records={})
    assert errors(result) == [(2, "account_code", "a deductible input tax code needs the account its tax is posted to"),
                              (3, "account_code", "a output tax code needs the account its tax is posted to")]


def test_an_employee_naming_an_unknown_cost_centre_or_user_is_named():
    result = plan("employees", {"number": "E1", "name": "Ada", "cost_centre_code": "SAL"},
                  {"number": "E2", "name": "Bob", "user_email": "Bob@Acme.test"}, records={})
    assert errors(result) == [
        (2, "cost_centre_code", "SAL is not an active cost centre: add it first (ledgerdesk import-master "
                                "cost-centres, or in the same file for accounts) or correct the code"),
        (3, "user_email", "no active user of the company has the e-mail bob@acme.test; create the user first or leave "
                          "it empty")]


def test_two_active_employees_are_not_one_user():
    records = {"E1": EmployeeSpec("E1", "Ada", user_email="ada@acme.test")}
    result = plan("employees", {"number": "E2", "name": "Ada L.", "user_email": "ada@acme.test"}, records=records)
    assert errors(result) == [(2, "user_email", "user_email ada@acme.test is also that of employee E1; no two active "
                                                "employees share it: clear it on one, or deactivate one")]
    moved = plan("employees", {"number": "E2", "name": "Ada L.", "user_email": "ada@acme.test"},
                 {"number": "E1", "active": "false"}, records=records)
    assert moved.errors == () and (moved.created, moved.updated) == (1, 1)


def test_a_role_held_by_two_active_accounts_is_named_with_the_other():
    result = plan("accounts", {"code": "2010", "name": "AP 2", "account_type": "liability", "role": "payable"})
    assert errors(result) == [(2, "role", "role payable is also that of account 2000; no two active accounts share "
                                          "it: clear it on one, or deactivate one")]


def test_a_role_moves_when_the_file_clears_it_on_the_other_account():
    result = plan("accounts", {"code": "2010", "name": "AP 2", "account_type": "liability", "role": "payable"},
                  {"code": "2000", "role": ""})
    assert result.errors == () and (result.created, result.updated) == (1, 1)


def test_an_account_that_is_its_own_ancestor_is_named():
    result = plan("accounts", {"code": "6", "parent_code": "6000"}, {"code": "7", "name": "Seven",
                                                                      "account_type": "expense", "parent_code": "7"})
    assert errors(result) == [(2, "parent_code", "the parents of account 6 go round in a circle"),
                              (3, "parent_code", "the parents of account 7 go round in a circle")]


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"code": "61 00", "name": "x", "account_type": "expense"}, "code",
     "'61 00' is not a code: use letters, digits, '.', '-' or '_', without spaces or '/'"),
    ({"code": "6100", "name": "x", "account_type": "cost"}, "account_type",
     "'cost' is not one of asset, liability, equity, income, expense"),
    ({"code": "6100", "name": "x", "account_type": "expense", "role": "petty"}, "role", "'petty' is not one of "),
    ({"code": "6100", "name": "x" * 201, "account_type": "expense"}, "name", "at most 200 characters (201 given)"),
    ({"code": "6100", "name": "x", "account_type": "expense", "active": "maybe"}, "active",
     "'maybe' is not yes or no: write true or false"),
    ({"code": "6100", "name": "x", "account_type": "expense", "colour": "red"}, "colour",
     "accounts have no column 'colour'; they have code, name, account_type, parent_code, role, active"),
])
def test_values_that_cannot_be_read_are_named(values, field, message):
    [(row, named, text)] = errors(plan("accounts", values))
    assert (row, named) == (2, field) and text.startswith(message)


def test_a_new_record_needs_its_required_columns_and_an_update_does_not():
    assert errors(plan("accounts", {"code": "6100"})) == [(2, "account_type", "required for a new account"),
                                                          (2, "name", "required for a new account")]
    assert errors(plan("accounts", {"name": "No code"})) == [(2, "account_type", "required for a new account"),
                                                             (2, "code", "required for a new account")]
    assert plan("accounts", {"code": "6000", "name": "Renamed"}).updated == 1


def test_an_unknown_column_is_named_once_at_the_first_row_giving_it():
    result = plan("cost-centres", {"code": "A", "name": "a", "owner": "x"}, {"code": "B", "name": "b", "owner": "y"},
                  records={})
    assert errors(result) == [(2, "owner", "cost centres have no column 'owner'; they have code, name, active")]


def test_every_error_of_every_row_is_reported_in_row_order():
    result = plan("employees", {"number": "E1", "name": "", "email": "not-an-address"},
                  {"number": "E2", "name": "Bob", "cost_centre_code": "NOPE"}, records={})
    assert [(row, field) for row, field, _ in errors(result)] == [(2, "email"), (2, "name"),
                                                                  (3, "cost_centre_code")]


def test_an_inactive_record_may_keep_naming_inactive_ones():
    records = {"SAL": CostCentreSpec("SAL", "Sales", active=False)}
    assert plan("cost-centres", {"code": "SAL", "name": "Sales (closed)"}, records=records).updated == 1
    employee = {"E1": EmployeeSpec("E1", "Ada", cost_centre_code="SAL", active=False)}
    result = plan("employees", {"number": "E1", "name": "Ada Lovelace"}, records=employee)
    assert result.errors == () and result.updated == 1


def test_vendors_are_known_by_name_with_aliases_and_a_checked_iban():
    result = plan("vendors", {"name": "Northwind", "aliases": "Northwind Ltd | NW", "iban": "GB33 BUKB 2020 1555 5555 55",
                              "default_account_code": "6000", "cost_centre_code": "ADM", "payment_terms": "30 days net"},
                  records={})
    vendor = result.changes[0].after
    assert (vendor.aliases, vendor.iban, vendor.payment_terms) == (("Northwind Ltd", "NW"), "GB33BUKB20201555555555",
                                                                   "30 days net")
    bad = plan("vendors", {"name": "Globex", "iban": "GB00 BUKB 2020 1555 5555 55"}, records={})
    assert errors(bad) == [(2, "iban", "'GB00 BUKB 2020 1555 5555 55' is not a valid IBAN (its country, length or "
                                       "check digits are wrong)")]


def test_a_vendor_naming_an_unknown_account_or_cost_centre_is_named():
    result = plan("vendors", {"name": "Globex", "default_account_code": "9999", "cost_centre_code": "XX"}, records={})
    assert [(field, message.split(":")[0]) for _, field, message in errors(result)] == [
        ("cost_centre_code", "XX is not an active cost centre"),
        ("default_account_code", "9999 is not an active account of the chart")]


def test_a_tax_code_kept_as_it_is_counts_as_unchanged():
    records = {"S20": TaxCodeSpec("S20", "Standard", Decimal("20.00"), account_code="1400")}
    result = plan("tax-codes", {"code": "S20", "name": "Standard", "rate": "20", "account_code": "1400"},
                  records=records)
    assert (result.created, result.updated, result.unchanged, result.errors) == (0, 0, 1, ())


def test_errors_are_plain_sortable_values():
    assert sorted([RowError(3, "a", "x"), RowError(2, "b", "y")])[0] == RowError(2, "b", "y")


def test_categories_are_read_from_a_list_or_a_text_and_written_as_codes():
    result = plan("accounts", {"code": "6220", "name": "Meals", "account_type": "expense",
                               "categories": "Meals | local-transport|meals"},
                  {"code": "6230", "name": "Fuel", "account_type": "expense", "categories": ["Fuel"]})
    assert result.errors == ()
    assert [change.after.categories for change in result.changes] == [("local_transport", "meals"), ("fuel",)]


def test_a_category_two_active_accounts_would_share_is_named_at_each_row():
    records = CHART | {"6220": AccountSpec("6220", "Meals", "expense", categories=("meals",)),
                       "6230": AccountSpec("6230", "Old meals", "expense", active=False, categories=("meals",))}
    result = plan("accounts", {"code": "6240", "name": "Taxis", "account_type": "expense",
                               "categories": "meals|local_transport"}, records=records)
    assert errors(result) == [(2, "categories", "the category meals is also that of account 6220; no two active "
                                                "accounts share one: remove it from one")]
    moved = plan("accounts", {"code": "6220", "categories": ""},
                 {"code": "6240", "name": "Taxis", "account_type": "expense", "categories": "meals"}, records=records)
    assert moved.errors == () and moved.created == 1, "a category moves to another account in one file"


@pytest.mark.parametrize("written", ["meals/drinks", "1st class", "x" * 41])
def test_a_category_that_is_not_a_code_is_refused(written):
    result = plan("accounts", {"code": "6220", "categories": written})
    [(row, field, message)] = errors(result)
    assert (row, field) == (2, "categories") and ("is not a category" in message or "at most 40" in message)
