"""extraction.learned.item_rows: an item's printed lines read into its values (pure: words with their boxes in,
canonical values out)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from extraction.learned.item_rows import (best_product, header_columns, item_tokens, read_claim_item,
                                          read_invoice_item, row_tokens)
from extraction.line_items import ClaimItem, ItemEvidence, LineItem, price_text, quantity_text, rate_text
from extraction.model import Line, Word

CHAR, HEIGHT = 0.009, 0.02
"""The width of a character and the height of a word (page fractions): a word stands where the test puts it, as wide
as its text; one space apart is a character apart."""


def row(*placed: tuple[str, float], y: float = 0.4, page: int = 1) -> Line:
    """A line of words, each ``(text, x)`` at its left edge; a word printed right-aligned in a column is placed
    by the test where its column puts it."""
    return Line(page, tuple(Word(text, (x, y, x + CHAR * len(text), y + HEIGHT)) for text, x in placed))


def words(text: str, x: float, y: float = 0.4) -> list[tuple[str, float]]:
    """The words of ``text`` set from ``x`` with one space between them."""
    placed = []
    for word in text.split():
        placed.append((word, x))
        x += CHAR * (len(word) + 1)
    return placed


ENGLISH_HEADER = row(*words("Description", 0.08), ("Qty", 0.5), ("Unit", 0.55), *words("Unit Price", 0.66),
                     ("Amount", 0.85), y=0.35)


def test_an_english_row_gives_every_value_and_the_amount_is_quantity_times_price():
    line = row(*words("Toner cartridge black", 0.08), ("3", 0.52), ("pc", 0.55), ("71.99", 0.7), ("215.97", 0.86))
    assert read_invoice_item([line], ENGLISH_HEADER) == LineItem(
        "Toner cartridge black", Decimal("3"), "pc", Decimal("71.99"), Decimal("215.97"))


def test_a_german_row_with_continental_numbers_a_position_and_a_rate():
    header = row(*words("Pos Bezeichnung", 0.08), ("Menge", 0.5), ("Einheit", 0.56), ("Einzelpreis", 0.64),
                 ("USt.", 0.76), ("Gesamt", 0.86), y=0.35)
    line = row(("2", 0.08), *words("Schulung Buchhaltung", 0.12), ("2", 0.53), ("Tag", 0.56), ("1.184,85", 0.66),
               *words("19 %", 0.77), ("2.369,70", 0.85))
    assert read_invoice_item([line], header) == LineItem(
        "Schulung Buchhaltung", Decimal("2"), "Tag", Decimal("1184.85"), Decimal("2369.70"), Decimal("19"))


def test_a_wrapped_description_continues_on_the_line_below_its_numbers():
    first = row(*words("Consulting services, as per quotation Q-6794 of", 0.08), ("1", 0.52), ("h", 0.55),
                ("163.00", 0.7), ("163.00", 0.86))
    second = row(*words("last month", 0.08), y=0.415)
    found = read_invoice_item([first, second], ENGLISH_HEADER)
    assert found.description == "Consulting services, as per quotation Q-6794 of last month"
    assert (found.quantity, found.unit_price, found.amount) == (Decimal("1"), Decimal("163.00"), Decimal("163.00"))


def test_a_receipt_article_above_its_quantity_line_without_a_header():
    article, numbers = row(*words("Mineral water 1.5L", 0.06)), row(*words("2 x 1.40", 0.08), ("2.80", 0.85), y=0.42)
    assert read_invoice_item([article, numbers]) == LineItem(
        "Mineral water 1.5L", Decimal("2"), None, Decimal("1.40"), Decimal("2.80"))


def test_a_chinese_receipt_prints_quantity_and_price_as_one_word():
    header = row(("品名", 0.06), ("数量×单价", 0.12), ("金额", 0.85), y=0.35)
    line = row(("矿泉水550ml", 0.06), ("3×2.10", 0.28), ("6.30", 0.86))
    assert read_invoice_item([line], header) == LineItem("矿泉水550ml", Decimal("3"), None, Decimal("2.10"),
                                                         Decimal("6.30"))


def test_a_fapiao_row_gives_its_tax_amount_and_leaves_out_the_specification():
    header = row(("项目名称", 0.1), ("规格型号", 0.3), ("单位", 0.4), ("数量", 0.47), ("单价", 0.55), ("金额", 0.65),
                 ("税率", 0.75), ("税额", 0.85), y=0.35)
    line = row(("*印刷品*宣传册印刷", 0.05), ("A4", 0.27), ("本", 0.38), ("10", 0.5), ("12.00", 0.57),
               ("120.00", 0.66), ("3%", 0.76), ("3.60", 0.86))
    assert read_invoice_item([line], header) == LineItem(
        "*印刷品*宣传册印刷", Decimal("10"), "本", Decimal("12.00"), Decimal("120.00"), Decimal("3"), Decimal("3.60"))


def test_thousands_printed_apart_are_one_amount_but_a_quantity_a_column_away_is_not():
    line = row(*words("Formation comptabilité", 0.08), ("2", 0.5), ("jour", 0.53), *words("1 701,00", 0.64),
               *words("3 402,00", 0.83))
    found = read_invoice_item([line])
    assert (found.quantity, found.unit, found.unit_price, found.amount) == (
        Decimal("2"), "jour", Decimal("1701.00"), Decimal("3402.00"))
    apart = row(("Widget", 0.08), ("3", 0.6), ("156,00", 0.7), ("468,00", 0.85))
    assert read_invoice_item([apart]).quantity == Decimal("3")


@pytest.mark.parametrize("placed, quantity, price", [
    ((("9,9000", 0.5), ("20", 0.62)), "20", "9.9000"),     # a price finer than the cent, then the quantity
    ((("400,00", 0.5), ("0,79", 0.62)), "400", "0.79"),    # both printed as money: the whole number
    ((("7.5", 0.5), ("101.00", 0.62)), "7.5", "101.00"),   # the one not printed as money
    ((("1,00", 0.5), ("160,00", 0.62)), "1.00", "160.00"),  # both whole: the left one
])
def test_which_of_a_pair_is_the_quantity_without_a_header(placed, quantity, price):
    amount = Decimal(quantity.replace(",", ".")) * Decimal(price.replace(",", "."))
    line = row(("Article", 0.08), *placed, (f"{amount:.2f}", 0.85))
    found = read_invoice_item([line])
    assert (found.quantity, found.unit_price) == (Decimal(quantity), Decimal(price))


def test_without_a_pair_the_amount_is_the_rightmost_and_quantity_and_price_stay_unknown():
    line = row(*words("Discounted support 2 100.00", 0.08), ("190.00", 0.85))
    found = read_invoice_item([line])
    assert (found.amount, found.quantity, found.unit_price) == (Decimal("190.00"), None, None)


def test_a_unit_is_a_word_beside_the_quantity_not_the_start_of_a_description():
    line = row(("200,00", 0.08), *words("Heiße Luft pro Liter:", 0.16), ("19%", 0.5), ("0,10", 0.62),
               ("20,00", 0.85))
    found = read_invoice_item([line])
    assert (found.description, found.unit, found.quantity) == ("Heiße Luft pro Liter:", None, Decimal("200.00"))


def test_numbers_inside_a_description_stay_in_it():
    line = row(*words("Netzwerkkabel Cat6 5 m, gemäß Angebot Nr. 4645", 0.08), ("3", 0.6), ("Stk.", 0.63),
               ("5,00", 0.72), ("15,00", 0.86))
    assert read_invoice_item([line]).description == "Netzwerkkabel Cat6 5 m, gemäß Angebot Nr. 4645"


def test_a_tills_barcode_row_with_a_tax_code_and_the_articles_name_below():
    numbers = row(("9556641320027", 0.06), ("2", 0.55), ("1.22", 0.68), ("2.44", 0.82), ("SR", 0.9))
    name = row(*words("MINUTE MAID PULPY [350ML]", 0.08), y=0.42)
    found = read_invoice_item([numbers, name])
    assert (found.description, found.quantity, found.amount) == ("MINUTE MAID PULPY [350ML]", Decimal("2"),
                                                                 Decimal("2.44"))


def test_an_english_claim_row_by_its_header():
    header = row(("Date", 0.08), ("Category", 0.2), ("Description", 0.38), ("Amount", 0.86), y=0.35)
    line = row(("05.02.2019", 0.08), *words("Office supplies", 0.2), *words("Printer cartridges", 0.38),
               ("56.73", 0.87))
    assert read_claim_item([line], header) == ClaimItem(date(2019, 2, 5), "Office supplies", "Printer cartridges",
                                                        Decimal("56.73"))


def test_a_chinese_claim_row_whose_header_is_centred_over_wide_cells():
    header = row(("日期", 0.12), ("费用类别", 0.27), ("摘要", 0.55), ("金额", 0.86), y=0.35)
    line = row(("2022年09月23日", 0.05), ("餐费", 0.22), ("客户招待餐费", 0.36), ("553.43", 0.88))
    assert read_claim_item([line], header) == ClaimItem(date(2022, 9, 23), "餐费", "客户招待餐费", Decimal("553.43"))


def test_tokens_of_a_line():
    kinds = [(t.kind, t.value) for t in row_tokens(row(*words("Tax 6% RM 1.58 x 2", 0.1)), 0)]
    assert kinds == [("text", None), ("rate", "6"), ("currency", "MYR"), ("amount", "1.58"), ("operator", None),
                     ("number", "2")]


def test_a_header_names_its_columns_and_a_chinese_word_may_name_two():
    assert [c.role for c in header_columns(ENGLISH_HEADER)] == ["description", "quantity", "unit", "unit_price",
                                                                "amount"]
    assert [c.role for c in header_columns(row(("品名", 0.06), ("数量×单价", 0.12), ("金额", 0.85)))] == [
        "description", "quantity", "unit_price", "amount"]
    assert header_columns(None) == []


def test_the_product_is_found_to_the_cent_or_not_at_all():
    tokens = item_tokens([row(("3,3333", 0.5), ("3", 0.6), ("10,00", 0.8))])
    assert best_product(tokens, [0, 1, 2]) == (2, 0, 1)
    tokens = item_tokens([row(("3,3333", 0.5), ("3", 0.6), ("10,02", 0.8))])
    assert best_product(tokens, [0, 1, 2]) is None


def test_canonical_forms_and_the_stored_shape():
    assert (quantity_text(Decimal("20.0000")), quantity_text(Decimal("2.50"))) == ("20", "2.5")
    assert (price_text(Decimal("9.9000")), price_text(Decimal("0.0250")), price_text(Decimal("100"))) == (
        "9.90", "0.025", "100.00")
    assert (rate_text(Decimal("19.00")), rate_text(Decimal("5.5"))) == ("19", "5.5")
    stored = LineItem("Paper", Decimal("2"), None, Decimal("3.5"), Decimal("7")).as_json(
        ItemEvidence(0.91234, "ocr", 1, (0.1, 0.2, 0.3, 0.4), "Paper 2 3.50 7.00"))
    assert stored == {"description": "Paper", "quantity": "2", "unit": None, "unit_price": "3.50", "amount": "7.00",
                      "tax_rate": None, "tax_amount": None, "confidence": 0.912, "page": 1,
                      "bbox": [0.1, 0.2, 0.3, 0.4], "source": "ocr", "evidence": "Paper 2 3.50 7.00"}
