"""UN/CEFACT Cross Industry Invoice (Factur-X, ZUGFeRD 2.x, XRechnung CII) and its forerunner ZUGFeRD 1.0.

Both generations state the same things in the same shape under other element names, so one reader walks either
with a ``Layout`` naming the elements of its generation. Navigation goes by local names, so any prefix and
namespace version is read; values are kept as the document writes them (dates made ISO)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from extraction.einvoice.model import (AllowanceCharge, EInvoice, InvoiceLine, NotAnEInvoice, TaxSubtotal, Totals,
                                       net_adjustment)
from extraction.einvoice.profiles import CREDIT_NOTE_TYPE_CODES, profile_name
from extraction.einvoice.xmltree import Element, InvalidEInvoice, amount, child, children, local, path_of, text

Path = tuple[str, ...]
"""Local element names, each a child of the one before, from the invoice's root element."""


TAX_ID_SCHEMES = ("VA", "FC")
"""A party's VAT number (VA) is the tax id people look for; the national tax number (FC) stands in for it."""


@dataclass(frozen=True)
class Layout:
    """The element names one CII generation uses for the parts every reading needs."""

    syntax: str
    root: str
    context: str
    document: str
    transaction: str
    agreement: str
    settlement: str
    summation: str
    line_agreement: str
    line_delivery: str
    line_settlement: str
    line_summation: str
    order_id: str


CII = Layout(syntax="CII", root="CrossIndustryInvoice", context="ExchangedDocumentContext",
             document="ExchangedDocument", transaction="SupplyChainTradeTransaction",
             agreement="ApplicableHeaderTradeAgreement", settlement="ApplicableHeaderTradeSettlement",
             summation="SpecifiedTradeSettlementHeaderMonetarySummation",
             line_agreement="SpecifiedLineTradeAgreement", line_delivery="SpecifiedLineTradeDelivery",
             line_settlement="SpecifiedLineTradeSettlement",
             line_summation="SpecifiedTradeSettlementLineMonetarySummation", order_id="IssuerAssignedID")
ZUGFERD1 = Layout(syntax="ZUGFeRD 1.0", root="CrossIndustryDocument", context="SpecifiedExchangedDocumentContext",
                  document="HeaderExchangedDocument", transaction="SpecifiedSupplyChainTradeTransaction",
                  agreement="ApplicableSupplyChainTradeAgreement", settlement="ApplicableSupplyChainTradeSettlement",
                  summation="SpecifiedTradeSettlementMonetarySummation",
                  line_agreement="SpecifiedSupplyChainTradeAgreement",
                  line_delivery="SpecifiedSupplyChainTradeDelivery",
                  line_settlement="SpecifiedSupplyChainTradeSettlement",
                  line_summation="SpecifiedTradeSettlementMonetarySummation", order_id="ID")


@dataclass(frozen=True)
class Found:
    """A value and where it stands (local names from the root element)."""

    value: str
    path: Path


def read_cii(root: Element) -> EInvoice:
    """The e-invoice a CrossIndustryInvoice (D16B and later) states."""
    return read_with_layout(root, CII)


def read_zugferd1(root: Element) -> EInvoice:
    """The e-invoice a ZUGFeRD 1.0 CrossIndustryDocument states."""
    return read_with_layout(root, ZUGFERD1)


def read_with_layout(root: Element, layout: Layout) -> EInvoice:
    """Everything both generations state, read with the element names of ``layout``."""
    if local(root) != layout.root:
        raise NotAnEInvoice(f"The root element is {local(root)}, not {layout.root}.")
    found = {name: place for name, place in fields(root, layout).items() if place is not None}
    return EInvoice(syntax=layout.syntax, profile=profile_of(root, layout), is_credit_note=is_credit_note(root, layout),
                    values={name: place.value for name, place in found.items()},
                    evidence={name: path_of(layout.root, *place.path) for name, place in found.items()},
                    lines=lines_of(root, layout), tax_subtotals=tax_subtotals_of(root, layout),
                    allowances_charges=allowances_charges_of(root, layout), totals=totals_of(root, layout))


# --- profile and kind ---------------------------------------------------------------------------------------------

def profile_of(root: Element, layout: Layout) -> str | None:
    """The profile the document declares (BT-24), named as people know it."""
    return profile_name(text(root, layout.context, "GuidelineSpecifiedDocumentContextParameter", "ID"))


def is_credit_note(root: Element, layout: Layout) -> bool:
    """Whether the document type (BT-3) is a kind of credit note."""
    return text(root, layout.document, "TypeCode") in CREDIT_NOTE_TYPE_CODES


# --- header fields ------------------------------------------------------------------------------------------------

def fields(root: Element, layout: Layout) -> dict[str, Found | None]:
    """Every canonical field, found or None."""
    seller = (layout.transaction, layout.agreement, "SellerTradeParty")
    buyer = (layout.transaction, layout.agreement, "BuyerTradeParty")
    currency = text(root, layout.transaction, layout.settlement, "InvoiceCurrencyCode")
    return {**plain_fields(root, layout), **date_fields(root, layout), **payment_fields(root, layout),
            "vendor_tax_id": tax_id(root, seller), "customer_tax_id": tax_id(root, buyer),
            "vendor_address": address(root, seller),
            "vendor_electronic_address": electronic_address(root, seller),
            "customer_electronic_address": electronic_address(root, buyer),
            "tax_amount": tax_total(root, layout, currency), "tax_rate": single_tax_rate(root, layout)}


def plain_fields(root: Element, layout: Layout) -> dict[str, Found | None]:
    """Fields that stand in one place, written as they are."""
    agreement = (layout.transaction, layout.agreement)
    settlement = (layout.transaction, layout.settlement)
    summation = (*settlement, layout.summation)
    places = {"invoice_number": (layout.document, "ID"),
              "currency": (*settlement, "InvoiceCurrencyCode"),
              "vendor_name": (*agreement, "SellerTradeParty", "Name"),
              "customer_name": (*agreement, "BuyerTradeParty", "Name"),
              "po_number": (*agreement, "BuyerOrderReferencedDocument", layout.order_id),
              "payment_reference": (*settlement, "PaymentReference"),
              "subtotal": (*summation, "TaxBasisTotalAmount"),
              "total_amount": (*summation, "GrandTotalAmount"),
              "amount_due": (*summation, "DuePayableAmount")}
    return {name: found_at(root, path) for name, path in places.items()}


def found_at(root: Element, path: Path) -> Found | None:
    value = text(root, *path)
    return Found(value, path) if value is not None else None


def date_fields(root: Element, layout: Layout) -> dict[str, Found | None]:
    """The issue date (BT-2) and the first payment due date (BT-9), as ISO dates."""
    issued = (layout.document, "IssueDateTime", "DateTimeString")
    terms = (layout.transaction, layout.settlement)
    due = first_among(root, terms, "SpecifiedTradePaymentTerms", ("DueDateDateTime", "DateTimeString"))
    return {"invoice_date": iso_date_at(root, issued),
            "due_date": iso_date_at(root, due.path) if due else None}


def iso_date_at(root: Element, path: Path) -> Found | None:
    """A CII date (``<DateTimeString format="102">20180305``) as ``2018-03-05``."""
    element = child(root, *path)
    value = text(element)
    if value is None:
        return None
    return Found(iso_date(value, element.get("format")), path)


def iso_date(value: str, date_format: str | None) -> str:
    """Format 102 (CCYYMMDD) and 610 (CCYYMM) made ISO; other formats stay as written."""
    if date_format == "102" or (date_format is None and re.fullmatch(r"\d{8}", value)):
        return _checked_date(value).isoformat()
    if date_format == "610" and re.fullmatch(r"\d{6}", value):
        return f"{value[:4]}-{value[4:]}"
    return value


def _checked_date(value: str):
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise InvalidEInvoice(f"The date {value!r} is not a date in the form YYYYMMDD (format 102).") from None


def payment_fields(root: Element, layout: Layout) -> dict[str, Found | None]:
    """How to pay: the first account, bank and terms stated (a document may offer several)."""
    settlement = (layout.transaction, layout.settlement)
    means = "SpecifiedTradeSettlementPaymentMeans"
    return {"vendor_iban": first_among(root, settlement, means, ("PayeePartyCreditorFinancialAccount", "IBANID")),
            "vendor_bic": first_among(root, settlement, means,
                                      ("PayeeSpecifiedCreditorFinancialInstitution", "BICID")),
            "payment_terms": first_among(root, settlement, "SpecifiedTradePaymentTerms", ("Description",))}


def first_among(root: Element, parent: Path, repeated: str, rest: Path) -> Found | None:
    """The first of the repeated elements under ``parent`` that has text down ``rest``."""
    for element in children(child(root, *parent), repeated):
        value = text(element, *rest)
        if value is not None:
            return Found(value, (*parent, repeated, *rest))
    return None


def tax_id(root: Element, party: Path) -> Found | None:
    """The party's VAT number (schemeID VA), else its tax number (FC), else an id without a scheme."""
    ids = [child(registration, "ID") for registration in children(child(root, *party), "SpecifiedTaxRegistration")]
    by_scheme = {element.get("schemeID"): text(element) for element in ids if text(element) is not None}
    value = next((by_scheme[scheme] for scheme in (*TAX_ID_SCHEMES, None) if scheme in by_scheme), None)
    return Found(value, (*party, "SpecifiedTaxRegistration", "ID")) if value else None


def address(root: Element, party: Path) -> Found | None:
    """The postal address on one line: street lines, postcode and city, country."""
    place = (*party, "PostalTradeAddress")
    element = child(root, *place)
    town = " ".join(filter(None, (text(element, "PostcodeCode"), text(element, "CityName"))))
    parts = [text(element, "LineOne"), text(element, "LineTwo"), text(element, "LineThree"), town,
             text(element, "CountryID")]
    line = ", ".join(part for part in parts if part)
    return Found(line, place) if line else None


def electronic_address(root: Element, party: Path) -> Found | None:
    """The party's electronic address (BT-34 / BT-49) as ``schemeID:value``, e.g. ``EM:me@buyer.com``."""
    place = (*party, "URIUniversalCommunication", "URIID")
    element = child(root, *place)
    value = text(element)
    if value is None:
        return None
    scheme = (element.get("schemeID") or "").strip()
    return Found(f"{scheme}:{value}" if scheme else value, place)


def tax_total(root: Element, layout: Layout, currency: str | None) -> Found | None:
    """The VAT total in the invoice currency (BT-110); a second one in the VAT currency (BT-111) is not it."""
    summation = (layout.transaction, layout.settlement, layout.summation)
    element = tax_total_element(child(root, *summation), currency)
    value = text(element)
    return Found(value, (*summation, "TaxTotalAmount")) if value is not None else None


def tax_total_element(summation: Element | None, currency: str | None) -> Element | None:
    """The TaxTotalAmount in ``currency``, else the one with no currency, else the only one."""
    totals = children(summation, "TaxTotalAmount")
    in_currency = [total for total in totals if total.get("currencyID") == currency]
    unlabelled = [total for total in totals if total.get("currencyID") is None]
    chosen = in_currency or unlabelled or (totals if len(totals) == 1 else [])
    return chosen[0] if chosen else None


def single_tax_rate(root: Element, layout: Layout) -> Found | None:
    """The VAT rate when the breakdown has exactly one (several rates make no single rate)."""
    settlement = (layout.transaction, layout.settlement)
    taxes = children(child(root, *settlement), "ApplicableTradeTax")
    rated = [(tax, rate_element(tax)) for tax in taxes if rate_element(tax) is not None]
    if len({amount(element) for _, element in rated}) != 1:
        return None
    element = rated[0][1]
    return Found(text(element), (*settlement, "ApplicableTradeTax", local(element)))


def rate_element(tax: Element | None) -> Element | None:
    """The rate of a tax: RateApplicablePercent since D16B, ApplicablePercent in ZUGFeRD 1.0."""
    return child(tax, "RateApplicablePercent") if child(tax, "RateApplicablePercent") is not None \
        else child(tax, "ApplicablePercent")


def rate_of(tax: Element | None) -> Decimal | None:
    element = rate_element(tax)
    return amount(element) if element is not None else None


# --- lines, VAT breakdown, allowances and charges, totals ---------------------------------------------------------

def lines_of(root: Element, layout: Layout) -> tuple[InvoiceLine, ...]:
    """The top-level line items: the ones the line total (BT-106) sums."""
    items = children(child(root, layout.transaction), "IncludedSupplyChainTradeLineItem")
    return tuple(invoice_line(item, layout) for item in items if not is_sub_line(item))


def is_sub_line(item: Element) -> bool:
    """EXTENDED sub-lines (with a ParentLineID) detail their parent line, whose amount already includes theirs
    (a GROUP line) or which they only explain (INFORMATION); counting them would count their amounts twice."""
    return text(item, "AssociatedDocumentLineDocument", "ParentLineID") is not None


def invoice_line(item: Element, layout: Layout) -> InvoiceLine:
    delivery = child(item, layout.line_delivery)
    settlement = child(item, layout.line_settlement)
    tax = child(settlement, "ApplicableTradeTax")
    quantity = child(delivery, "BilledQuantity")
    return InvoiceLine(description=text(item, "SpecifiedTradeProduct", "Name"), quantity=amount(quantity),
                       unit=quantity.get("unitCode") if quantity is not None else None,
                       unit_price=unit_price(child(item, layout.line_agreement, "NetPriceProductTradePrice")),
                       amount=amount(settlement, layout.line_summation, "LineTotalAmount"),
                       tax_category=text(tax, "CategoryCode"), tax_rate=rate_of(tax),
                       adjustments=net_adjustment(map(allowance_charge,
                                                      children(settlement, "SpecifiedTradeAllowanceCharge"))))


def unit_price(net_price: Element | None) -> Decimal | None:
    """The net price of one unit: the stated price divided by its base quantity when that is not one."""
    price = amount(net_price, "ChargeAmount")
    basis = amount(net_price, "BasisQuantity")
    if price is None or basis is None or basis in (0, 1):
        return price
    return price / basis


def tax_subtotals_of(root: Element, layout: Layout) -> tuple[TaxSubtotal, ...]:
    """The VAT breakdown (BG-23), one entry per category and rate."""
    taxes = children(child(root, layout.transaction, layout.settlement), "ApplicableTradeTax")
    return tuple(TaxSubtotal(category=text(tax, "CategoryCode"), rate=rate_of(tax),
                             taxable_amount=amount(tax, "BasisAmount"), tax_amount=amount(tax, "CalculatedAmount"))
                 for tax in taxes)


def allowances_charges_of(root: Element, layout: Layout) -> tuple[AllowanceCharge, ...]:
    """The document-level allowances (BG-20) and charges (BG-21)."""
    elements = children(child(root, layout.transaction, layout.settlement), "SpecifiedTradeAllowanceCharge")
    return tuple(allowance_charge(element) for element in elements)


def allowance_charge(element: Element) -> AllowanceCharge:
    tax = child(element, "CategoryTradeTax")
    return AllowanceCharge(is_charge=is_charge(element), amount=required_amount(element, "ActualAmount"),
                           reason=text(element, "Reason"), tax_category=text(tax, "CategoryCode"),
                           tax_rate=rate_of(tax))


def is_charge(element: Element) -> bool:
    """ChargeIndicator: true for a charge, false for an allowance (xs:boolean, so 1 and 0 too)."""
    indicator = text(element, "ChargeIndicator", "Indicator")
    if indicator in ("true", "1"):
        return True
    if indicator in ("false", "0"):
        return False
    raise InvalidEInvoice(f"An allowance or charge has ChargeIndicator {indicator!r}; it must be true or false, "
                          "so it cannot be told whether it adds to or takes from the invoice.")


def required_amount(element: Element, name: str) -> Decimal:
    value = amount(element, name)
    if value is None:
        raise InvalidEInvoice(f"A {local(element)} states no {name}, which it must.")
    return value


def totals_of(root: Element, layout: Layout) -> Totals:
    """The document totals (BG-22); the VAT total is the one in the invoice currency."""
    settlement = child(root, layout.transaction, layout.settlement)
    summation = child(settlement, layout.summation)
    currency = text(settlement, "InvoiceCurrencyCode")
    return Totals(line_net=amount(summation, "LineTotalAmount"), allowances=amount(summation, "AllowanceTotalAmount"),
                  charges=amount(summation, "ChargeTotalAmount"), without_tax=amount(summation, "TaxBasisTotalAmount"),
                  tax=amount(tax_total_element(summation, currency)),
                  with_tax=amount(summation, "GrandTotalAmount"), prepaid=amount(summation, "TotalPrepaidAmount"),
                  rounding=amount(summation, "RoundingAmount"), due=amount(summation, "DuePayableAmount"))
