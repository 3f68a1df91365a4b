"""extraction.validate.validate_invoice (the invoice rules of ``validate``): plain field values in, a list of issues out
(never raises). The other types and the rules added for them: test_validate_types.py."""

from __future__ import annotations

from datetime import date

import pytest

from extraction.model import Issue
from extraction.validate import REQUIRED_INVOICE_FIELDS, validate_invoice

TODAY = date(2024, 6, 1)
GOOD = {
    "invoice_number": "INV-1", "invoice_date": "2024-03-12", "due_date": "2024-04-11", "vendor_name": "Northwind",
    "currency": "EUR", "subtotal": "251.50", "tax_amount": "47.79", "tax_rate": "19", "total_amount": "299.29",
}


def issues_of(**changes) -> list[Issue]:
    values = {**GOOD, **changes}
    return validate_invoice({k: v for k, v in values.items() if v is not ...}, TODAY)


def rules(issues: list[Issue]) -> dict[str, str]:
    return {issue.rule: issue.severity for issue in issues}


def test_a_consistent_invoice_has_no_issues():
    assert validate_invoice(GOOD, TODAY) == []


def test_totals_that_do_not_add_up_are_an_error_that_shows_the_sums():
    issues = issues_of(total_amount="300.29")
    assert rules(issues) == {"totals_add_up": "error"}
    assert issues[0].message == ("subtotal 251.50 + tax 47.79 = 299.29, but the total is 300.29 (a difference of 1.00; "
                                 "0.01 is allowed)")


@pytest.mark.parametrize("total", ["299.28", "299.30"])
def test_a_one_cent_difference_is_tolerated(total):
    assert issues_of(total_amount=total) == []


def test_a_two_cent_difference_is_not_tolerated():
    assert rules(issues_of(total_amount="299.31")) == {"totals_add_up": "error"}


def test_totals_are_only_checked_when_all_three_amounts_are_present():
    assert "totals_add_up" not in rules(issues_of(subtotal=..., total_amount="999.00", tax_rate=...))


def test_an_invoice_date_in_the_future_is_a_warning():
    issues = issues_of(invoice_date="2024-06-02", due_date="2024-07-02")
    assert rules(issues) == {"date_in_future": "warning"}
    assert "2024-06-02" in issues[0].message


def test_an_invoice_dated_today_is_fine():
    assert issues_of(invoice_date=TODAY.isoformat(), due_date="2024-07-01") == []


def test_a_due_date_before_the_invoice_date_is_a_warning():
    issues = issues_of(due_date="2024-03-11")
    assert rules(issues) == {"due_before_issue": "warning"}
    assert issues[0].message == "the due date 2024-03-11 is before the invoice date 2024-03-12"


def test_due_on_the_day_of_issue_is_fine():
    assert issues_of(due_date="2024-03-12") == []


def test_a_missing_total_is_an_error_and_other_missing_required_fields_are_warnings():
    issues = validate_invoice({}, TODAY)
    required = {i.message.split()[0]: i.severity for i in issues if i.rule == "required"}
    assert required == {"invoice_number": "warning", "invoice_date": "warning", "vendor_name": "warning",
                        "total_amount": "error"}
    assert set(required) == set(REQUIRED_INVOICE_FIELDS)
    assert rules(issues)["currency"] == "warning"


@pytest.mark.parametrize("name", REQUIRED_INVOICE_FIELDS)
@pytest.mark.parametrize("empty", [..., None, ""])
def test_each_required_field_is_reported_when_missing_or_empty(name, empty):
    issues = issues_of(**{name: empty})
    assert Issue("required", "error" if name == "total_amount" else "warning", f"{name} was not found") in issues


def test_a_missing_currency_says_the_base_currency_is_assumed():
    issues = issues_of(currency=...)
    assert rules(issues) == {"currency": "warning"}
    assert "base currency" in issues[0].message


def test_an_amount_that_is_not_a_number_is_an_error():
    issues = issues_of(tax_amount="forty")
    assert rules(issues) == {"amount_format": "error"}
    assert "tax_amount 'forty' is not an amount" in issues[0].message


def test_a_negative_total_asks_whether_it_is_a_credit_note():
    issues = issues_of(subtotal="-100.00", tax_amount="-19.00", total_amount="-119.00", tax_rate=...)
    assert rules(issues) == {"negative_total": "warning"}
    assert "credit note" in issues[0].message


def test_a_tax_that_does_not_match_the_rate_is_a_warning():
    issues = issues_of(tax_rate="10")
    assert rules(issues) == {"tax_rate": "warning"}
    assert issues[0].message == "10% of 251.50 is 25.15, not the tax 47.79 (0.05 is allowed for rounding)"


def test_the_expected_tax_in_the_message_is_rounded_half_up():
    assert issues_of(tax_rate="7")[0].message.startswith("7% of 251.50 is 17.61, not the tax 47.79")


def test_the_rate_check_allows_five_cents_of_rounding():
    assert issues_of(subtotal="100.00", tax_amount="19.05", total_amount="119.05") == []
    assert rules(issues_of(subtotal="100.00", tax_amount="19.06", total_amount="119.06")) == {"tax_rate": "warning"}


def test_several_problems_are_all_reported():
    found = rules(issues_of(invoice_number=..., total_amount="1.00", invoice_date="2025-01-01",
                            due_date="2024-12-01"))
    assert found == {"required": "warning", "totals_add_up": "error", "date_in_future": "warning",
                     "due_before_issue": "warning"}


def test_unreadable_dates_are_not_checked_and_do_not_raise():
    assert issues_of(invoice_date="12/03/2099", due_date="soon") == []


def test_issues_serialise_in_the_api_shape():
    issue = issues_of(total_amount="1.00")[0]
    assert issue.as_json() == {"rule": "totals_add_up", "severity": "error", "message": issue.message}
