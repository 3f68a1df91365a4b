"""The specification an e-invoice says it follows (UBL ``CustomizationID``, CII's guideline ID), as a name a
person knows: ``Peppol BIS Billing 3.0``, ``XRechnung 3.0``, ``Factur-X BASIC WL``; and which document types
are credit notes."""

from __future__ import annotations

import re

CREDIT_NOTE_TYPE_CODES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"})
"""UNTDID 1001 document types EN 16931 counts as credit notes; 384 (corrected invoice) stays an invoice."""

_PROFILE_NAMES = {"minimum": "MINIMUM", "basicwl": "BASIC WL", "basic": "BASIC", "en16931": "EN 16931",
                  "extended": "EXTENDED", "comfort": "COMFORT", "xrechnung": "XRECHNUNG"}
_FAMILIES = ((re.compile(r"factur-x\.eu:1p0:(\w+)"), "Factur-X"),
             (re.compile(r"zugferd\.de:2p0:(\w+)"), "ZUGFeRD 2.0"),
             (re.compile(r"ferd:CrossIndustryDocument:invoice:1p0:(\w+)"), "ZUGFeRD 1.0"),
             (re.compile(r"order-x\.eu:1p0:(\w+)"), "Order-X"))
_XRECHNUNG_VERSION = re.compile(r"xrechnung_(\d+(?:\.\d+)*)")


def profile_name(guideline: str | None) -> str | None:
    """``urn:factur-x.eu:1p0:basicwl`` → ``Factur-X BASIC WL``; an ID we do not know is its own name."""
    if guideline is None:
        return None
    if "xrechnung" in guideline.lower():
        version = _XRECHNUNG_VERSION.search(guideline)
        return f"XRechnung {version.group(1)}" if version else "XRechnung"
    if "peppol.eu:2017:poacc:billing:3.0" in guideline:
        return "Peppol BIS Billing 3.0"
    return _family_profile(guideline) or ("EN 16931" if guideline == "urn:cen.eu:en16931:2017" else guideline)


def _family_profile(guideline: str) -> str | None:
    for pattern, family in _FAMILIES:
        match = pattern.search(guideline)
        if match:
            return f"{family} {_PROFILE_NAMES.get(match.group(1).lower(), match.group(1).upper())}"
    return None


