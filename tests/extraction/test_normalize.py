"""extraction.normalize: printed amounts with their currency, dates, currencies and 大写 totals in canonical form."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.money import parse_date
from extraction.normalize import MoneyValue, amount_in, capital_matches, chinese_capital_amount, currency_code


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("TOTAL EUR €1,103.03", "1103.03", "EUR"),
    ("RM 12.50", "12.50", "MYR"),
    ("RM12.50", "12.50", "MYR"),
    ("¥1,234.00", "1234.00", "CNY"),
    ("￥88.00", "88.00", "CNY"),
    ("合计 88.00元", "88.00", "CNY"),
    ("RMB 1,000.00", "1000.00", "CNY"),
    ("1.234,56 €", "1234.56", "EUR"),
    ("Gesamtbetrag 1.234,56 EUR", "1234.56", "EUR"),
    ("CHF 1'234.50", "1234.50", "CHF"),
    ("CHF 1’234.50", "1234.50", "CHF"),
    ("USD -5.00", "-5.00", "USD"),
    ("(12.00)", "-12.00", None),
    ("Credit (1,234.56)", "-1234.56", None),
    ("12,-", "12", None),
    ("Summe 12,- €", "12", "EUR"),
    ("£9.99", "9.99", "GBP"),
    ("S$ 15.90", "15.90", "SGD"),
    ("US$ 15.90", "15.90", "USD"),
    ("$ 12.00", "12.00", "USD"),
    ("AUD $45.00", "45.00", "AUD"),
    ("Total 1 234,56 €", "1234.56", "EUR"),
    ("Subtotal 100.00 VAT 19% Total 119.00", "119.00", None),
    ("Total: 42", "42", None),
    ("1000000000000000", "1000000000000000", None),
])
def test_amount_in_reads_the_amount_and_currency_of_a_printed_total(text, amount, currency):
    assert amount_in(text) == MoneyValue(Decimal(amount), currency)


def test_amount_in_keeps_the_printed_precision():
    assert str(amount_in("RM 12.50").amount) == "12.50"


@pytest.mark.parametrize("text", ["", "   ", "TOTAL", "EUR", "€", "19%", "1.2.3", "x" * 100_000, "total due: n/a"])
def test_amount_in_returns_none_when_there_is_no_amount(text):
    assert amount_in(text) is None


def test_amount_in_reads_a_very_long_line_without_trouble():
    assert amount_in("Item " * 20_000 + "EUR 3.50") == MoneyValue(Decimal("3.50"), "EUR")
    assert amount_in("9" * 5_000).amount == Decimal("9" * 5_000)


@pytest.mark.parametrize(("text", "expected"), [
    ("25/12/2018", date(2018, 12, 25)),
    ("25.12.2018", date(2018, 12, 25)),
    ("2018-12-25", date(2018, 12, 25)),
    ("2018/12/25", date(2018, 12, 25)),
    ("12/25/2018", date(2018, 12, 25)),
    ("Dec 25, 2018", date(2018, 12, 25)),
    ("25 Dec 2018", date(2018, 12, 25)),
    ("December 25th, 2018", date(2018, 12, 25)),
    ("1st March 2024", date(2024, 3, 1)),
    ("2018年12月25日", date(2018, 12, 25)),
    ("开票日期: 2018 年 12 月 25 日", date(2018, 12, 25)),
    ("25-Dec-18", date(2018, 12, 25)),
    ("25.12.18", date(2018, 12, 25)),
    ("Date: 03/04/99", date(1999, 4, 3)),
    ("Invoice date 25/12/2018 due 24/01/2019", date(2018, 12, 25)),
])
def test_parse_date_reads_common_printed_dates(text, expected):
    assert parse_date(text) == expected


def test_parse_date_reads_month_first_when_told_and_when_the_day_cannot_be_the_month():
    assert parse_date("03/04/2024", day_first=False) == date(2024, 3, 4)
    assert parse_date("25/12/2018", day_first=False) == date(2018, 12, 25)
    assert parse_date("12/25/2018", day_first=True) == date(2018, 12, 25)


@pytest.mark.parametrize("text", [
    "", "no date", "1899-12-31", "25.12.1850", "2999-01-01", "01/01/2150", "31/02/2018", "25/13/2018", "12.34.56",
    "1.2.3", "Dec 2018", "25 Foo 2018", "x" * 100_000, "1000000000000000",
])
def test_parse_date_returns_none_for_missing_impossible_or_implausible_dates(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("壹万贰仟叁佰肆拾伍元陆角柒分", "12345.67"),
    ("⊗叁佰元整", "300"),
    ("ⓧ叁佰圆整", "300"),
    ("人民币伍佰陆拾元零捌分", "560.08"),
    ("壹拾万元整", "100000"),
    ("贰佰零伍元伍角", "205.5"),
    ("价税合计(大写) ⊗壹仟零捌拾元零伍分 (小写) ¥1080.05", "1080.05"),
    ("壹亿贰仟万零叁元正", "120000003"),
    ("拾元整", "10"),
    ("零元整", "0"),
    ("伍角", "0.5"),
    ("玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分", "99999999.99"),
])
def test_chinese_capital_amount_reads_the_capital_numeral_total(text, expected):
    assert chinese_capital_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", [
    "", "整", "元整", "人民币", "1080.05", "壹壹元", "壹拾壹佰元", "叁佰元 叁佰元", "叁元伍分伍角", "x" * 100_000,
])
def test_chinese_capital_amount_returns_none_when_the_numerals_do_not_make_an_amount(text):
    assert chinese_capital_amount(text) is None


@pytest.mark.parametrize(("capital", "figure", "matches"), [
    ("⊗叁佰元整", "300.00", True),
    ("壹万贰仟叁佰肆拾伍元陆角柒分", "12345.67", True),
    ("壹万贰仟叁佰肆拾伍元陆角柒分", "12345.76", False),
    ("人民币伍佰陆拾元零捌分", "560.80", False),
    ("not numerals", "0", False),
])
def test_capital_matches_checks_the_capital_total_against_the_figure(capital, figure, matches):
    assert capital_matches(capital, Decimal(figure)) is matches


@pytest.mark.parametrize(("text", "expected"), [
    ("EUR", "EUR"), ("eur", "EUR"), (" usd ", "USD"), ("€", "EUR"), ("£", "GBP"), ("$", "USD"), ("S$", "SGD"),
    ("¥", "CNY"), ("￥", "CNY"), ("元", "CNY"), ("RMB", "CNY"), ("人民币", "CNY"), ("RM", "MYR"), ("MYR", "MYR"),
    ("CHF", "CHF"),
])
def test_currency_code_reads_a_currency_written_alone(text, expected):
    assert currency_code(text) == expected


@pytest.mark.parametrize("text", ["", "XYZ", "Euro zone", "12.00", "FORM", "TOTAL EUR 12.00 and more words"])
def test_currency_code_returns_none_for_text_that_is_not_a_currency(text):
    assert currency_code(text) is None
