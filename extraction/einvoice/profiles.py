"""The specification an e-invoice says it follows (UBL ``CustomizationID``, CII's guideline ID), as a name a
person knows: ``Peppol BIS Billing 3.0``, ``XRechnung 3.0``, ``Factur-X EN 16931``."""

from __future__ import annotations

import re

_FACTURX_LEVELS = {"minimum": "MINIMUM", "basicwl": "BASIC WL", "basic": "BASIC", "en16931": "EN 16931",
                   "extended": "EXTENDED"}
_ZUGFERD1_LEVELS = {"basic": "BASIC", "comfort": "COMFORT", "extended": "EXTENDED"}


def profile_name(specification: str | None) -> str | None:
    """A readable name for a specification identifier; an identifier we do not know is returned as it is."""
    if not specification:
        return None
    lowered = specification.lower()
    return next((name for test in _RECOGNISERS if (name := test(lowered))), specification)


def _xrechnung(lowered: str) -> str | None:
    if "xrechnung" not in lowered:
        return None
    version = re.search(r"xrechnung_(\d+(?:\.\d+)*)", lowered)
    return f"XRechnung {version.group(1)}" if version else "XRechnung"


def _peppol(lowered: str) -> str | None:
    return "Peppol BIS Billing 3.0" if "peppol.eu:2017:poacc:billing:3.0" in lowered else None


def _facturx(lowered: str) -> str | None:
    level = re.search(r"factur-x\.eu:1p0:(\w+)", lowered)
    if level:
        return f"Factur-X {_FACTURX_LEVELS.get(level.group(1), level.group(1).upper())}"
    if "urn:cen.eu:en16931:2017" in lowered and "#" not in lowered:
        return "EN 16931"
    return None


def _zugferd1(lowered: str) -> str | None:
    level = re.search(r"urn:ferd:crossindustrydocument:invoice:1p0:(\w+)", lowered)
    return f"ZUGFeRD 1.0 {_ZUGFERD1_LEVELS.get(level.group(1), level.group(1).upper())}" if level else None


def _en16931_extension(lowered: str) -> str | None:
    return "EN 16931" if lowered.startswith("urn:cen.eu:en16931:2017") else None


_RECOGNISERS = (_xrechnung, _peppol, _facturx, _zugferd1, _en16931_extension)
"""Most specific first: XRechnung and Peppol identifiers also name EN 16931."""
