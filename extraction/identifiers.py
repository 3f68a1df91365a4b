"""Checks on the identifiers an invoice carries: tax IDs, IBANs and BICs, judged with ``python-stdnum``.

Pure functions, no I/O (no VIES or other online look-up): a check says whether a number is *well formed* (length,
layout, country code, check digits), not whether it is registered to the vendor.

- ``check_tax_id(value, country=None)`` recognises the kind from the value: an EU VAT number by its country prefix
  (``EL`` for Greece, ``XI`` for Northern Ireland), an Indian GSTIN (15 characters, starting with the state's two
  digits), a Chinese Unified Social Credit Code (统一社会信用代码, 18 characters); otherwise, with ``country`` (ISO
  3166 alpha-2) given or written as the prefix (``GB``, ``NO``, ...), that country's VAT or tax number module
  (``SG``: the UEN). ``None`` when the value looks like no tax ID we know.
- ``check_iban(value)`` and ``check_bic(value)``.
- ``identifier_issues(values)`` turns the fields ``vendor_tax_id``, ``customer_tax_id``, ``merchant_tax_id`` (a
  receipt's), ``vendor_iban`` and ``vendor_bic`` into ``Issue("tax_id" | "iban" | "bic", "warning", message)`` for
  the values that are not valid. Empty fields and tax IDs of an unknown kind give no issue.

Values are taken as written on the document: spaces, dots, hyphens and slashes are ignored, lower case and full-width
characters (NFKC) are accepted. Each result keeps the value as written and its compact form.

``extraction.validate.validate`` adds ``identifier_issues(values)`` to every document's issues, and its ``VALUE_RULES``
name ``"tax_id"``, ``"iban"`` and ``"bic"``, so a correction judges them again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from types import ModuleType

from stdnum import bic, iban, numdb, vatin
from stdnum.cn import uscc
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError
from stdnum.in_ import gstin
from stdnum.util import get_cc_module

from extraction.model import Issue

MAX_LENGTH = 64
"""Longer values are not identifiers (they are text the reader ran together) and are not handed to stdnum."""
SEPARATORS = re.compile(r"[\s.\-/]+")
EU_PREFIXES = frozenset({"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE",
                         "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI"})
EU_VAT_SHAPES = {
    "AT": "U and 8 digits", "BE": "10 digits", "DE": "9 digits", "DK": "8 digits", "EL": "9 digits",
    "ES": "9 characters", "FI": "8 digits", "FR": "2 characters and 9 digits", "IT": "11 digits",
    "LU": "8 digits", "NL": "9 digits, B and 2 digits", "PL": "10 digits", "PT": "9 digits", "SE": "12 digits",
}
"""What follows the prefix, for the reason given when the length is wrong."""
COUNTRY_TAX_MODULES = {"CN": "uscc", "IN": "gstin", "SG": "uen"}
"""Countries whose business tax number is not stdnum's ``<cc>.vat``."""
NOT_ASCII = "it has characters other than the letters A-Z and the digits 0-9"
_IBAN_REGISTRY = numdb.get("iban")
FIELD_CHECKS = (("vendor_tax_id", "tax_id"), ("customer_tax_id", "tax_id"), ("merchant_tax_id", "tax_id"),
                ("vendor_iban", "iban"), ("vendor_bic", "bic"))


@dataclass(frozen=True)
class IdentifierCheck:
    kind: str
    """"EU VAT", "Chinese USCC", "GSTIN", "IBAN", "BIC", "<CC> VAT", "Singapore UEN", ..."""
    value: str
    """As written."""
    compact: str
    valid: bool
    reason: str | None = None
    """Why it is not valid, as a sentence a person can act on; None when valid."""


def compact_identifier(value: str) -> str:
    """``value`` without separators, upper case, full-width characters as ASCII."""
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", value)).upper()


def check_tax_id(value: str, country: str | None = None) -> IdentifierCheck | None:
    """The check of a tax ID of a kind recognised from ``value`` (or ``country``); None for an unknown kind."""
    compact = compact_identifier(value)
    if not compact or len(compact) > MAX_LENGTH or not compact.isascii():
        return None
    if compact[:2] in EU_PREFIXES and any(c.isdigit() for c in compact[2:]):
        return _checked(value, compact, "EU VAT", eu_vat)
    if len(compact) == 15 and compact[:2].isdigit():
        return _checked(value, compact, "GSTIN", gstin)
    if len(compact) == 18 and compact.isalnum():
        return _checked(value, compact, "Chinese USCC", uscc)
    if re.match(r"[A-Z]{2}\d", compact) and get_cc_module(compact[:2], "vat"):
        return _checked(value, compact, f"{compact[:2]} VAT", vatin)
    return _check_for_country(value, compact, country) if country else None


def _check_for_country(value: str, compact: str, country: str) -> IdentifierCheck | None:
    cc = country.strip().upper()
    if cc == "GR":
        cc = "EL"
    if cc in EU_PREFIXES:
        return _checked(value, cc + compact, "EU VAT", eu_vat)
    module = get_cc_module(cc, COUNTRY_TAX_MODULES.get(cc, "vat")) if re.fullmatch(r"[A-Z]{2}", cc) else None
    return _checked(value, compact, _country_kind(cc), module) if module else None


def _country_kind(cc: str) -> str:
    return {"CN": "Chinese USCC", "IN": "GSTIN", "SG": "Singapore UEN"}.get(cc, f"{cc} VAT")


def check_iban(value: str) -> IdentifierCheck:
    """The country and length are judged before the check digits, so that the reason names the first thing wrong."""
    compact = compact_identifier(value)
    expected = iban_length(compact[:2])
    if expected is None:
        return IdentifierCheck("IBAN", value, compact, False, f"{compact[:2]!r} is not a country that issues IBANs")
    if len(compact) != expected:
        return IdentifierCheck("IBAN", value, compact, False, f"{compact[:2]} IBANs have {expected} characters, "
                                                               f"this has {len(compact)}")
    return _checked(value, compact, "IBAN", iban)


def iban_length(country_code: str) -> int | None:
    """The length of the country's IBANs (from stdnum's registry), None for a country without IBANs."""
    layout = _IBAN_REGISTRY.info(country_code)[0][1].get("bban") if len(country_code) == 2 else None
    return 4 + sum(int(n) for n in re.findall(r"\d+", layout)) if layout else None


def check_bic(value: str) -> IdentifierCheck:
    return _checked(value, compact_identifier(value)[:MAX_LENGTH], "BIC", bic)


def _checked(value: str, compact: str, kind: str, module: ModuleType) -> IdentifierCheck:
    """Run ``module.validate`` on ``compact``; a failure becomes the reason."""
    if not compact.isascii():
        return IdentifierCheck(kind, value, compact, False, NOT_ASCII)
    try:
        return IdentifierCheck(kind, value, module.validate(compact), True)
    except ValidationError as error:
        return IdentifierCheck(kind, value, compact, False, failure_reason(error, kind, compact))


def failure_reason(error: ValidationError, kind: str, compact: str) -> str:
    """The sentence for ``error``, raised by stdnum on ``compact`` of ``kind``."""
    if isinstance(error, InvalidChecksum):
        return "the check digit does not match"
    if isinstance(error, InvalidLength):
        return _length_reason(kind, compact)
    if isinstance(error, InvalidComponent):
        return _component_reason(kind, compact)
    return f"it does not have the layout of a {kind}"


def _length_reason(kind: str, compact: str) -> str:
    expected = {"GSTIN": "15 characters", "Chinese USCC": "18 characters", "BIC": "8 or 11 characters"}.get(kind)
    if kind == "EU VAT":
        return _eu_vat_length_reason(compact)
    if expected:
        return f"a {kind} has {expected}, this has {len(compact)}"
    return f"a {kind} does not have {len(compact)} characters"


def _eu_vat_length_reason(compact: str) -> str:
    prefix, rest = compact[:2], compact[2:]
    if prefix in EU_VAT_SHAPES:
        return f"{prefix} VAT numbers have {EU_VAT_SHAPES[prefix]} after {prefix}, this has {len(rest)} characters"
    return f"{prefix} VAT numbers do not have {len(rest)} characters after {prefix}"


def _component_reason(kind: str, compact: str) -> str:
    if kind == "GSTIN":
        return f"{compact[:2]} is not an Indian state code, or the 14th character is not Z"
    if kind in ("IBAN", "BIC"):
        return f"{_country_code_of(kind, compact)} is not a country that issues {kind}s"
    return f"a part of it (such as the region or office code) is not one a {kind} can have"


def _country_code_of(kind: str, compact: str) -> str:
    return compact[4:6] if kind == "BIC" else compact[:2]


def identifier_issues(values: dict[str, str]) -> list[Issue]:
    """Issues for the invoice's tax IDs, IBAN and BIC that are not valid (empty and unknown ones are passed over)."""
    issues = []
    for name, rule in FIELD_CHECKS:
        check = _check_field(values.get(name), rule)
        if check and not check.valid:
            issues.append(Issue(rule, "warning", f"{name} {check.value!r} is not a valid {check.kind}: {check.reason}"))
    return issues


def _check_field(value: object, rule: str) -> IdentifierCheck | None:
    if value in (None, "") or not str(value).strip():
        return None
    checks = {"tax_id": check_tax_id, "iban": check_iban, "bic": check_bic}
    return checks[rule](str(value))
