"""Tax IDs, IBANs and BICs checked with python-stdnum (issue 8)."""

import pytest
from stdnum import iban
from stdnum.cn import uscc

from extraction.identifiers import check_bic, check_iban, check_tax_id, identifier_issues
from extraction.model import Issue


def with_uscc_check_digit(first_17: str) -> str:
    return first_17 + uscc.calc_check_digit(first_17)


def with_iban_check_digits(country: str, bban: str) -> str:
    return country + iban.calc_check_digits(country + "00" + bban) + bban


VALID_TAX_IDS = [
    ("DE136695976", "EU VAT", "DE136695976"),
    ("de 136.695.976", "EU VAT", "DE136695976"),
    ("ATU13585627", "EU VAT", "ATU13585627"),
    ("EL094259216", "EU VAT", "EL094259216"),
    ("FR 40 303 265 045", "EU VAT", "FR40303265045"),
    ("NL004495445B01", "EU VAT", "NL004495445B01"),
    ("GB980780684", "GB VAT", "GB980780684"),
    ("91110000600037341L", "Chinese USCC", "91110000600037341L"),
    (with_uscc_check_digit("91350211M00010004"), "Chinese USCC", with_uscc_check_digit("91350211M00010004")),
    ("27aapfu0939f1zv", "GSTIN", "27AAPFU0939F1ZV"),
    ("ＤＥ１３６６９５９７６", "EU VAT", "DE136695976"),
]


@pytest.mark.parametrize(("value", "kind", "compact"), VALID_TAX_IDS)
def test_a_well_formed_tax_id_is_valid_and_compacted(value, kind, compact):
    check = check_tax_id(value)
    assert (check.kind, check.compact, check.valid, check.reason, check.value) == (kind, compact, True, None, value)


INVALID_TAX_IDS = [
    ("DE136695977", "EU VAT", "the check digit does not match"),
    ("DE13669597", "EU VAT", "DE VAT numbers have 9 digits after DE, this has 8 characters"),
    ("EL094259217", "EU VAT", "the check digit does not match"),
    ("91110000600037341X", "Chinese USCC", "the check digit does not match"),
    ("27AAPFU0939F1ZA", "GSTIN", "the check digit does not match"),
    ("99AAPFU0939F1ZV", "GSTIN", "99 is not an Indian state code, or the 14th character is not Z"),
    ("GB980780685", "GB VAT", "the check digit does not match"),
]


@pytest.mark.parametrize(("value", "kind", "reason"), INVALID_TAX_IDS)
def test_a_malformed_tax_id_says_which_check_failed(value, kind, reason):
    check = check_tax_id(value)
    assert (check.kind, check.valid, check.reason) == (kind, False, reason)


@pytest.mark.parametrize(("value", "country", "kind"), [
    ("136695976", "DE", "EU VAT"),
    ("094259216", "GR", "EU VAT"),
    ("CHE-116.281.710 MWST", "CH", "CH VAT"),
    ("00192200M", "sg", "Singapore UEN"),
])
def test_a_number_without_prefix_is_checked_as_the_given_countrys(value, country, kind):
    check = check_tax_id(value, country)
    assert (check.kind, check.valid) == (kind, True)


@pytest.mark.parametrize("value", ["", "   ", "hello", "１２３", "١٢٣٤٥٦٧٨٩", "DE" + "1" * 200, "x" * 10_000, "\x00\n"])
def test_values_that_are_no_known_tax_id_give_none(value):
    assert check_tax_id(value) is None


@pytest.mark.parametrize("country", ["ZZ", "", "germany", "1"])
def test_an_unknown_country_gives_none(country):
    assert check_tax_id("123456789", country) is None


VALID_IBANS = [
    ("DE89370400440532013000", "DE89370400440532013000"),
    ("de89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
    ("ＤＥ89370400440532013000", "DE89370400440532013000"),
    (with_iban_check_digits("FR", "30006000011234567890189"), with_iban_check_digits("FR", "30006000011234567890189")),
]


@pytest.mark.parametrize(("value", "compact"), VALID_IBANS)
def test_a_well_formed_iban_is_valid(value, compact):
    check = check_iban(value)
    assert (check.kind, check.compact, check.valid, check.reason) == ("IBAN", compact, True, None)


INVALID_IBANS = [
    ("DE88370400440532013000", "the check digit does not match"),
    ("DE8937040044053201300", "DE IBANs have 22 characters, this has 21"),
    ("XX89370400440532013000", "'XX' is not a country that issues IBANs"),
    ("DE" + "1" * 5000, "DE IBANs have 22 characters, this has 5002"),
    ("DE89370400440532013000".replace("0", "٠"), "it has characters other than the letters A-Z and the digits 0-9"),
]


@pytest.mark.parametrize(("value", "reason"), INVALID_IBANS)
def test_a_malformed_iban_says_which_check_failed(value, reason):
    check = check_iban(value)
    assert (check.valid, check.reason) == (False, reason)


@pytest.mark.parametrize(("value", "valid", "reason"), [
    ("DEUTDEFF", True, None),
    ("deut de ff 500", True, None),
    ("DEUTXXFF", False, "XX is not a country that issues BICs"),
    ("DEUT", False, "a BIC has 8 or 11 characters, this has 4"),
    ("DEUT" * 100, False, "a BIC has 8 or 11 characters, this has 64"),
    ("", False, "a BIC has 8 or 11 characters, this has 0"),
])
def test_bic(value, valid, reason):
    check = check_bic(value)
    assert (check.valid, check.reason) == (valid, reason)


def test_identifier_issues_name_the_field_the_value_and_the_reason():
    values = {"vendor_tax_id": "DE136695977", "customer_tax_id": "DE136695976", "vendor_iban": "DE88370400440532013000",
              "vendor_bic": "DEUTXXFF", "invoice_number": "DE136695977"}
    assert identifier_issues(values) == [
        Issue("tax_id", "warning", "vendor_tax_id 'DE136695977' is not a valid EU VAT: the check digit does not match"),
        Issue("iban", "warning", "vendor_iban 'DE88370400440532013000' is not a valid IBAN: "
                                 "the check digit does not match"),
        Issue("bic", "warning", "vendor_bic 'DEUTXXFF' is not a valid BIC: XX is not a country that issues BICs"),
    ]


@pytest.mark.parametrize("values", [
    {},
    {"vendor_tax_id": "", "customer_tax_id": None, "vendor_iban": "  ", "vendor_bic": None},
    {"vendor_tax_id": "hello", "vendor_iban": "DE89370400440532013000", "vendor_bic": "DEUTDEFF"},
    {"customer_tax_id": "27AAPFU0939F1ZV"},
])
def test_valid_empty_and_unknown_values_give_no_issue(values):
    assert identifier_issues(values) == []
