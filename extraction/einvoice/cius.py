"""The rules of the specifications an e-invoice claims on top of EN 16931 (its CIUS): XRechnung's BR-DE rules
and Peppol BIS 3.0's, for the parts that say what must be present (or present once). They apply to UBL and CII
documents whose specification identifier (BT-24) names XRechnung or Peppol BIS. The business process (BT-23)
does not decide: XRechnung documents sent over the Peppol network name Peppol's process and follow XRechnung.

Each rule gives the places, as local-name paths from the root, in UBL and in CII; it holds when one of them is
present (or, for a rule of at most one, when they occur no more than once)."""

from __future__ import annotations

from dataclasses import dataclass

from extraction.einvoice.xmltree import Element, child, children, local, text
from extraction.model import Issue

UBL_ROOTS = ("Invoice", "CreditNote")
CII_ROOT = "CrossIndustryInvoice"
CII_CONTEXT = ("ExchangedDocumentContext",)
CII_AGREEMENT = ("SupplyChainTradeTransaction", "ApplicableHeaderTradeAgreement")
CII_SETTLEMENT = ("SupplyChainTradeTransaction", "ApplicableHeaderTradeSettlement")
CII_SELLER = (*CII_AGREEMENT, "SellerTradeParty")
CII_CONTACT = (*CII_SELLER, "DefinedTradeContact")
UBL_SELLER = ("AccountingSupplierParty", "Party")
UBL_BUYER = ("AccountingCustomerParty", "Party")


XRECHNUNG = "XRechnung"
PEPPOL = "Peppol BIS 3.0"


@dataclass(frozen=True)
class Rule:
    specification: str
    rule: str
    what: str
    """What the rule asks for, as a person reads it."""
    ubl: tuple[tuple[str, ...], ...]
    cii: tuple[tuple[str, ...], ...]
    at_most_one: bool = False
    """The places may occur at most once (rather than: one of them must be present)."""


XRECHNUNG_RULES = (
    Rule(XRECHNUNG, "BR-DE-1", "payment instructions (BG-16)", (("PaymentMeans",),),
         ((*CII_SETTLEMENT, "SpecifiedTradeSettlementPaymentMeans"),)),
    Rule(XRECHNUNG, "BR-DE-2", "the seller's contact (BG-6)", ((*UBL_SELLER, "Contact"),), (CII_CONTACT,)),
    Rule(XRECHNUNG, "BR-DE-3", "the seller's city (BT-37)", ((*UBL_SELLER, "PostalAddress", "CityName"),),
         ((*CII_SELLER, "PostalTradeAddress", "CityName"),)),
    Rule(XRECHNUNG, "BR-DE-4", "the seller's post code (BT-38)", ((*UBL_SELLER, "PostalAddress", "PostalZone"),),
         ((*CII_SELLER, "PostalTradeAddress", "PostcodeCode"),)),
    Rule(XRECHNUNG, "BR-DE-5", "the seller's contact point (BT-41)", ((*UBL_SELLER, "Contact", "Name"),),
         ((*CII_CONTACT, "PersonName"), (*CII_CONTACT, "DepartmentName"))),
    Rule(XRECHNUNG, "BR-DE-6", "the seller's contact telephone number (BT-42)",
         ((*UBL_SELLER, "Contact", "Telephone"),),
         ((*CII_CONTACT, "TelephoneUniversalCommunication", "CompleteNumber"),)),
    Rule(XRECHNUNG, "BR-DE-7", "the seller's contact e-mail address (BT-43)",
         ((*UBL_SELLER, "Contact", "ElectronicMail"),),
         ((*CII_CONTACT, "EmailURIUniversalCommunication", "URIID"),)),
    Rule(XRECHNUNG, "BR-DE-15", "the buyer reference (BT-10, the Leitweg-ID)", (("BuyerReference",),),
         ((*CII_AGREEMENT, "BuyerReference"),)),
)
PEPPOL_RULES = (
    Rule(PEPPOL, "PEPPOL-EN16931-R001", "the business process (BT-23)", (("ProfileID",),),
         ((*CII_CONTEXT, "BusinessProcessSpecifiedDocumentContextParameter", "ID"),)),
    Rule(PEPPOL, "PEPPOL-EN16931-R002", "one invoice note (BT-22) at most", (("Note",),),
         (("ExchangedDocument", "IncludedNote"),), at_most_one=True),
    Rule(PEPPOL, "PEPPOL-EN16931-R003", "a buyer reference (BT-10) or a purchase order reference (BT-13)",
         (("BuyerReference",), ("OrderReference", "ID")),
         ((*CII_AGREEMENT, "BuyerReference"), (*CII_AGREEMENT, "BuyerOrderReferencedDocument", "IssuerAssignedID"))),
    Rule(PEPPOL, "PEPPOL-EN16931-R010", "the buyer's electronic address (BT-49)", ((*UBL_BUYER, "EndpointID"),),
         ((*CII_AGREEMENT, "BuyerTradeParty", "URIUniversalCommunication", "URIID"),)),
    Rule(PEPPOL, "PEPPOL-EN16931-R020", "the seller's electronic address (BT-34)", ((*UBL_SELLER, "EndpointID"),),
         ((*CII_SELLER, "URIUniversalCommunication", "URIID"),)),
)


def cius_issues(invoice: Element) -> list[Issue]:
    """The XRechnung and Peppol rules ``invoice`` breaks, for the specifications it claims."""
    syntax = _syntax(invoice)
    if syntax is None:
        return []
    claims = (_specification(invoice, syntax) or "").lower()
    rules = [*(XRECHNUNG_RULES if "xrechnung" in claims else ()), *(PEPPOL_RULES if "peppol" in claims else ())]
    found = ((rule, _count(rule, invoice, syntax)) for rule in rules)
    return [_issue(rule, count) for rule, count in found if not _holds(rule, count)]


def _syntax(invoice: Element) -> str | None:
    root = local(invoice)
    return "ubl" if root in UBL_ROOTS else "cii" if root == CII_ROOT else None


def _specification(invoice: Element, syntax: str) -> str | None:
    """The specification identifier (BT-24)."""
    if syntax == "ubl":
        return text(invoice, "CustomizationID")
    return text(invoice, *CII_CONTEXT, "GuidelineSpecifiedDocumentContextParameter", "ID")


def _count(rule: Rule, invoice: Element, syntax: str) -> int:
    places = rule.ubl if syntax == "ubl" else rule.cii
    return sum(_occurrences(invoice, path) for path in places)


def _holds(rule: Rule, count: int) -> bool:
    return count <= 1 if rule.at_most_one else count > 0


def _occurrences(invoice: Element, path: tuple[str, ...]) -> int:
    """How many elements with text (or, for groups, with children) are at ``path``."""
    found = children(child(invoice, *path[:-1]), path[-1])
    return sum(1 for element in found if len(element) or text(element))


def _issue(rule: Rule, count: int) -> Issue:
    found = f"allows {rule.what}; the invoice has {count}" if rule.at_most_one else f"asks for {rule.what}, which " \
            "the invoice does not state"
    return Issue(rule.rule, "warning", f"{rule.rule}: {rule.specification} {found}")
