"""Answer keys from e-invoices themselves: the canonical fields an XML e-invoice states (UBL, Peppol's business
document around UBL, CII / XRechnung / Factur-X, ZUGFeRD 1.0), and the e-invoice XML a PDF carries inside.

Independent of ``extraction``: this is what a correct reader of the file would answer."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pypdfium2 as pdfium

Path = tuple[str, ...]
"""Local element names, each a child of the one before, from the invoice's root element."""

_SELLER_AGREEMENT = ("SupplyChainTradeTransaction", "ApplicableHeaderTradeAgreement")
_SETTLEMENT = ("SupplyChainTradeTransaction", "ApplicableHeaderTradeSettlement")
_CII_TOTALS = (*_SETTLEMENT, "SpecifiedTradeSettlementHeaderMonetarySummation")
_ZF1_AGREEMENT = ("SpecifiedSupplyChainTradeTransaction", "ApplicableSupplyChainTradeAgreement")
_ZF1_SETTLEMENT = ("SpecifiedSupplyChainTradeTransaction", "ApplicableSupplyChainTradeSettlement")
_ZF1_TOTALS = (*_ZF1_SETTLEMENT, "SpecifiedTradeSettlementMonetarySummation")
_UBL_SELLER = ("AccountingSupplierParty", "Party")
_UBL_BUYER = ("AccountingCustomerParty", "Party")

UBL_FIELDS: dict[str, tuple[Path, ...]] = {
    "invoice_number": (("ID",),),
    "invoice_date": (("IssueDate",),),
    "due_date": (("DueDate",), ("PaymentMeans", "PaymentDueDate")),
    "currency": (("DocumentCurrencyCode",),),
    "vendor_name": ((*_UBL_SELLER, "PartyLegalEntity", "RegistrationName"), (*_UBL_SELLER, "PartyName", "Name")),
    "vendor_tax_id": ((*_UBL_SELLER, "PartyTaxScheme[VAT]", "CompanyID"), (*_UBL_SELLER, "PartyTaxScheme", "CompanyID")),
    "customer_name": ((*_UBL_BUYER, "PartyLegalEntity", "RegistrationName"), (*_UBL_BUYER, "PartyName", "Name")),
    "po_number": (("OrderReference", "ID"),),
    "subtotal": (("LegalMonetaryTotal", "TaxExclusiveAmount"),),
    "tax_amount": (("TaxTotal[currency]", "TaxAmount"),),
    "total_amount": (("LegalMonetaryTotal", "TaxInclusiveAmount"),),
}
CII_FIELDS: dict[str, tuple[Path, ...]] = {
    "invoice_number": (("ExchangedDocument", "ID"),),
    "invoice_date": (("ExchangedDocument", "IssueDateTime", "DateTimeString"),),
    "due_date": ((*_SETTLEMENT, "SpecifiedTradePaymentTerms", "DueDateDateTime", "DateTimeString"),),
    "currency": ((*_SETTLEMENT, "InvoiceCurrencyCode"),),
    "vendor_name": ((*_SELLER_AGREEMENT, "SellerTradeParty", "Name"),),
    "vendor_tax_id": ((*_SELLER_AGREEMENT, "SellerTradeParty", "SpecifiedTaxRegistration[VA]", "ID"),
                      (*_SELLER_AGREEMENT, "SellerTradeParty", "SpecifiedTaxRegistration", "ID")),
    "customer_name": ((*_SELLER_AGREEMENT, "BuyerTradeParty", "Name"),),
    "po_number": ((*_SELLER_AGREEMENT, "BuyerOrderReferencedDocument", "IssuerAssignedID"),),
    "subtotal": ((*_CII_TOTALS, "TaxBasisTotalAmount"),),
    "tax_amount": ((*_CII_TOTALS, "TaxTotalAmount"),),
    "total_amount": ((*_CII_TOTALS, "GrandTotalAmount"),),
}
ZUGFERD1_FIELDS: dict[str, tuple[Path, ...]] = {
    "invoice_number": (("HeaderExchangedDocument", "ID"),),
    "invoice_date": (("HeaderExchangedDocument", "IssueDateTime", "DateTimeString"),),
    "currency": ((*_ZF1_SETTLEMENT, "InvoiceCurrencyCode"),),
    "vendor_name": ((*_ZF1_AGREEMENT, "SellerTradeParty", "Name"),),
    "vendor_tax_id": ((*_ZF1_AGREEMENT, "SellerTradeParty", "SpecifiedTaxRegistration[VA]", "ID"),
                      (*_ZF1_AGREEMENT, "SellerTradeParty", "SpecifiedTaxRegistration", "ID")),
    "customer_name": ((*_ZF1_AGREEMENT, "BuyerTradeParty", "Name"),),
    "subtotal": ((*_ZF1_TOTALS, "TaxBasisTotalAmount"),),
    "tax_amount": ((*_ZF1_TOTALS, "TaxTotalAmount"),),
    "total_amount": ((*_ZF1_TOTALS, "GrandTotalAmount"),),
}
FIELDS_BY_ROOT = {"Invoice": UBL_FIELDS, "CreditNote": UBL_FIELDS, "CrossIndustryInvoice": CII_FIELDS,
                  "CrossIndustryDocument": ZUGFERD1_FIELDS}
"""The e-invoices we know, by the local name of their root element (Peppol's ``StandardBusinessDocument`` wraps
a UBL one)."""
ENVELOPE = "StandardBusinessDocument"


def local_name(element: ET.Element) -> str:
    """The element's name without its namespace."""
    return element.tag.rpartition("}")[2]


def invoice_element(root: ET.Element) -> ET.Element | None:
    """The e-invoice in a parsed document (inside Peppol's envelope, if any); None if it is no e-invoice."""
    if local_name(root) == ENVELOPE:
        return next((child for child in root if local_name(child) in FIELDS_BY_ROOT), None)
    return root if local_name(root) in FIELDS_BY_ROOT else None


def answer_key(invoice: ET.Element) -> dict[str, str]:
    """The canonical fields the e-invoice states (dates as ISO); fields it leaves out are absent."""
    key = {}
    for field, paths in FIELDS_BY_ROOT[local_name(invoice)].items():
        value = next((text for path in paths if (text := _text_at(invoice, path))), None)
        if value:
            key[field] = _iso_if_compact_date(value) if field.endswith("_date") else value
    return _as_credit_note(key) if _is_credit_note(invoice) else key


LINE_PATHS: dict[str, tuple[Path, dict[str, Path]]] = {
    "CrossIndustryInvoice": (("SupplyChainTradeTransaction", "IncludedSupplyChainTradeLineItem"), {
        "description": ("SpecifiedTradeProduct", "Name"),
        "quantity": ("SpecifiedLineTradeDelivery", "BilledQuantity"),
        "unit_price": ("SpecifiedLineTradeAgreement", "NetPriceProductTradePrice", "ChargeAmount"),
        "amount": ("SpecifiedLineTradeSettlement", "SpecifiedTradeSettlementLineMonetarySummation", "LineTotalAmount"),
        "tax_rate": ("SpecifiedLineTradeSettlement", "ApplicableTradeTax", "RateApplicablePercent")}),
    "CrossIndustryDocument": (("SpecifiedSupplyChainTradeTransaction", "IncludedSupplyChainTradeLineItem"), {
        "description": ("SpecifiedTradeProduct", "Name"),
        "quantity": ("SpecifiedSupplyChainTradeDelivery", "BilledQuantity"),
        "unit_price": ("SpecifiedSupplyChainTradeAgreement", "NetPriceProductTradePrice", "ChargeAmount"),
        "amount": ("SpecifiedSupplyChainTradeSettlement", "SpecifiedTradeSettlementMonetarySummation",
                   "LineTotalAmount"),
        "tax_rate": ("SpecifiedSupplyChainTradeSettlement", "ApplicableTradeTax", "ApplicablePercent")}),
    "Invoice": (("InvoiceLine",), {
        "description": ("Item", "Name"), "quantity": ("InvoicedQuantity",), "unit_price": ("Price", "PriceAmount"),
        "amount": ("LineExtensionAmount",), "tax_rate": ("Item", "ClassifiedTaxCategory", "Percent")}),
    "CreditNote": (("CreditNoteLine",), {
        "description": ("Item", "Name"), "quantity": ("CreditedQuantity",), "unit_price": ("Price", "PriceAmount"),
        "amount": ("LineExtensionAmount",), "tax_rate": ("Item", "ClassifiedTaxCategory", "Percent")}),
}
"""Where each syntax states a line's name, quantity, net unit price, net amount and VAT rate (BT-153, BT-129,
BT-146, BT-131, BT-152), from the line's element."""


def answer_line_items(invoice: ET.Element) -> tuple[dict[str, str], ...]:
    """The e-invoice's lines, each with the values it states, as written in the XML (amounts unsigned)."""
    container, paths = LINE_PATHS[local_name(invoice)]
    parent = invoice
    for step in container[:-1]:
        parent = next((child for child in parent if local_name(child) == step), None)
        if parent is None:
            return ()
    lines = [child for child in parent if local_name(child) == container[-1]]
    return tuple({name: text for name, path in paths.items() if (text := _text_at(line, path))} for line in lines)


def _text_at(element: ET.Element, path: Path) -> str | None:
    root = element
    for step in path:
        element = next((child for child in element if _matches(child, step, root)), None)
        if element is None:
            return None
    return " ".join((element.text or "").split()) or None


CREDIT_NOTE_CODES = {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
"""UNTDID 1001 document types EN 16931 counts as credit notes."""
SIGNED_FIELDS = ("subtotal", "tax_amount", "total_amount")


def _is_credit_note(invoice: ET.Element) -> bool:
    codes = (("InvoiceTypeCode",), ("ExchangedDocument", "TypeCode"), ("HeaderExchangedDocument", "TypeCode"))
    return local_name(invoice) == "CreditNote" or any(_text_at(invoice, path) in CREDIT_NOTE_CODES for path in codes)


def _as_credit_note(key: dict[str, str]) -> dict[str, str]:
    """A credit note is a negative document: its amounts are keyed with the sign turned."""
    turned = {name: (value[1:] if value.startswith("-") else f"-{value}") for name, value in key.items()
              if name in SIGNED_FIELDS and value.strip("-0.")}
    return key | turned


def _matches(element: ET.Element, step: str, root: ET.Element) -> bool:
    """``Name``, or ``Name[VAT]`` (a UBL ``PartyTaxScheme`` of the VAT scheme: the seller's VAT number, BT-31),
    ``Name[VA]`` (a CII ``SpecifiedTaxRegistration`` whose ID is of the scheme ``VA``: the same BT-31),
    or ``Name[currency]`` (a UBL ``TaxTotal`` in the document currency: BT-110, not the tax currency's BT-111)."""
    name, _, condition = step.partition("[")
    if local_name(element) != name:
        return False
    if condition == "VA]":
        return any(local_name(child) == "ID" and child.get("schemeID") == "VA" for child in element)
    if condition == "VAT]":
        return _text_at(element, ("TaxScheme", "ID")) == "VAT"
    if condition == "currency]":
        amount = next((child for child in element if local_name(child) == "TaxAmount"), None)
        return amount is not None and amount.get("currencyID") == _text_at(root, ("DocumentCurrencyCode",))
    return True


def _iso_if_compact_date(value: str) -> str:
    """CII's format 102 (``20180305``) as ISO; other dates as they are."""
    if len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value


def embedded_invoice(data: bytes) -> ET.Element | None:
    """The e-invoice a PDF carries as an attachment (Factur-X, ZUGFeRD, XRechnung in PDF), or None."""
    document = pdfium.PdfDocument(data)
    try:
        for index in range(document.count_attachments()):
            attachment = document.get_attachment(index)
            if attachment.get_name().lower().endswith(".xml"):
                found = parse_invoice(bytes(attachment.get_data()))
                if found is not None:
                    return found
    finally:
        document.close()
    return None


def parse_invoice(data: bytes) -> ET.Element | None:
    """The e-invoice in XML bytes, or None if they do not parse or hold no e-invoice."""
    try:
        return invoice_element(ET.fromstring(data))
    except ET.ParseError:
        return None
