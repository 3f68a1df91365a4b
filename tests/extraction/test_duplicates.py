"""extraction.duplicates: invoice keys, the first page's picture hash and its bands, numbers on a page, and the
clerk's message. Pure: no database (the flow through the worker is tests/test_duplicates_flow.py)."""

from __future__ import annotations

import io
import random
import uuid
from datetime import date
from decimal import Decimal

import pytest
from PIL import Image, ImageOps

from extraction.duplicates import (
    BAND_WIDTHS, HASH_BITS, NEAR_DISTANCE, Finding, OtherDocument, difference_hash, duplicate_issue,
    fingerprint_rows, hamming, hash_bands, invoice_key, normalized_name, numbers_agree, page_numbers, party_key,
    picture_hash)
from extraction.model import PageText, Word
from tests.extraction.pictures import RECEIPT_LINES, encoded, text_page

INVOICE = {"vendor_tax_id": "DE136695976", "vendor_name": "Northwind GmbH", "invoice_number": "INV-2024-0042",
           "total_amount": "299.29"}
OTHER_RECEIPT = ("KEDAI RUNCIT AH SENG", "LOT 5 JALAN BESAR", "RECEIPT 5521", "DATE 02/04/2024",
                 "RICE 5KG 1 x 23.90", "SUGAR 2 x 3.20", "TOTAL RM 30.30")
SAME_SHOP_RECEIPT = ("GOLDEN HARVEST TRADING SDN BHD", "NO 12 JALAN HARMONI 3/2", "TAX INVOICE 000187",
                     "DATE 14/03/2024", "GREEN TEA 3 x 9.00", "TOTAL RM 27.00")


def picture(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def scaled(page: Image.Image, factor: float) -> Image.Image:
    return page.resize((round(page.width * factor), round(page.height * factor)), Image.Resampling.LANCZOS)


# invoice keys


def test_the_same_invoice_written_differently_has_the_same_key():
    written_otherwise = {"vendor_tax_id": "de 136 695 976", "vendor_name": "NORTHWIND",
                         "invoice_number": "INV 2024 0042", "total_amount": Decimal("299.290")}
    assert invoice_key("invoice", INVOICE) == invoice_key("invoice", written_otherwise)


@pytest.mark.parametrize("change", [{"invoice_number": "INV-2024-0043"}, {"total_amount": "299.30"},
                                    {"vendor_tax_id": "DE811128135"}])
def test_another_number_total_or_vendor_is_another_key(change):
    assert invoice_key("invoice", INVOICE) != invoice_key("invoice", {**INVOICE, **change})


def test_without_a_tax_id_the_vendor_is_its_name_without_punctuation_and_legal_form():
    a = {**INVOICE, "vendor_tax_id": None, "vendor_name": "Northwind Office Supplies Ltd."}
    b = {**INVOICE, "vendor_tax_id": "", "vendor_name": "NORTHWIND OFFICE-SUPPLIES LTD"}
    assert invoice_key("invoice", a) == invoice_key("invoice", b)
    assert party_key(None, "Northwind Office Supplies Ltd.") == "name:northwindofficesupplies"
    assert party_key("DE 136695976", "x") == "tax:DE136695976"
    assert normalized_name("GmbH") == "gmbh"  # a name that is only a legal form keeps it


@pytest.mark.parametrize("missing", ["invoice_number", "total_amount"])
def test_no_key_without_a_number_or_total(missing):
    assert invoice_key("invoice", {**INVOICE, missing: None}) is None


def test_no_key_without_any_vendor():
    assert invoice_key("invoice", {**INVOICE, "vendor_tax_id": None, "vendor_name": None}) is None


def test_a_chinese_invoice_is_keyed_by_its_code_and_number():
    fapiao = {**INVOICE, "invoice_code": "044031900111", "invoice_number": "12345678"}
    assert invoice_key("invoice", fapiao) != invoice_key("invoice", {**fapiao, "invoice_code": "044031900112"})


def test_a_receipt_is_keyed_only_when_its_time_was_read():
    receipt = {"merchant_name": "Golden Harvest", "transaction_date": "2024-03-12", "total_amount": "37.00"}
    assert invoice_key("receipt", receipt) is None
    assert invoice_key("receipt", {**receipt, "transaction_time": "12:41"}) is not None
    assert invoice_key("contract", {"total_value": "1.00"}) is None


# the picture hash


@pytest.fixture(scope="module")
def receipt_page() -> Image.Image:
    return text_page(RECEIPT_LINES)


@pytest.mark.parametrize("variant", [
    lambda page: picture(encoded(page, "JPEG", quality=40)),
    lambda page: picture(encoded(scaled(page, 0.9), "JPEG", quality=75)),
    lambda page: picture(encoded(scaled(page, 1.25), "PNG")),
    lambda page: picture(encoded(ImageOps.expand(page, 50, fill="white"), "JPEG", quality=85)),
])
def test_a_re_encoded_or_scaled_picture_is_near(receipt_page, variant):
    original = difference_hash(picture(encoded(receipt_page, "JPEG", quality=95)))
    assert hamming(original, difference_hash(variant(receipt_page))) <= NEAR_DISTANCE


def test_a_receipt_of_another_shop_is_far(receipt_page):
    assert hamming(difference_hash(receipt_page), difference_hash(text_page(OTHER_RECEIPT))) > NEAR_DISTANCE


def test_a_blank_page_has_no_hash():
    assert difference_hash(Image.new("RGB", (800, 1000), "white")) is None


def test_specks_of_dust_do_not_move_the_content_box(receipt_page):
    dusty, rng = receipt_page.copy(), random.Random(1)
    for _ in range(40):
        dusty.putpixel((rng.randrange(dusty.width), rng.randrange(dusty.height)), (0, 0, 0))
    assert hamming(difference_hash(receipt_page), difference_hash(dusty)) <= 2


def test_hashes_within_the_near_distance_share_a_band():
    rng = random.Random(5)
    for _ in range(300):
        a = rng.getrandbits(HASH_BITS)
        b = a
        for bit in rng.sample(range(HASH_BITS), NEAR_DISTANCE):
            b ^= 1 << bit
        assert set(hash_bands(a)) & set(hash_bands(b))
    assert sum(BAND_WIDTHS) == HASH_BITS and len(BAND_WIDTHS) == NEAR_DISTANCE + 1


def test_fingerprint_rows():
    assert fingerprint_rows(None, None) == []
    rows = fingerprint_rows("k" * 64, 0xFFFF_0000_0000_0001)
    assert rows[:2] == [("invoice", "k" * 64), ("page", "ffff000000000001")]
    assert [kind for kind, _ in rows[2:]] == ["page_band"] * len(BAND_WIDTHS)
    assert rows[2] == ("page_band", "0:3ff")


# numbers on the page


def words(*texts: str) -> list[Word]:
    return [Word(text, (0.0, 0.0, 0.1, 0.1)) for text in texts]


def test_page_numbers_are_the_digits_of_each_word():
    assert page_numbers(words("TOTAL", "RM", "37.00", "3/2", "x", "2")) == {"3700", "32"}


def test_pages_of_one_template_with_other_numbers_disagree():
    ours = page_numbers(words("12", "3/2", "000123", "12/03/2024", "18.50", "37.00"))
    theirs = page_numbers(words("12", "3/2", "000187", "14/03/2024", "9.00", "27.00"))
    assert not numbers_agree(ours, theirs)
    assert numbers_agree(ours, ours | {"99"})
    assert numbers_agree(ours, frozenset())  # one was not read: the picture alone decides


# the message


def test_the_issue_names_the_other_document_and_the_reason():
    other = OtherDocument("7f0c", "invoice.pdf", date(2024, 3, 12), "needs_review")
    same = duplicate_issue(Finding(uuid.uuid4(), "same_invoice"), other)
    assert same.rule == "duplicate" and same.severity == "warning"
    assert same.message == ("probably a duplicate of document 7f0c ('invoice.pdf', received 2024-03-12, needs review): "
                            "the same vendor, invoice number and total; check it is not paid twice")
    similar = duplicate_issue(Finding(uuid.uuid4(), "similar_page", 3), other)
    assert "looks nearly identical to that of document 7f0c" in similar.message
    assert "3 of 64 bits" in similar.message


def test_only_a_first_page_that_is_a_picture_is_compared():
    def pages(source: str) -> list[PageText]:
        return [PageText(1, 100, 100, source, ())]

    assert picture_hash(pages("ocr"), 7) == 7 and picture_hash(pages("image"), 7) == 7
    assert picture_hash(pages("pdf_text"), 7) is None and picture_hash([], 7) is None
