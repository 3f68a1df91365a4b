"""extraction.validate.validate for every document type: each rule, its severity and a message with the numbers."""

from __future__ import annotations

from datetime import date

import pytest

from extraction.model import Issue
from extraction.validate import VALUE_RULES, item_values, revalidated, validate

TODAY = date(2024, 6, 1)
INVOICE = {
    "invoice_number": "INV-1", "invoice_date": "2024-03-12", "due_date": "2024-04-11", "vendor_name": "Northwind",
    "vendor_tax_id": "DE136695976", "vendor_iban": "DE89370400440532013000", "currency": "EUR",
    "subtotal": "251.50", "tax_amount": "47.79", "tax_rate": "19", "total_amount": "299.29",
    "line_items": [{"description": "Paper", "amount": "124.50"}, {"description": "Toner", "amount": "127.00"}],
}
RECEIPT = {"merchant_name": "Golden Harvest", "transaction_date": "2024-03-12", "currency": "MYR",
           "subtotal": "37.00", "tax_amount": "2.22", "tax_rate": "6", "total_amount": "39.22"}
CONTRACT = {"title": "Cleaning services", "effective_date": "2024-01-01", "expiration_date": "2026-12-31",
            "total_value": "48000.00", "currency": "EUR"}
CLAIM = {"employee_name": "Ana Lima", "period_start": "2024-03-01", "period_end": "2024-03-31", "currency": "EUR",
         "total_amount": "86.40", "items": [{"date": "2024-03-04", "amount": "40.00", "currency": "EUR"},
                                            {"date": "2024-03-18", "amount": "46.40"}]}
GOOD = {"invoice": INVOICE, "receipt": RECEIPT, "contract": CONTRACT, "expense_claim": CLAIM}


def issues(doc_type: str, **changes) -> list[Issue]:
    values = {**GOOD[doc_type], **changes}
    return validate(doc_type, {k: v for k, v in values.items() if v is not ...}, TODAY)


def rules(found: list[Issue]) -> dict[str, str]:
    return {issue.rule: issue.severity for issue in found}


@pytest.mark.parametrize("doc_type", GOOD)
def test_a_consistent_document_of_each_type_has_no_issues(doc_type):
    assert issues(doc_type) == []


@pytest.mark.parametrize("doc_type", ["bank_statement", "other", None])
def test_types_without_rules_have_no_issues(doc_type):
    assert validate(doc_type, {"total_amount": "not an amount"}, TODAY) == []


@pytest.mark.parametrize(("doc_type", "missing", "severity"), [
    ("receipt", "total_amount", "error"), ("receipt", "merchant_name", "warning"),
    ("contract", "effective_date", "warning"), ("expense_claim", "total_amount", "error"),
    ("expense_claim", "employee_name", "warning"),
])
def test_required_fields_of_each_type(doc_type, missing, severity):
    assert Issue("required", severity, f"{missing} was not found") in issues(doc_type, **{missing: ...})


# sums


def test_line_items_that_do_not_add_up_to_the_subtotal_are_a_warning_with_the_tolerance():
    found = issues("invoice", line_items=[{"amount": "124.50"}, {"amount": "117.00"}])
    assert rules(found) == {"line_items_sum": "warning"}
    assert found[0].message == ("the 2 line items add up to 241.50, but the subtotal is 251.50 (0.02 is allowed, "
                                "0.01 a line)")


def test_line_items_including_the_tax_may_add_up_to_the_total():
    assert issues("invoice", line_items=[{"amount": "148.16"}, {"amount": "151.13"}]) == []


def test_line_items_within_a_cent_a_line_are_fine_and_lines_without_amounts_are_skipped():
    assert issues("invoice", line_items=[{"amount": "124.51"}, {"amount": "127.01"}, {"description": "note"}]) == []


def test_line_items_stored_as_fields_are_read_from_their_value():
    lines = [{"amount": {"value": "124.50", "confidence": 0.9}}, {"amount": {"value": "100.00", "confidence": 0.9}}]
    assert rules(issues("invoice", line_items=lines)) == {"line_items_sum": "warning"}


def test_a_receipt_adds_its_tip():
    assert issues("receipt", tip="5.00", total_amount="44.22") == []
    found = issues("receipt", tip="5.00", total_amount="45.22")
    assert rules(found) == {"totals_add_up": "error"}
    assert found[0].message == ("subtotal 37.00 + tax 2.22 + tip 5.00 = 44.22, but the total is 45.22 (a difference "
                                "of 1.00; 0.01 is allowed)")


def test_a_receipt_whose_prices_include_the_tax_adds_up():
    assert issues("receipt", subtotal="39.22", tax_amount="2.22", total_amount="39.22") == []


def test_tax_that_is_not_base_times_rate_names_the_expected_tax_and_tolerance():
    found = issues("receipt", tax_rate="8")
    assert rules(found) == {"tax_rate": "warning"}
    assert found[0].message == "8% of 37.00 is 2.96, not the tax 2.22 (0.05 is allowed for rounding)"


def test_expense_claim_items_must_add_up_to_the_total():
    found = issues("expense_claim", total_amount="96.40")
    assert rules(found) == {"items_sum": "error"}
    assert found[0].message == "the 2 items add up to 86.40, but the claim's total is 96.40 (0.01 is allowed)"


def test_the_items_a_reader_stored_are_judged_as_line_items_or_as_a_claims_items_by_type():
    stored = [{"amount": "40.00", "currency": "EUR"}, {"amount": "56.40", "currency": "EUR"}]
    claim = {k: v for k, v in CLAIM.items() if k != "items"} | item_values("expense_claim", stored)
    assert rules(validate("expense_claim", claim, TODAY)) == {"items_sum": "error"}
    invoice = {k: v for k, v in INVOICE.items() if k != "line_items"} | item_values("invoice", stored)
    assert rules(validate("invoice", invoice, TODAY)) == {"line_items_sum": "warning"}
    assert item_values("receipt", []) == {}


def test_expense_claim_items_in_another_currency_are_not_summed():
    items = [*CLAIM["items"], {"date": "2024-03-20", "amount": "100.00", "currency": "USD"}]
    assert issues("expense_claim", items=items) == []


# amounts


def test_an_absurdly_large_total_is_an_error_that_says_why():
    found = issues("invoice", subtotal=..., tax_amount=..., line_items=..., total_amount="1000000000000000.00")
    assert rules(found) == {"implausible_amount": "error"}
    assert found[0].message.startswith("total_amount 1000000000000000.00 is at least 1,000,000,000,000")
    assert "read together" in found[0].message


@pytest.mark.parametrize(("doc_type", "field"), [("receipt", "total_amount"), ("expense_claim", "total_amount"),
                                                 ("contract", "total_value")])
def test_a_negative_receipt_claim_or_contract_value_is_an_error(doc_type, field):
    changes = {field: "-39.22", "subtotal": ..., "tax_amount": ..., "items": ...}
    found = issues(doc_type, **changes)
    assert rules(found) == {"implausible_amount": "error"}
    assert found[0].message.startswith(f"{field} -39.22 is negative: ")


def test_a_negative_invoice_is_asked_about_as_a_credit_note():
    found = issues("invoice", subtotal="-251.50", tax_amount="-47.79", total_amount="-299.29", line_items=...)
    assert rules(found) == {"negative_total": "warning"}
    assert found[0].message == "the total -299.29 is negative: is this a credit note?"


@pytest.mark.parametrize("value", ["NaN", "Infinity", "12,50 EUR", True])
def test_values_that_are_not_finite_amounts_are_format_errors(value):
    assert rules(issues("receipt", tip=value)) == {"amount_format": "error"}


# the amount in words (大写)


def test_a_capital_numeral_total_that_matches_the_figure_is_fine():
    assert issues("invoice", total_amount_in_words="贰佰玖拾玖元贰角玖分") == []


def test_a_capital_numeral_total_that_does_not_match_is_an_error_with_both_amounts():
    found = issues("invoice", total_amount_in_words="叁佰元整")
    assert rules(found) == {"capital_amount": "error"}
    assert found[0].message == "the amount in words '叁佰元整' is 300.00, but the total in figures is 299.29"


def test_capital_numerals_that_are_not_an_amount_are_a_warning():
    found = issues("invoice", total_amount_in_words="叁叁元")
    assert rules(found) == {"capital_amount": "warning"}
    assert "299.29" in found[0].message


# dates


@pytest.mark.parametrize(("doc_type", "field"), [("invoice", "invoice_date"), ("receipt", "transaction_date"),
                                                 ("contract", "effective_date"), ("expense_claim", "period_start")])
def test_a_date_before_1900_is_an_error(doc_type, field):
    found = issues(doc_type, **{field: "1899-12-31"})
    assert ("implausible_date", "error") in {(i.rule, i.severity) for i in found}
    assert f"the {field.replace('_', ' ')} 1899-12-31 is before 1900" in [i.message for i in found][0]


def test_a_date_far_ahead_is_a_warning_but_a_long_contract_is_fine():
    found = issues("invoice", due_date="2034-06-02")
    assert rules(found) == {"implausible_date": "warning"}
    assert found[0].message == "the due date 2034-06-02 is more than 10 years ahead: it was probably misread"
    assert issues("contract", expiration_date="2099-12-31") == []
    assert rules(issues("contract", expiration_date="2124-06-02")) == {"implausible_date": "warning"}


def test_a_receipt_from_the_future_is_a_warning():
    found = issues("receipt", transaction_date="2024-06-02")
    assert rules(found) == {"date_in_future": "warning"}
    assert found[0].message == "the transaction date 2024-06-02 is in the future"


def test_a_period_that_ends_before_it_starts_is_a_warning():
    found = issues("expense_claim", period_end="2024-02-28", items=...)
    assert rules(found) == {"period_end_before_start": "warning"}
    assert found[0].message == "the period end 2024-02-28 is before the period start 2024-03-01"


def test_a_contract_that_expires_before_it_takes_effect_is_a_warning():
    found = issues("contract", expiration_date="2023-12-31")
    assert rules(found) == {"expiration_before_effective": "warning"}
    assert found[0].message == "the expiration date 2023-12-31 is before the effective date 2024-01-01"


def test_a_claim_item_outside_the_period_is_a_warning():
    items = [CLAIM["items"][0], {"date": "2024-04-02", "amount": "46.40"}]
    found = issues("expense_claim", items=items)
    assert rules(found) == {"item_outside_period": "warning"}
    assert found[0].message == "item 2 is dated 2024-04-02, outside the claim's period 2024-03-01 to 2024-03-31"


# currencies and identifiers


@pytest.mark.parametrize("code", ["EUR", "KES", "VND", "CHF", "usd"])
def test_iso_4217_currencies_are_known(code):
    assert issues("receipt", currency=code) == []


def test_an_unknown_currency_is_an_error():
    found = issues("receipt", currency="EURO")
    assert rules(found) == {"currency": "error"}
    assert found[0].message == "the currency 'EURO' is not an ISO 4217 code (such as EUR, USD or CNY)"


def test_a_contract_without_a_value_needs_no_currency():
    assert issues("contract", total_value=..., currency=...) == []
    assert rules(issues("contract", currency=...)) == {"currency": "warning"}


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("vendor_tax_id", "DE136695977", "tax_id"), ("customer_tax_id", "GB123456789", "tax_id"),
    ("vendor_iban", "DE89370400440532013001", "iban"), ("vendor_bic", "DEUT1EFF", "bic"),
])
def test_invalid_identifiers_on_an_invoice_are_warnings(field, value, rule):
    found = issues("invoice", **{field: value})
    assert rules(found) == {rule: "warning"}
    assert found[0].message.startswith(f"{field} {value!r} is not a valid")


def test_a_receipts_merchant_tax_id_is_checked():
    found = issues("receipt", merchant_tax_id="DE136695977")
    assert rules(found) == {"tax_id": "warning"}
    assert found[0].message == "merchant_tax_id 'DE136695977' is not a valid EU VAT: the check digit does not match"


# corrections


def test_a_correction_judges_the_tax_id_again_and_keeps_the_issues_about_the_file():
    first = [*(i.as_json() for i in issues("invoice", vendor_tax_id="DE136695977")),
             {"rule": "duplicate", "severity": "warning", "message": "probably the same invoice as ..."},
             {"rule": "einvoice_schema", "severity": "error", "message": "the XML is not valid"}]
    corrected = revalidated({**INVOICE, "vendor_tax_id": "DE136695976"}, first, TODAY, "invoice")
    assert [issue["rule"] for issue in corrected] == ["duplicate", "einvoice_schema"]
    still_wrong = revalidated({**INVOICE, "vendor_tax_id": "DE 136 695 978"}, first, TODAY, "invoice")
    assert [issue["rule"] for issue in still_wrong] == ["duplicate", "einvoice_schema", "tax_id"]


def test_a_correction_uses_the_rules_of_the_documents_type():
    corrected = revalidated({**RECEIPT, "total_amount": "-1.00", "subtotal": None, "tax_amount": None}, [], TODAY,
                            "receipt")
    assert [issue["rule"] for issue in corrected] == ["implausible_amount"]


def test_every_rule_that_validate_can_give_is_judged_again_on_correction():
    odd = {"total_amount": "1e16", "subtotal": "-5", "tax_amount": "x", "currency": "ZZZ", "invoice_date": "1800-01-01",
           "due_date": "1700-01-01", "vendor_tax_id": "DE1", "vendor_iban": "DE00", "vendor_bic": "X",
           "total_amount_in_words": "叁佰元整", "line_items": [{"amount": "1"}], "tax_rate": "5",
           "period_start": "2024-03-01", "period_end": "2024-02-01", "effective_date": "2024-03-01",
           "expiration_date": "2024-02-01", "items": [{"date": "2020-01-01", "amount": "1"}]}
    found = {issue.rule for doc_type in GOOD for issue in validate(doc_type, odd, TODAY)}
    assert found <= VALUE_RULES
    assert len(found) >= 12
