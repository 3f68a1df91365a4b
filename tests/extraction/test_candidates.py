"""extraction.learned.candidates: where a field's value could be, in canonical form, with its words."""

from __future__ import annotations

import pytest

from extraction.learned.candidates import amount_value, candidates, line_candidates
from extraction.model import Line, Word


def line(*texts: str, y: float = 0.1, page: int = 1, x: float = 0.05) -> Line:
    words, left = [], x
    for text in texts:
        width = 0.012 * len(text)
        words.append(Word(text, (left, y, left + width, y + 0.02)))
        left += width + 0.01
    return Line(page, tuple(words))


def values(found, kind: str) -> list[str]:
    return [c.value for c in found if c.kind == kind]


@pytest.mark.parametrize("token, expected", [
    ("9.00", "9.00"), ("RM9.00", "9.00"), ("1,103.03", "1103.03"), ("€1,103.03", "1103.03"),
    ("1.234,56", "1234.56"), ("(5.00)", "-5.00"), ("1'234.50", "1234.50"),
])
def test_money_amounts_in_their_printed_forms(token, expected):
    assert amount_value(token) == expected


@pytest.mark.parametrize("token", ["25/12/2018", "12:30", "2018", "12", "31.8%", "FORM9.00", "ABC"])
def test_dates_times_quantities_and_words_are_not_amounts(token):
    assert amount_value(token) is None


def test_a_line_offers_its_amounts_dates_times_rates_and_codes():
    found = line_candidates(line("25-Dec-18", "14:05", "INV-2041", "VAT", "6%", "TOTAL", "RM", "9.00"), 0)
    assert values(found, "amount") == ["9.00"]
    assert values(found, "date") == ["2018-12-25"]
    assert values(found, "time") == ["14:05"]
    assert values(found, "rate") == ["6"]
    assert "INV-2041" in values(found, "code")


@pytest.mark.parametrize("printed, rate", [(("20%",), "20"), (("VAT", "20", "%"), "20"), (("5,5", "%"), "5.5"),
                                           (("19.00%",), "19"), (("0%",), "0")])
def test_rates_are_read_as_the_tax_rate_field_writes_them(printed, rate):
    assert values(line_candidates(line(*printed), 0), "rate") == [rate]


@pytest.mark.parametrize("printed, iso", [
    (("Dec", "25,", "2018"), "2018-12-25"), (("25/12/2018",), "2018-12-25"), (("2018年12月25日",), "2018-12-25"),
    (("2018-12-25",), "2018-12-25"), (("25.12.2018",), "2018-12-25"),
])
def test_dates_in_common_forms_become_iso(printed, iso):
    assert values(line_candidates(line("Date:", *printed), 0), "date") == [iso]


def test_the_words_after_a_label_are_a_candidate_of_their_own():
    found = line_candidates(line("Bill", "to:", "ACME", "Trading", "Ltd"), 0)
    assert values(found, "rest") == ["ACME Trading Ltd"]
    assert [c.text for c in found if c.kind == "rest"] == ["ACME Trading Ltd"]


def test_a_registration_number_after_a_name_is_left_out_of_one_candidate():
    found = line_candidates(line("GARDENIA", "BAKERIES", "(KL)", "SDN", "BHD", "(139386", "X)"), 0)
    assert "GARDENIA BAKERIES (KL) SDN BHD" in values(found, "line")


def test_lines_right_under_each_other_make_blocks_and_a_gap_ends_them():
    lines = [line("NO", "8,", "JALAN", "7/118B,", y=0.10), line("DESA", "TUN", "RAZAK", y=0.125),
             line("56000", "KUALA", "LUMPUR", y=0.15), line("TOTAL", "9.00", y=0.40)]
    blocks = values(candidates(lines), "block")
    assert "NO 8, JALAN 7/118B, DESA TUN RAZAK 56000 KUALA LUMPUR" in blocks
    assert not any("TOTAL" in block for block in blocks)


def test_blocks_never_cross_pages():
    lines = [line("Seller", "GmbH", y=0.95, page=1), line("Hauptstr.", "1", y=0.02, page=2)]
    assert values(candidates(lines), "block") == []


@pytest.mark.parametrize("token, expected", [("（小写）¥1158.25", "1158.25"), ("Total:RM9.00", "9.00")])
def test_an_amount_printed_against_its_label_is_found(token, expected):
    assert values(line_candidates(line(token), 0), "amount") == [expected]


def test_a_thousands_group_printed_apart_joins_the_rest_of_the_amount():
    assert "2934.54" in values(line_candidates(line("Amount", "due:", "EUR", "2", "934,54"), 0), "amount")


def test_each_column_of_a_form_line_is_a_candidate():
    found = line_candidates(Line(1, (Word("Employee:", (0.05, 0.1, 0.15, 0.12)), Word("Anna", (0.16, 0.1, 0.2, 0.12)),
                                     Word("Patel", (0.21, 0.1, 0.26, 0.12)), Word("ID:", (0.6, 0.1, 0.63, 0.12)),
                                     Word("E85263", (0.64, 0.1, 0.7, 0.12)))), 0)
    assert "Anna Patel" in values(found, "rest") and "E85263" in values(found, "rest")
