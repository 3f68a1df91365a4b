"""UBL 2.1 invoices and credit notes written by the tests: a Peppol BIS 3.0 invoice with two VAT rates, an
allowance and a charge, and whatever a test changes in it."""

from __future__ import annotations

NAMESPACES = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
PEPPOL = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PEPPOL_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


def party(name: str, legal_name: str, vat: str, endpoint: str, street: str, city: str, zone: str, country: str) -> str:
    return f"""<cac:Party>
      <cbc:EndpointID schemeID="0088">{endpoint}</cbc:EndpointID>
      <cac:PartyName><cbc:Name>{name}</cbc:Name></cac:PartyName>
      <cac:PostalAddress><cbc:StreetName>{street}</cbc:StreetName><cbc:CityName>{city}</cbc:CityName>
        <cbc:PostalZone>{zone}</cbc:PostalZone><cac:Country><cbc:IdentificationCode>{country}</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyTaxScheme><cbc:CompanyID>{vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
      <cac:PartyLegalEntity><cbc:RegistrationName>{legal_name}</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party>"""


def line(kind: str, number: int, name: str, quantity: str, price: str, amount: str, rate: str, currency: str = "EUR") -> str:
    quantity_element = "InvoicedQuantity" if kind == "Invoice" else "CreditedQuantity"
    return f"""<cac:{kind}Line><cbc:ID>{number}</cbc:ID>
      <cbc:{quantity_element} unitCode="H87">{quantity}</cbc:{quantity_element}>
      <cbc:LineExtensionAmount currencyID="{currency}">{amount}</cbc:LineExtensionAmount>
      <cac:Item><cbc:Name>{name}</cbc:Name>
        <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{rate}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
      </cac:Item>
      <cac:Price><cbc:PriceAmount currencyID="{currency}">{price}</cbc:PriceAmount></cac:Price>
    </cac:{kind}Line>"""


def subtotal(taxable: str, tax: str, rate: str, currency: str = "EUR") -> str:
    return f"""<cac:TaxSubtotal><cbc:TaxableAmount currencyID="{currency}">{taxable}</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="{currency}">{tax}</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{rate}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>"""


def allowance_charge(is_charge: bool, amount: str, reason: str, rate: str) -> str:
    return f"""<cac:AllowanceCharge><cbc:ChargeIndicator>{str(is_charge).lower()}</cbc:ChargeIndicator>
      <cbc:AllowanceChargeReason>{reason}</cbc:AllowanceChargeReason><cbc:Amount currencyID="EUR">{amount}</cbc:Amount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{rate}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:AllowanceCharge>"""


def ubl_invoice(kind: str = "Invoice", *, customization: str = PEPPOL, number: str = "INV-2026-0042",
                totals: dict[str, str] | None = None, tax_total: str = "194.50", prefix: str = "cbc",
                lines: list[str] | None = None) -> bytes:
    """A complete invoice whose sums reconcile: lines 1,000.00 at 19% and 200.00 at 7%, an allowance of 100.00
    and a charge of 50.00 at 19%, so VAT 180.50 + 14.00 = 194.50, total 1,344.50, 80.00 paid, 1,264.50 due.
    A test may change any total, the lines, the prefix of the basic components or the specification."""
    stated = {"LineExtensionAmount": "1200.00", "TaxExclusiveAmount": "1150.00", "TaxInclusiveAmount": "1344.50",
              "AllowanceTotalAmount": "100.00", "ChargeTotalAmount": "50.00", "PrepaidAmount": "80.00",
              "PayableAmount": "1264.50"} | (totals or {})
    money = "".join(f'<cbc:{name} currencyID="EUR">{value}</cbc:{name}>' for name, value in stated.items())
    due = "<cbc:DueDate>2026-12-20</cbc:DueDate>" if kind == "Invoice" else ""
    type_code = f"<cbc:{kind}TypeCode>{'380' if kind == 'Invoice' else '381'}</cbc:{kind}TypeCode>"
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<{kind} xmlns="{NAMESPACES[kind]}"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>{customization}</cbc:CustomizationID>
  <cbc:ProfileID>{PEPPOL_PROCESS}</cbc:ProfileID>
  <cbc:ID>{number}</cbc:ID>
  <cbc:IssueDate>2026-11-20</cbc:IssueDate>
  {due}{type_code}
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:OrderReference><cbc:ID>PO-7781</cbc:ID></cac:OrderReference>
  <cac:AccountingSupplierParty>{party("Müller Bürobedarf", "Müller Bürobedarf GmbH", "DE123456789", "4000001123452",
                                      "Hauptstraße 5", "Berlin", "10115", "DE")}</cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>{party("ACME", "ACME Shared Services B.V.", "NL999999999B01", "4000001987658",
                                      "Kerkstraat 1", "Utrecht", "3511 AB", "NL")}</cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode><cbc:PaymentID>RF18 5390 0754 7034</cbc:PaymentID>
    <cac:PayeeFinancialAccount><cbc:ID>DE89370400440532013000</cbc:ID>
      <cac:FinancialInstitutionBranch><cbc:ID>COBADEFFXXX</cbc:ID></cac:FinancialInstitutionBranch></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:PaymentTerms><cbc:Note>30 days net</cbc:Note></cac:PaymentTerms>
  {allowance_charge(False, "100.00", "Loyalty discount", "19")}
  {allowance_charge(True, "50.00", "Freight", "19")}
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">{tax_total}</cbc:TaxAmount>
    {subtotal("950.00", "180.50", "19")}{subtotal("200.00", "14.00", "7")}
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>{money}</cac:LegalMonetaryTotal>
  {"".join(lines if lines is not None else [line(kind, 1, "Office chairs", "4", "250.00", "1000.00", "19"),
                                             line(kind, 2, "Printer paper", "40", "5.00", "200.00", "7")])}
</{kind}>"""
    if prefix != "cbc":
        body = body.replace("cbc:", f"{prefix}:").replace("xmlns:cbc=", f"xmlns:{prefix}=")
    return body.encode()


def factur_x_xmp(part: str = "3", level: str = "EN 16931", creator: str = "ledgerdesk tests") -> str:
    """The XMP metadata of a Factur-X PDF: the PDF/A part it claims and the Factur-X conformance level."""
    return f"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
      xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#" xmlns:dc="http://purl.org/dc/elements/1.1/">
    <pdfaid:part>{part}</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>
    <fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>
    <fx:Version>1.0</fx:Version><fx:ConformanceLevel>{level}</fx:ConformanceLevel>
    <dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>
  </rdf:Description></rdf:RDF></x:xmpmeta>"""


def pdf_with_einvoice(xml: bytes, printed: dict[str, str], *, attachment_name: str = "factur-x.xml",
                      relationship: str | None = "Alternative", xmp: str | None = factur_x_xmp(),
                      output_intent: bool = True) -> bytes:
    """A one-page invoice PDF with a text layer printing ``printed`` (label -> value) and ``xml`` attached, as
    Factur-X does (with ``relationship``, or found by name alone when it is None), declared PDF/A-3 by ``xmp``
    with an sRGB output intent for its device colours (as far as our PDF/A checks look)."""
    from fpdf import FPDF
    from fpdf.enums import OutputIntentSubType
    from fpdf.output import PDFICCProfile
    from fpdf.util import builtin_srgb2014_bytes

    pdf = FPDF(format="A4")
    if xmp is not None:
        pdf.set_xmp_metadata(xmp)
    if output_intent:
        pdf.add_output_intent(OutputIntentSubType.PDFA, output_condition_identifier="sRGB",
                              dest_output_profile=PDFICCProfile(builtin_srgb2014_bytes(), n=3, alternate="DeviceRGB"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, "INVOICE", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(0, 0, 128)  # a blue rule: a device colour, which PDF/A wants an output intent for
    pdf.line(10, 20, 200, 20)
    pdf.set_font("Helvetica", "", 10)
    for label, value in printed.items():
        pdf.cell(40, 6, label)
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.embed_file(bytes=xml, basename=attachment_name, mime_type="text/xml",
                   associated_file_relationship=relationship)
    return bytes(pdf.output())
