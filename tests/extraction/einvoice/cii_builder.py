"""Writes CII e-invoices (Factur-X / ZUGFeRD 2.x per profile, XRechnung CII) and ZUGFeRD 1.0 documents for tests.

One ``InvoiceSpec`` says what the invoice states; ``cii_xml`` and ``zugferd1_xml`` write it the way each syntax
and profile would, leaving out what the profile does not carry (MINIMUM has no lines and no VAT breakdown,
BASIC WL no lines)."""

from __future__ import annotations

from dataclasses import dataclass, field

GUIDELINES = {
    "MINIMUM": "urn:factur-x.eu:1p0:minimum",
    "BASIC WL": "urn:factur-x.eu:1p0:basicwl",
    "BASIC": "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
    "EN 16931": "urn:cen.eu:en16931:2017",
    "EXTENDED": "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
    "XRECHNUNG": "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
}
ZUGFERD1_GUIDELINES = {"BASIC": "urn:ferd:CrossIndustryDocument:invoice:1p0:basic",
                       "COMFORT": "urn:ferd:CrossIndustryDocument:invoice:1p0:comfort",
                       "EXTENDED": "urn:ferd:CrossIndustryDocument:invoice:1p0:extended"}
WITHOUT_LINES = {"MINIMUM", "BASIC WL"}


@dataclass(frozen=True)
class Line:
    name: str
    quantity: str
    unit: str
    price: str
    total: str
    category: str = "S"
    rate: str = "19.00"
    basis_quantity: str | None = None
    line_id: str = "1"
    parent_id: str | None = None
    """An EXTENDED sub-line names its parent line."""
    status: str | None = None
    """EXTENDED's LineStatusReasonCode: DETAIL, GROUP or INFORMATION."""


@dataclass(frozen=True)
class Tax:
    category: str
    rate: str
    basis: str
    amount: str


@dataclass(frozen=True)
class Adjustment:
    """A document-level allowance or charge."""

    is_charge: bool
    amount: str
    reason: str
    category: str = "S"
    rate: str = "19.00"


@dataclass(frozen=True)
class InvoiceSpec:
    number: str = "RE-2024-0815"
    type_code: str = "380"
    issued: str = "20240528"
    due: str = "20240627"
    currency: str = "EUR"
    seller: str = "Muster Lieferant GmbH"
    seller_tax_ids: tuple[tuple[str, str], ...] = (("FC", "201/113/40209"), ("VA", "DE123456789"))
    seller_street: str = "Lieferweg 1"
    seller_postcode: str = "10115"
    seller_city: str = "Berlin"
    seller_country: str = "DE"
    seller_uri: tuple[str, str] = ("EM", "rechnung@lieferant.example")
    buyer: str = "Kunde AG"
    buyer_tax_id: str = "DE987654321"
    buyer_uri: tuple[str, str] = ("0204", "991-12345-67")
    order: str = "PO-4711"
    payment_reference: str = "RE-2024-0815"
    iban: str = "DE02120300000000202051"
    bic: str = "BYLADEM1001"
    terms: str = "30 Tage netto"
    lines: tuple[Line, ...] = (
        Line("Kopierpapier A4", "10", "C62", "4.50", "45.00"),
        Line("Schrauben M4", "200", "H87", "5.00", "10.00", basis_quantity="100"),
        Line("Fachbuch", "1", "C62", "20.00", "20.00", rate="7.00"),
    )
    adjustments: tuple[Adjustment, ...] = (Adjustment(False, "5.00", "Treuerabatt"),
                                           Adjustment(True, "10.00", "Versand"))
    taxes: tuple[Tax, ...] = (Tax("S", "19.00", "60.00", "11.40"), Tax("S", "7.00", "20.00", "1.40"))
    line_total: str = "75.00"
    allowance_total: str = "5.00"
    charge_total: str = "10.00"
    tax_basis_total: str = "80.00"
    tax_total: str = "12.80"
    grand_total: str = "92.80"
    prepaid: str = "0.00"
    due_payable: str = "92.80"
    tax_currency_total: tuple[str, str] | None = None
    """A TaxTotalAmount in the VAT accounting currency (BT-111), written before the one in the invoice currency,
    e.g. ("PLN", "54.50")."""
    extra_totals: dict[str, str] = field(default_factory=dict)


def cii_xml(spec: InvoiceSpec = InvoiceSpec(), profile: str = "EN 16931", *, rsm: str = "rsm", ram: str = "ram",
            udt: str = "udt", version: str = "100") -> bytes:
    """A CrossIndustryInvoice for ``profile`` (a key of GUIDELINES), with the given prefixes and namespace
    version (D16B is 100; a later one reads the same)."""
    lines = "" if profile in WITHOUT_LINES else "".join(_cii_line(line, ram, udt) for line in spec.lines)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{rsm}:CrossIndustryInvoice xmlns:{rsm}="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:{version}"
 xmlns:{ram}="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:{version}"
 xmlns:{udt}="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:{version}">
  <{rsm}:ExchangedDocumentContext>
    <{ram}:GuidelineSpecifiedDocumentContextParameter><{ram}:ID>{GUIDELINES[profile]}</{ram}:ID>
    </{ram}:GuidelineSpecifiedDocumentContextParameter>
  </{rsm}:ExchangedDocumentContext>
  <{rsm}:ExchangedDocument>
    <{ram}:ID>{spec.number}</{ram}:ID>
    <{ram}:TypeCode>{spec.type_code}</{ram}:TypeCode>
    <{ram}:IssueDateTime><{udt}:DateTimeString format="102">{spec.issued}</{udt}:DateTimeString></{ram}:IssueDateTime>
  </{rsm}:ExchangedDocument>
  <{rsm}:SupplyChainTradeTransaction>{lines}
    <{ram}:ApplicableHeaderTradeAgreement>{_buyer_reference(profile, ram)}
      {_cii_seller(spec, profile, ram)}
      {_cii_buyer(spec, profile, ram)}
      <{ram}:BuyerOrderReferencedDocument><{ram}:IssuerAssignedID>{spec.order}</{ram}:IssuerAssignedID>
      </{ram}:BuyerOrderReferencedDocument>
    </{ram}:ApplicableHeaderTradeAgreement>
    <{ram}:ApplicableHeaderTradeDelivery/>
    <{ram}:ApplicableHeaderTradeSettlement>
      {_payment_reference(spec, profile, ram)}
      <{ram}:InvoiceCurrencyCode>{spec.currency}</{ram}:InvoiceCurrencyCode>
      {_cii_payment_means(spec, profile, ram)}
      {_cii_taxes(spec, profile, ram)}
      {_cii_adjustments(spec, profile, ram, udt)}
      {_cii_terms(spec, profile, ram, udt)}
      <{ram}:SpecifiedTradeSettlementHeaderMonetarySummation>
        {_cii_totals(spec, profile, ram)}
      </{ram}:SpecifiedTradeSettlementHeaderMonetarySummation>
    </{ram}:ApplicableHeaderTradeSettlement>
  </{rsm}:SupplyChainTradeTransaction>
</{rsm}:CrossIndustryInvoice>
""".encode()


def _cii_line(line: Line, ram: str, udt: str) -> str:
    basis = f'<{ram}:BasisQuantity unitCode="{line.unit}">{line.basis_quantity}</{ram}:BasisQuantity>' \
        if line.basis_quantity else ""
    return f"""
    <{ram}:IncludedSupplyChainTradeLineItem>
      <{ram}:AssociatedDocumentLineDocument><{ram}:LineID>{line.line_id}</{ram}:LineID>{_hierarchy(line, ram)}
      </{ram}:AssociatedDocumentLineDocument>
      <{ram}:SpecifiedTradeProduct><{ram}:Name>{line.name}</{ram}:Name></{ram}:SpecifiedTradeProduct>
      <{ram}:SpecifiedLineTradeAgreement>
        <{ram}:NetPriceProductTradePrice><{ram}:ChargeAmount>{line.price}</{ram}:ChargeAmount>{basis}
        </{ram}:NetPriceProductTradePrice>
      </{ram}:SpecifiedLineTradeAgreement>
      <{ram}:SpecifiedLineTradeDelivery>
        <{ram}:BilledQuantity unitCode="{line.unit}">{line.quantity}</{ram}:BilledQuantity>
      </{ram}:SpecifiedLineTradeDelivery>
      <{ram}:SpecifiedLineTradeSettlement>
        <{ram}:ApplicableTradeTax><{ram}:TypeCode>VAT</{ram}:TypeCode><{ram}:CategoryCode>{line.category}</{ram}:CategoryCode>
          <{ram}:RateApplicablePercent>{line.rate}</{ram}:RateApplicablePercent></{ram}:ApplicableTradeTax>
        <{ram}:SpecifiedTradeSettlementLineMonetarySummation>
          <{ram}:LineTotalAmount>{line.total}</{ram}:LineTotalAmount>
        </{ram}:SpecifiedTradeSettlementLineMonetarySummation>
      </{ram}:SpecifiedLineTradeSettlement>
    </{ram}:IncludedSupplyChainTradeLineItem>"""


def _hierarchy(line: Line, ram: str) -> str:
    parent = f"<{ram}:ParentLineID>{line.parent_id}</{ram}:ParentLineID>" if line.parent_id else ""
    status = f"<{ram}:LineStatusReasonCode>{line.status}</{ram}:LineStatusReasonCode>" if line.status else ""
    return parent + status


def _cii_seller(spec: InvoiceSpec, profile: str, ram: str) -> str:
    if profile == "MINIMUM":
        address = f"<{ram}:CountryID>{spec.seller_country}</{ram}:CountryID>"
        uri = ""
    else:
        address = (f"<{ram}:PostcodeCode>{spec.seller_postcode}</{ram}:PostcodeCode>"
                   f"<{ram}:LineOne>{spec.seller_street}</{ram}:LineOne><{ram}:CityName>{spec.seller_city}"
                   f"</{ram}:CityName><{ram}:CountryID>{spec.seller_country}</{ram}:CountryID>")
        uri = _uri(spec.seller_uri, ram)
    registrations = "".join(f'<{ram}:SpecifiedTaxRegistration><{ram}:ID schemeID="{scheme}">{value}</{ram}:ID>'
                            f"</{ram}:SpecifiedTaxRegistration>" for scheme, value in spec.seller_tax_ids)
    return (f"<{ram}:SellerTradeParty><{ram}:Name>{spec.seller}</{ram}:Name>{_seller_contact(profile, ram)}"
            f"<{ram}:PostalTradeAddress>{address}</{ram}:PostalTradeAddress>{uri}{registrations}"
            f"</{ram}:SellerTradeParty>")


def _buyer_reference(profile: str, ram: str) -> str:
    """XRechnung asks for the buyer reference, the Leitweg-ID (BR-DE-15)."""
    return f"<{ram}:BuyerReference>04011000-12345-34</{ram}:BuyerReference>" if profile == "XRECHNUNG" else ""


def _seller_contact(profile: str, ram: str) -> str:
    """XRechnung asks for the seller's contact: name, telephone and e-mail (BR-DE-2, 5, 6, 7)."""
    if profile != "XRECHNUNG":
        return ""
    return (f"<{ram}:DefinedTradeContact><{ram}:PersonName>Erika Muster</{ram}:PersonName>"
            f"<{ram}:TelephoneUniversalCommunication><{ram}:CompleteNumber>+49 30 1234567</{ram}:CompleteNumber>"
            f"</{ram}:TelephoneUniversalCommunication><{ram}:EmailURIUniversalCommunication>"
            f"<{ram}:URIID>erika@lieferant.example</{ram}:URIID></{ram}:EmailURIUniversalCommunication>"
            f"</{ram}:DefinedTradeContact>")


def _cii_buyer(spec: InvoiceSpec, profile: str, ram: str) -> str:
    if profile == "MINIMUM":
        return f"<{ram}:BuyerTradeParty><{ram}:Name>{spec.buyer}</{ram}:Name></{ram}:BuyerTradeParty>"
    return (f"<{ram}:BuyerTradeParty><{ram}:Name>{spec.buyer}</{ram}:Name>{_uri(spec.buyer_uri, ram)}"
            f'<{ram}:SpecifiedTaxRegistration><{ram}:ID schemeID="VA">{spec.buyer_tax_id}</{ram}:ID>'
            f"</{ram}:SpecifiedTaxRegistration></{ram}:BuyerTradeParty>")


def _uri(scheme_and_value: tuple[str, str], ram: str) -> str:
    scheme, value = scheme_and_value
    return (f'<{ram}:URIUniversalCommunication><{ram}:URIID schemeID="{scheme}">{value}</{ram}:URIID>'
            f"</{ram}:URIUniversalCommunication>")


def _payment_reference(spec: InvoiceSpec, profile: str, ram: str) -> str:
    if profile == "MINIMUM":
        return ""
    return f"<{ram}:PaymentReference>{spec.payment_reference}</{ram}:PaymentReference>"


def _cii_payment_means(spec: InvoiceSpec, profile: str, ram: str) -> str:
    if profile == "MINIMUM":
        return ""
    bic = ("" if profile in ("BASIC", "BASIC WL") else  # the BIC (BT-86) is not part of these profiles
           f"<{ram}:PayeeSpecifiedCreditorFinancialInstitution><{ram}:BICID>{spec.bic}</{ram}:BICID>"
           f"</{ram}:PayeeSpecifiedCreditorFinancialInstitution>")
    return (f"<{ram}:SpecifiedTradeSettlementPaymentMeans><{ram}:TypeCode>58</{ram}:TypeCode>"
            f"<{ram}:PayeePartyCreditorFinancialAccount><{ram}:IBANID>{spec.iban}</{ram}:IBANID>"
            f"</{ram}:PayeePartyCreditorFinancialAccount>{bic}</{ram}:SpecifiedTradeSettlementPaymentMeans>")


def _cii_taxes(spec: InvoiceSpec, profile: str, ram: str) -> str:
    if profile == "MINIMUM":
        return ""
    return "".join(f"<{ram}:ApplicableTradeTax><{ram}:CalculatedAmount>{tax.amount}</{ram}:CalculatedAmount>"
                   f"<{ram}:TypeCode>VAT</{ram}:TypeCode><{ram}:BasisAmount>{tax.basis}</{ram}:BasisAmount>"
                   f"<{ram}:CategoryCode>{tax.category}</{ram}:CategoryCode>"
                   f"<{ram}:RateApplicablePercent>{tax.rate}</{ram}:RateApplicablePercent>"
                   f"</{ram}:ApplicableTradeTax>" for tax in spec.taxes)


def _cii_adjustments(spec: InvoiceSpec, profile: str, ram: str, udt: str) -> str:
    if profile == "MINIMUM":
        return ""
    return "".join(f"<{ram}:SpecifiedTradeAllowanceCharge><{ram}:ChargeIndicator><{udt}:Indicator>"
                   f"{'true' if adjustment.is_charge else 'false'}</{udt}:Indicator></{ram}:ChargeIndicator>"
                   f"<{ram}:ActualAmount>{adjustment.amount}</{ram}:ActualAmount>"
                   f"<{ram}:Reason>{adjustment.reason}</{ram}:Reason><{ram}:CategoryTradeTax>"
                   f"<{ram}:TypeCode>VAT</{ram}:TypeCode><{ram}:CategoryCode>{adjustment.category}</{ram}:CategoryCode>"
                   f"<{ram}:RateApplicablePercent>{adjustment.rate}</{ram}:RateApplicablePercent>"
                   f"</{ram}:CategoryTradeTax></{ram}:SpecifiedTradeAllowanceCharge>"
                   for adjustment in spec.adjustments)


def _cii_terms(spec: InvoiceSpec, profile: str, ram: str, udt: str) -> str:
    if profile == "MINIMUM":
        return ""
    return (f"<{ram}:SpecifiedTradePaymentTerms><{ram}:Description>{spec.terms}</{ram}:Description>"
            f'<{ram}:DueDateDateTime><{udt}:DateTimeString format="102">{spec.due}</{udt}:DateTimeString>'
            f"</{ram}:DueDateDateTime></{ram}:SpecifiedTradePaymentTerms>")


def _cii_totals(spec: InvoiceSpec, profile: str, ram: str) -> str:
    totals = [("TaxBasisTotalAmount", spec.tax_basis_total, "")]
    if profile != "MINIMUM":
        totals = [("LineTotalAmount", spec.line_total, ""), ("ChargeTotalAmount", spec.charge_total, ""),
                  ("AllowanceTotalAmount", spec.allowance_total, ""), *totals]
    if spec.tax_currency_total:
        currency, value = spec.tax_currency_total
        totals.append(("TaxTotalAmount", value, f' currencyID="{currency}"'))
    totals.append(("TaxTotalAmount", spec.tax_total, f' currencyID="{spec.currency}"'))
    totals.append(("GrandTotalAmount", spec.grand_total, ""))
    if profile != "MINIMUM":
        totals.append(("TotalPrepaidAmount", spec.prepaid, ""))
    totals += [(name, value, "") for name, value in spec.extra_totals.items()]
    totals.append(("DuePayableAmount", spec.due_payable, ""))
    return "".join(f"<{ram}:{name}{attributes}>{value}</{ram}:{name}>" for name, value, attributes in totals)


def zugferd1_xml(spec: InvoiceSpec = InvoiceSpec(), profile: str = "COMFORT") -> bytes:
    """A ZUGFeRD 1.0 CrossIndustryDocument as the 2014 schema has it (amounts carry their currency)."""
    lines = "".join(_zugferd1_line(line, spec.currency) for line in spec.lines)
    cur = f'currencyID="{spec.currency}"'
    registrations = "".join(f'<ram:SpecifiedTaxRegistration><ram:ID schemeID="{scheme}">{value}</ram:ID>'
                            "</ram:SpecifiedTaxRegistration>" for scheme, value in spec.seller_tax_ids)
    taxes = "".join(f"<ram:ApplicableTradeTax><ram:CalculatedAmount {cur}>{tax.amount}</ram:CalculatedAmount>"
                    f"<ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount {cur}>{tax.basis}</ram:BasisAmount>"
                    f"<ram:CategoryCode>{tax.category}</ram:CategoryCode>"
                    f"<ram:ApplicablePercent>{tax.rate}</ram:ApplicablePercent></ram:ApplicableTradeTax>"
                    for tax in spec.taxes)
    adjustments = "".join(f"<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>"
                          f"{'true' if adjustment.is_charge else 'false'}</udt:Indicator></ram:ChargeIndicator>"
                          f"<ram:ActualAmount {cur}>{adjustment.amount}</ram:ActualAmount>"
                          f"<ram:Reason>{adjustment.reason}</ram:Reason><ram:CategoryTradeTax>"
                          f"<ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>{adjustment.category}</ram:CategoryCode>"
                          f"<ram:ApplicablePercent>{adjustment.rate}</ram:ApplicablePercent>"
                          f"</ram:CategoryTradeTax></ram:SpecifiedTradeAllowanceCharge>"
                          for adjustment in spec.adjustments)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15">
  <rsm:SpecifiedExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>{ZUGFERD1_GUIDELINES[profile]}</ram:ID>
    </ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:SpecifiedExchangedDocumentContext>
  <rsm:HeaderExchangedDocument>
    <ram:ID>{spec.number}</ram:ID>
    <ram:Name>RECHNUNG</ram:Name>
    <ram:TypeCode>{spec.type_code}</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">{spec.issued}</udt:DateTimeString></ram:IssueDateTime>
  </rsm:HeaderExchangedDocument>
  <rsm:SpecifiedSupplyChainTradeTransaction>
    <ram:ApplicableSupplyChainTradeAgreement>
      <ram:SellerTradeParty><ram:Name>{spec.seller}</ram:Name>
        <ram:PostalTradeAddress><ram:PostcodeCode>{spec.seller_postcode}</ram:PostcodeCode>
          <ram:LineOne>{spec.seller_street}</ram:LineOne><ram:CityName>{spec.seller_city}</ram:CityName>
          <ram:CountryID>{spec.seller_country}</ram:CountryID></ram:PostalTradeAddress>{registrations}
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>{spec.buyer}</ram:Name>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{spec.buyer_tax_id}</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:BuyerTradeParty>
      <ram:BuyerOrderReferencedDocument><ram:ID>{spec.order}</ram:ID></ram:BuyerOrderReferencedDocument>
    </ram:ApplicableSupplyChainTradeAgreement>
    <ram:ApplicableSupplyChainTradeDelivery/>
    <ram:ApplicableSupplyChainTradeSettlement>
      <ram:PaymentReference>{spec.payment_reference}</ram:PaymentReference>
      <ram:InvoiceCurrencyCode>{spec.currency}</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>31</ram:TypeCode>
        <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{spec.iban}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>
        <ram:PayeeSpecifiedCreditorFinancialInstitution><ram:BICID>{spec.bic}</ram:BICID>
        </ram:PayeeSpecifiedCreditorFinancialInstitution>
      </ram:SpecifiedTradeSettlementPaymentMeans>
      {taxes}{adjustments}
      <ram:SpecifiedTradePaymentTerms><ram:Description>{spec.terms}</ram:Description>
        <ram:DueDateDateTime><udt:DateTimeString format="102">{spec.due}</udt:DateTimeString></ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementMonetarySummation>
        <ram:LineTotalAmount {cur}>{spec.line_total}</ram:LineTotalAmount>
        <ram:ChargeTotalAmount {cur}>{spec.charge_total}</ram:ChargeTotalAmount>
        <ram:AllowanceTotalAmount {cur}>{spec.allowance_total}</ram:AllowanceTotalAmount>
        <ram:TaxBasisTotalAmount {cur}>{spec.tax_basis_total}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount {cur}>{spec.tax_total}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount {cur}>{spec.grand_total}</ram:GrandTotalAmount>
        <ram:TotalPrepaidAmount {cur}>{spec.prepaid}</ram:TotalPrepaidAmount>
        <ram:DuePayableAmount {cur}>{spec.due_payable}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementMonetarySummation>
    </ram:ApplicableSupplyChainTradeSettlement>{lines}
  </rsm:SpecifiedSupplyChainTradeTransaction>
</rsm:CrossIndustryDocument>
""".encode()


def _zugferd1_line(line: Line, currency: str) -> str:
    cur = f'currencyID="{currency}"'
    basis = f'<ram:BasisQuantity unitCode="{line.unit}">{line.basis_quantity}</ram:BasisQuantity>' \
        if line.basis_quantity else ""
    return f"""
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedSupplyChainTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount {cur}>{line.price}</ram:ChargeAmount>{basis}
        </ram:NetPriceProductTradePrice>
      </ram:SpecifiedSupplyChainTradeAgreement>
      <ram:SpecifiedSupplyChainTradeDelivery>
        <ram:BilledQuantity unitCode="{line.unit}">{line.quantity}</ram:BilledQuantity>
      </ram:SpecifiedSupplyChainTradeDelivery>
      <ram:SpecifiedSupplyChainTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>{line.category}</ram:CategoryCode>
          <ram:ApplicablePercent>{line.rate}</ram:ApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementMonetarySummation>
          <ram:LineTotalAmount {cur}>{line.total}</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementMonetarySummation>
      </ram:SpecifiedSupplyChainTradeSettlement>
      <ram:SpecifiedTradeProduct><ram:Name>{line.name}</ram:Name></ram:SpecifiedTradeProduct>
    </ram:IncludedSupplyChainTradeLineItem>"""
