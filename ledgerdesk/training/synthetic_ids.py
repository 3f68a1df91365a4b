"""Identifiers for synthetic documents that pass the real checks: VAT numbers with their check digits, Chinese
Unified Social Credit Codes, Singapore UENs, IBANs (mod 97), and look-alikes of numbers that have no check digit
(Malaysian GST and SST registrations, US EINs). Check digits come from python-stdnum, so a generated number is
valid exactly when stdnum says so. Pure: a ``random.Random`` in, a string out."""

from __future__ import annotations

import random
from collections.abc import Callable

from stdnum import iban, luhn
from stdnum.at import uid as at_uid
from stdnum.cn import uscc
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat
from stdnum.iso7064 import mod_11_10
from stdnum.nl import bsn
from stdnum.sg import uen

USCC_REGIONS = {"上海": "310115", "北京": "110105", "深圳": "440300", "杭州": "330106", "苏州": "320505",
                "广州": "440106", "成都": "510107", "南京": "320102", "武汉": "420106", "天津": "120116"}
"""Administrative division codes (the 3rd to 8th characters of a USCC) of the cities the companies are in."""
BBAN_DIGITS = {"DE": 18, "GB": 14, "NL": 10, "FR": 23, "AT": 16, "IE": 14}
"""How many digits each country's BBAN has after the bank's letters (``BANK_CODES``), if it has any."""
BANK_CODES = {"GB": ("NWBK", "BARC", "LOYD", "HBUK"), "NL": ("ABNA", "INGB", "RABO"), "IE": ("AIBK", "BOFI")}


def digits(rng: random.Random, count: int, first_nonzero: bool = False) -> str:
    text = "".join(rng.choice("0123456789") for _ in range(count))
    return (rng.choice("123456789") + text[1:]) if first_nonzero and count else text


def until_valid(rng: random.Random, make: Callable[[random.Random], str], valid: Callable[[str], bool]) -> str:
    """The first candidate ``make`` draws that ``valid`` accepts (for check schemes with no digit to compute)."""
    while not valid(candidate := make(rng)):
        pass
    return candidate


def vat_number(rng: random.Random, country: str) -> str:
    """A valid VAT number of an EU country or the UK, compact, with its prefix (``DE123456788``)."""
    return VAT_MAKERS[country](rng)


def _de_vat(rng: random.Random) -> str:
    body = digits(rng, 8, first_nonzero=True)
    return "DE" + body + mod_11_10.calc_check_digit(body)


def _at_vat(rng: random.Random) -> str:
    body = "U" + digits(rng, 7)
    return "AT" + body + at_uid.calc_check_digit(body)


def _fr_vat(rng: random.Random) -> str:
    siren = digits(rng, 8, first_nonzero=True)
    siren += luhn.calc_check_digit(siren)
    return f"FR{int(siren + '12') % 97:02d}{siren}"


def _nl_vat(rng: random.Random) -> str:
    number = until_valid(rng, lambda r: digits(r, 9, first_nonzero=True), bsn.is_valid)
    return f"NL{number}B{rng.choice(('01', '01', '02'))}"


def _gb_vat(rng: random.Random) -> str:
    return "GB" + until_valid(rng, lambda r: digits(r, 9, first_nonzero=True), gb_vat.is_valid)


VAT_MAKERS: dict[str, Callable[[random.Random], str]] = {
    "DE": _de_vat, "AT": _at_vat, "FR": _fr_vat, "NL": _nl_vat, "GB": _gb_vat}


def uscc_code(rng: random.Random, city: str) -> str:
    """A Unified Social Credit Code (统一社会信用代码) of a company registered in ``city``: 9 (market regulator),
    1 (enterprise), the division code, a 9-character organisation code and the check character."""
    organisation = digits(rng, 8) + rng.choice("0123456789X")
    body = "91" + USCC_REGIONS[city] + organisation
    return body + uscc.calc_check_digit(body)


def singapore_uen(rng: random.Random, year: int) -> str:
    """A local company's UEN (``201912345K``), which Singapore uses as the GST registration number."""
    body = f"{year}{digits(rng, 5)}"
    return body + uen.calc_local_company_check_digit(body)


def malaysian_sst(rng: random.Random) -> str:
    """A Malaysian SST registration number (``W10-1808-32000123``); it has no check digit."""
    return f"{rng.choice('WBJ')}{rng.randint(10, 24)}-{rng.randint(1801, 1812)}-3{digits(rng, 7)}"


def malaysian_gst(rng: random.Random) -> str:
    """A Malaysian GST ID of the 2015-2018 receipts (12 digits, ``000123456789``); no check digit."""
    return "00" + digits(rng, 10)


def us_ein(rng: random.Random) -> str:
    return f"{rng.randint(10, 99)}-{digits(rng, 7)}"


def iban_number(rng: random.Random, country: str) -> str:
    """A valid IBAN of ``country``, compact; the BBAN is drawn until stdnum accepts the whole (national checks
    included)."""
    return until_valid(rng, lambda r: _iban_candidate(r, country), iban.is_valid)


def _iban_candidate(rng: random.Random, country: str) -> str:
    bban = _bban(rng, country)
    return country + iban.calc_check_digits(country + "00" + bban) + bban


def _bban(rng: random.Random, country: str) -> str:
    if country in BANK_CODES:
        return rng.choice(BANK_CODES[country]) + digits(rng, BBAN_DIGITS[country])
    return digits(rng, BBAN_DIGITS[country], first_nonzero=True)


def grouped(text: str, size: int = 4) -> str:
    """``DE89370400440532013000`` as ``DE89 3704 0044 0532 0130 00``: how IBANs are printed."""
    return " ".join(text[i:i + size] for i in range(0, len(text), size))


def is_valid_vat(number: str) -> bool:
    return eu_vat.is_valid(number) or (number.startswith("GB") and gb_vat.is_valid(number[2:]))
