"""Matching a document's vendor against the vendor master: identifiers exact, names fuzzy, the reason readable."""

from __future__ import annotations

import pytest

from extraction.model import ExtractedField
from extraction.vendors import (VendorRecord, extracted_party, match_vendor, matched_fields, name_core, same_iban,
                                same_tax_id, similarity)

ACME = VendorRecord("v-acme", "ACME GmbH", "DE 123 456 789", "DE89 3704 0044 0532 0130 00",
                    ("ACME Industriebedarf GmbH",))
NORTHWIND = VendorRecord("v-north", "Northwind Office Supplies Ltd", "GB123456789")
SHANGHAI = VendorRecord("v-sh", "上海远大贸易有限公司", "91310000MA1FL8XQ3X")
GARDENIA = VendorRecord("v-gard", "Gardenia Bakeries (KL) Sdn. Bhd.")
MASTER = [ACME, NORTHWIND, SHANGHAI, GARDENIA]


def test_a_tax_id_matches_in_its_compact_form_and_says_so():
    verdict = match_vendor({"vendor_name": "Acme Gmbh.", "vendor_tax_id": "de123.456.789"}, MASTER)
    assert verdict.match.vendor is ACME and verdict.match.via == "tax_id" and verdict.issues == ()
    assert verdict.match.reason == "tax ID de123.456.789 matches ACME GmbH; name 'Acme Gmbh.' ~ 'ACME GmbH' (1.00)"


def test_an_iban_matches_exactly():
    verdict = match_vendor({"vendor_name": "ACME", "vendor_iban": "DE89370400440532013000"}, MASTER)
    assert verdict.match.vendor is ACME and verdict.match.via == "iban"
    assert verdict.match.reason.startswith("IBAN DE89370400440532013000 matches ACME GmbH")


def test_an_alias_matches_fuzzily_with_its_score_in_the_reason():
    verdict = match_vendor({"vendor_name": "ACME Industrie-Bedarf GmbH"}, MASTER)
    assert verdict.match.vendor is ACME and verdict.match.via == "alias"
    assert verdict.match.reason == "name 'ACME Industrie-Bedarf GmbH' ~ alias 'ACME Industriebedarf GmbH' (0.98)"
    assert verdict.match.score == pytest.approx(0.98, abs=0.005)


@pytest.mark.parametrize("printed", ["Northwind Office Supplies Limited", "NORTHWIND OFFICE-SUPPLIES LTD.",
                                     "Northwnd Ofice Supplies Ltd"])
def test_names_match_across_case_punctuation_legal_forms_and_misreadings(printed):
    verdict = match_vendor({"vendor_name": printed}, MASTER)
    assert verdict.match.vendor is NORTHWIND and verdict.match.via == "name"
    assert verdict.match.score >= 0.85 and f"name {printed!r} ~ 'Northwind Office Supplies Ltd'" in verdict.match.reason


def test_a_receipts_merchant_is_matched_too():
    verdict = match_vendor({"merchant_name": "GARDENIA BAKERIES (KL) SDN BHD"}, MASTER)
    assert verdict.match.vendor is GARDENIA


def test_legal_forms_are_set_aside_in_many_languages():
    assert name_core("Gardenia Bakeries (KL) Sdn. Bhd.") == "gardenia bakeries kl"
    assert name_core("ACME GmbH & Co. KG") == name_core("Acme") == "acme"
    assert name_core("上海远大贸易有限公司") == "上海远大贸易"
    assert name_core("Foo S.A.") == "foo" and name_core("Ltd") == "ltd"


def test_short_names_match_only_exactly():
    assert similarity("IBM", "IBX") == 0.0 and similarity("IBM Corp.", "IBM") == 1.0


def test_a_tax_id_that_contradicts_the_name_is_a_warning_not_a_match():
    verdict = match_vendor({"vendor_name": "Globex Corporation", "vendor_tax_id": "DE123456789"}, MASTER)
    assert verdict.match is None and verdict.proposal is None
    [issue] = verdict.issues
    assert (issue.rule, issue.severity) == ("vendor_mismatch", "warning")
    assert "the tax ID DE123456789 is that of vendor 'ACME GmbH', but the document names 'Globex Corporation'" \
        in issue.message


def test_a_name_whose_tax_id_is_another_is_a_warning_not_a_match():
    verdict = match_vendor({"vendor_name": "ACME GmbH", "vendor_tax_id": "DE999999999"}, MASTER)
    assert verdict.match is None
    [issue] = verdict.issues
    assert issue.rule == "vendor_mismatch" and "the tax ID DE999999999 is not theirs" in issue.message


def test_another_iban_than_the_masters_is_a_warning_beside_the_match():
    verdict = match_vendor({"vendor_name": "ACME GmbH", "vendor_tax_id": "DE123456789",
                            "vendor_iban": "GB33BUKB20201555555555"}, MASTER)
    assert verdict.match.vendor is ACME
    [issue] = verdict.issues
    assert issue.rule == "vendor_iban_changed" and "confirm the bank details" in issue.message


def test_an_unknown_vendor_is_an_info_issue_with_what_to_create():
    verdict = match_vendor({"vendor_name": "Initech Inc", "vendor_tax_id": "FR40303265045",
                            "vendor_iban": "FR1420041010050500013M02606"}, MASTER)
    assert verdict.match is None
    [issue] = verdict.issues
    assert (issue.rule, issue.severity) == ("unknown_vendor", "info")
    assert issue.message == ("no vendor in the vendor master matches 'Initech Inc' (tax ID FR40303265045, IBAN "
                             "FR1420041010050500013M02606); it can be created from this document")
    assert verdict.as_json()["proposal"] == {"name": "Initech Inc", "tax_id": "FR40303265045",
                                             "iban": "FR1420041010050500013M02606"}


def test_nothing_read_about_the_vendor_gives_no_verdict():
    assert match_vendor({"total_amount": "12.00"}, MASTER).as_json() == {"proposal": None, "reason": None}


def test_identifiers_compare_in_compact_form_with_or_without_the_country_prefix():
    assert same_tax_id("DE 123 456 789", "123456789") and not same_tax_id("DE123456789", "DE123456780")
    assert same_iban("de89 3704 0044 0532 0130 00", "DE89370400440532013000")
    assert extracted_party({"merchant_name": "X", "vendor_name": None}).name_field == "merchant_name"


def test_a_match_raises_the_names_confidence_and_fills_what_the_page_lacked():
    fields = {"vendor_name": ExtractedField("Acme Gmbh.", 0.6, 1, (0.1, 0.1, 0.3, 0.12), "pdf_text", "top line"),
              "vendor_iban": ExtractedField("DE89370400440532013000", 0.9, 1, None, "pdf_text", "IBAN:")}
    values = {name: field.value for name, field in fields.items()}
    verdict = match_vendor(values, MASTER)
    updated = matched_fields(fields, verdict, values)
    assert updated["vendor_name"].confidence == 0.98 and updated["vendor_name"].value == "Acme Gmbh."
    assert updated["vendor_name"].evidence == f"top line; vendor master: {verdict.match.reason}"
    tax_id = updated["vendor_tax_id"]
    assert (tax_id.value, tax_id.source, tax_id.page) == ("DE 123 456 789", "rule", None)
    assert tax_id.evidence == "not on the page; from the vendor master (ACME GmbH)"
    assert updated["vendor_iban"] is fields["vendor_iban"]  # printed on the page: kept as read


def test_of_vendors_sharing_a_tax_id_the_one_with_the_likest_name_is_taken():
    branch = VendorRecord("v-acme-hh", "ACME GmbH Niederlassung Hamburg", "DE123456789")
    verdict = match_vendor({"vendor_name": "ACME GmbH Niederlassung Hamburg", "vendor_tax_id": "DE123456789"},
                           [ACME, branch])
    assert verdict.match.vendor is branch
    assert match_vendor({"vendor_tax_id": "DE123456789"}, [ACME, branch]).match.vendor is ACME
