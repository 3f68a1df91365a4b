"""core.money: printed amounts and dates in, Decimals and dates out; rounding half up to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.money import money_str, parse_amount, parse_date, round_money


@pytest.mark.parametrize(("text", "expected"), [
    ("1,234.56", "1234.56"),
    ("1.234,56", "1234.56"),
    ("12.345.678,90", "12345678.90"),
    ("1,234,567.89", "1234567.89"),
    ("1 234,56", "1234.56"),
    ("CHF 1'234.50", "1234.50"),
    ("EUR 12.00", "12.00"),
    ("12.00 EUR", "12.00"),
    ("€1.234,56", "1234.56"),
    ("$ 12.00", "12.00"),
    ("0,05", "0.05"),
    ("12,5", "12.5"),
    ("1,234", "1234"),
    ("9,9000", "9.9000"),
    ("0,125", "0.125"),
    ("1.234,567", "1234.567"),
    ("42", "42"),
    ("-5", "-5"),
    ("USD -12.00", "-12.00"),
    ("(5.00)", "-5.00"),
    ("(1,234.56)", "-1234.56"),
])
def test_parse_amount_reads_printed_amounts(text, expected):
    assert parse_amount(text) == Decimal(expected)


def test_parse_amount_keeps_the_printed_precision():
    assert str(parse_amount("EUR 12.00")) == "12.00"
    assert str(parse_amount("1.234,50")) == "1234.50"


@pytest.mark.parametrize("text", ["", "   ", "abc", "EUR", "-", ".", ",", "1.2.3", "total due", "(n/a)"])
def test_parse_amount_returns_none_for_text_that_is_not_an_amount(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("1.234", "1234"),
    ("EUR 12.345", "12345"),
    ("12.345.678", "12345678"),
    ("0.123", "0.123"),
    ("1.2345", "1.2345"),
])
def test_parse_amount_reads_a_dot_before_groups_of_three_digits_as_thousands(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(("amount", "expected"), [
    ("0.005", "0.01"),
    ("0.015", "0.02"),
    ("0.025", "0.03"),
    ("2.675", "2.68"),
    ("1.004999", "1.00"),
    ("-0.005", "-0.01"),
    ("-2.675", "-2.68"),
    ("10", "10.00"),
    ("0", "0.00"),
    ("123456789.995", "123456790.00"),
])
def test_round_money_rounds_half_up_away_from_zero(amount, expected):
    rounded = round_money(Decimal(amount))
    assert rounded == Decimal(expected)
    assert rounded.as_tuple().exponent == -2


def test_round_money_differs_from_bankers_rounding():
    # Python's round() is half-even; the ledger rounds half up.
    assert round(Decimal("0.125"), 2) == Decimal("0.12")
    assert round_money(Decimal("0.125")) == Decimal("0.13")


def test_money_str_is_the_api_form_of_an_amount():
    assert money_str(Decimal("267.5")) == "267.50"
    assert money_str(Decimal("0.005")) == "0.01"
    assert money_str(None) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-12", date(2024, 3, 12)),
    ("Invoice date: 2024-03-12", date(2024, 3, 12)),
    ("2024/3/5", date(2024, 3, 5)),
    ("12.03.2024", date(2024, 3, 12)),
    ("12/03/2024", date(2024, 3, 12)),
    ("5.3.2024", date(2024, 3, 5)),
    ("2024年3月12日", date(2024, 3, 12)),
    ("开票日期: 2024年12月1日", date(2024, 12, 1)),
    ("March 12, 2024", date(2024, 3, 12)),
    ("Mar 12 2024", date(2024, 3, 12)),
    ("Mar. 12, 2024", date(2024, 3, 12)),
    ("12 Mar 2024", date(2024, 3, 12)),
    ("12 March 2024", date(2024, 3, 12)),
    ("1 Sept 2024", date(2024, 9, 1)),
    ("29.02.2024", date(2024, 2, 29)),
])
def test_parse_date_reads_common_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("25-Dec-18", date(2018, 12, 25)),
    ("25.12.18", date(2018, 12, 25)),
    ("31/12/99", date(1999, 12, 31)),
    ("December 25th, 2018", date(2018, 12, 25)),
    ("2nd Jan 2024", date(2024, 1, 2)),
    ("2024 年 3 月 12 日", date(2024, 3, 12)),
])
def test_parse_date_reads_two_digit_years_ordinals_and_spaced_chinese_dates(text, expected):
    assert parse_date(text) == expected


def test_parse_date_reads_month_first_when_the_second_number_cannot_be_a_month():
    assert parse_date("12/25/2018") == date(2018, 12, 25)
    assert parse_date("25/12/2018", day_first=False) == date(2018, 12, 25)


@pytest.mark.parametrize("text", ["1899-12-31", "01.01.1066", "3024-01-01", "12.34.56", "1.23.45"])
def test_parse_date_returns_none_for_implausible_years_and_digit_runs_that_are_not_dates(text):
    assert parse_date(text) is None


def test_parse_date_reads_day_first_unless_told_otherwise():
    assert parse_date("03/12/2024") == date(2024, 12, 3)
    assert parse_date("03/12/2024", day_first=False) == date(2024, 3, 12)


@pytest.mark.parametrize("text", [
    "", "nothing here", "31.02.2024", "29.02.2023", "2024-02-30", "2024-13-01", "32.01.2024",
    "February 30, 2024", "12 Foo 2024", "May 2024", "2024年13月1日",
])
def test_parse_date_returns_none_for_invalid_or_missing_dates(text):
    assert parse_date(text) is None


def test_parse_date_skips_an_invalid_candidate_and_finds_the_valid_date_after_it():
    assert parse_date("Ref 2024-13-01, dated 2024-03-12") == date(2024, 3, 12)


def test_parse_date_reads_the_date_of_an_iso_timestamp():
    assert parse_date("2024-03-12T10:00:00Z") == date(2024, 3, 12)
    assert parse_date("<cbc:IssueDate>2024-03-12</cbc:IssueDate>") == date(2024, 3, 12)


def test_parse_date_does_not_read_dates_out_of_longer_digit_runs():
    assert parse_date("Ref 12024-03-12") is None
    assert parse_date("Ref 12.03.20245") is None
