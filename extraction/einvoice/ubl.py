"""UBL 2.1 Invoice and CreditNote (Peppol BIS Billing 3.0, XRechnung UBL, EN 16931), read by local names."""

from __future__ import annotations

from decimal import Decimal

from extraction.einvoice.model import AllowanceCharge, EInvoice, InvoiceLine, TaxSubtotal, Totals, net_adjustment
from extraction.einvoice.profiles import CREDIT_NOTE_TYPE_CODES, profile_name
from extraction.einvoice.xmltree import Element, amount, child, children, local, path_of, text

Path = tuple[str, ...]

_SELLER = ("AccountingSupplierParty", "Party")
_BUYER = ("AccountingCustomerParty", "Party")
_PAYEE_ACCOUNT = ("PaymentMeans", "PayeeFinancialAccount")
_TOTALS = ("LegalMonetaryTotal",)

FIELD_PATHS: dict[str, tuple[Path, ...]] = {
    "invoice_number": (("ID",),),
    "invoice_date": (("IssueDate",),),
    "due_date": (("DueDate",), ("PaymentMeans", "PaymentDueDate")),
    "currency": (("DocumentCurrencyCode",),),
    "vendor_name": ((*_SELLER, "PartyLegalEntity", "RegistrationName"), (*_SELLER, "PartyName", "Name")),
    "customer_name": ((*_BUYER, "PartyLegalEntity", "RegistrationName"), (*_BUYER, "PartyName", "Name")),
    "po_number": (("OrderReference", "ID"),),
    "vendor_iban": ((*_PAYEE_ACCOUNT, "ID"),),
    "vendor_bic": ((*_PAYEE_ACCOUNT, "FinancialInstitutionBranch", "ID"),),
    "payment_reference": (("PaymentMeans", "PaymentID"),),
    "payment_terms": (("PaymentTerms", "Note"),),
    "subtotal": ((*_TOTALS, "TaxExclusiveAmount"),),
    "total_amount": ((*_TOTALS, "TaxInclusiveAmount"),),
    "amount_due": ((*_TOTALS, "PayableAmount"),),
}
"""Where each canonical field stands, first match wins (paths from the Invoice or CreditNote element)."""


def read_ubl(invoice: Element) -> EInvoice:
    """The e-invoice a UBL ``Invoice`` or ``CreditNote`` element states."""
    root = local(invoice)
    values, evidence = _stated_fields(invoice, root)
    _add_party_details(invoice, root, values, evidence)
    tax_total = _document_tax_total(invoice, values.get("currency"))
    if (tax := text(tax_total, "TaxAmount")) is not None:
        values["tax_amount"], evidence["tax_amount"] = tax, path_of(root, "TaxTotal", "TaxAmount")
    subtotals = tuple(_tax_subtotal(element) for element in children(tax_total, "TaxSubtotal"))
    _add_single_rate(subtotals, values, evidence, root)
    return EInvoice(
        syntax="UBL", profile=profile_name(text(invoice, "CustomizationID")),
        is_credit_note=_is_credit_note(invoice), values=values, evidence=evidence,
        lines=tuple(_line(element) for element in _line_elements(invoice)), tax_subtotals=subtotals,
        allowances_charges=tuple(_allowance_charge(element) for element in children(invoice, "AllowanceCharge")),
        totals=_totals(invoice, tax_total),
    )


def _stated_fields(invoice: Element, root: str) -> tuple[dict[str, str], dict[str, str]]:
    values, evidence = {}, {}
    for field, paths in FIELD_PATHS.items():
        found = next(((path, value) for path in paths if (value := text(invoice, *path))), None)
        if found:
            values[field], evidence[field] = found[1], path_of(root, *found[0])
    return values, evidence


def _add_party_details(invoice: Element, root: str, values: dict[str, str], evidence: dict[str, str]) -> None:
    """Tax IDs, addresses and electronic addresses of seller and buyer, which need more than a path."""
    for prefix, party_path in (("vendor", _SELLER), ("customer", _BUYER)):
        party = child(invoice, *party_path)
        details = {f"{prefix}_tax_id": _vat_id(party), f"{prefix}_electronic_address": _endpoint(party)}
        if prefix == "vendor":
            details["vendor_address"] = _address(child(party, "PostalAddress"))
        for field, (value, where) in ((f, found) for f, found in details.items() if found):
            values[field], evidence[field] = value, path_of(root, *party_path, where)


def _vat_id(party: Element | None) -> tuple[str, str] | None:
    """The party's VAT identifier (the tax scheme ``VAT`` first, then any other scheme)."""
    schemes = children(party, "PartyTaxScheme")
    schemes.sort(key=lambda scheme: text(scheme, "TaxScheme", "ID") != "VAT")
    found = next((value for scheme in schemes if (value := text(scheme, "CompanyID"))), None)
    return (found, "PartyTaxScheme/CompanyID") if found else None


def _endpoint(party: Element | None) -> tuple[str, str] | None:
    """The electronic address, as ``scheme:identifier`` (``0088:9482348239847239874``)."""
    endpoint = child(party, "EndpointID")
    value = text(endpoint)
    if value is None:
        return None
    scheme = endpoint.get("schemeID")
    return (f"{scheme}:{value}" if scheme else value), "EndpointID"


def _address(address: Element | None) -> tuple[str, str] | None:
    """The postal address on one line: street, additional street, postcode and city, country."""
    town = " ".join(filter(None, (text(address, "PostalZone"), text(address, "CityName"))))
    parts = (text(address, "StreetName"), text(address, "AdditionalStreetName"), town,
             text(address, "Country", "IdentificationCode"))
    line = ", ".join(filter(None, parts))
    return (line, "PostalAddress") if line else None


def _document_tax_total(invoice: Element, currency: str | None) -> Element | None:
    """The ``TaxTotal`` in the document currency (a second one may state the VAT in the tax currency)."""
    totals = children(invoice, "TaxTotal")
    in_currency = [t for t in totals if (child(t, "TaxAmount") is not None
                                         and child(t, "TaxAmount").get("currencyID") in (None, currency))]
    return next(iter(in_currency or totals), None)


def _add_single_rate(subtotals: tuple[TaxSubtotal, ...], values: dict[str, str], evidence: dict[str, str],
                     root: str) -> None:
    rates = {subtotal.rate for subtotal in subtotals if subtotal.rate is not None}
    if len(rates) == 1:
        values["tax_rate"] = str(rates.pop().normalize())
        evidence["tax_rate"] = path_of(root, "TaxTotal", "TaxSubtotal", "TaxCategory", "Percent")


def _tax_subtotal(element: Element) -> TaxSubtotal:
    return TaxSubtotal(category=text(element, "TaxCategory", "ID"), rate=amount(element, "TaxCategory", "Percent"),
                       taxable_amount=amount(element, "TaxableAmount"), tax_amount=amount(element, "TaxAmount"))


def _is_credit_note(invoice: Element) -> bool:
    return local(invoice) == "CreditNote" or text(invoice, "InvoiceTypeCode") in CREDIT_NOTE_TYPE_CODES


def _line_elements(invoice: Element) -> list[Element]:
    return children(invoice, "InvoiceLine") + children(invoice, "CreditNoteLine")


def _line(element: Element) -> InvoiceLine:
    quantity = child(element, "InvoicedQuantity")
    if quantity is None:
        quantity = child(element, "CreditedQuantity")
    category = child(element, "Item", "ClassifiedTaxCategory")
    return InvoiceLine(
        description=text(element, "Item", "Name") or text(element, "Item", "Description"),
        quantity=amount(quantity), unit=quantity.get("unitCode") if quantity is not None else None,
        unit_price=_unit_price(child(element, "Price")), amount=amount(element, "LineExtensionAmount"),
        tax_category=text(category, "ID"), tax_rate=amount(category, "Percent"),
        adjustments=net_adjustment(map(_allowance_charge, children(element, "AllowanceCharge"))),
    )


def _unit_price(price: Element | None) -> Decimal | None:
    """The net price per one unit: the price amount over its base quantity, when one is stated."""
    value, base = amount(price, "PriceAmount"), amount(price, "BaseQuantity")
    return value / base if value is not None and base else value


def _allowance_charge(element: Element) -> AllowanceCharge:
    return AllowanceCharge(
        is_charge=(text(element, "ChargeIndicator") or "").lower() == "true", amount=amount(element, "Amount") or Decimal(0),
        reason=text(element, "AllowanceChargeReason") or text(element, "AllowanceChargeReasonCode"),
        tax_category=text(element, "TaxCategory", "ID"), tax_rate=amount(element, "TaxCategory", "Percent"),
    )


def _totals(invoice: Element, tax_total: Element | None) -> Totals:
    totals = child(invoice, *_TOTALS)
    return Totals(
        line_net=amount(totals, "LineExtensionAmount"), allowances=amount(totals, "AllowanceTotalAmount"),
        charges=amount(totals, "ChargeTotalAmount"), without_tax=amount(totals, "TaxExclusiveAmount"),
        tax=amount(tax_total, "TaxAmount"), with_tax=amount(totals, "TaxInclusiveAmount"),
        prepaid=amount(totals, "PrepaidAmount"), rounding=amount(totals, "PayableRoundingAmount"),
        due=amount(totals, "PayableAmount"), third_party=_third_party_payments(invoice),
    )


def _third_party_payments(invoice: Element) -> Decimal | None:
    """XRechnung's third-party payments (``PrepaidPayment``, BG-DEX-09), which the amount due includes."""
    paid = [amount(payment, "PaidAmount") for payment in children(invoice, "PrepaidPayment")]
    return sum((value for value in paid if value is not None), Decimal(0)) if paid else None
