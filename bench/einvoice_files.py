"""Distinct structured e-invoices for the benchmark, written by the project's test builders, with the values each
was generated with (the ground truth).

Formats: UBL (Peppol BIS 3.0 / XRechnung UBL, invoices and credit notes), CII (EN 16931, XRechnung, BASIC,
EXTENDED), Factur-X (a PDF printing the invoice, its CII XML attached), ZUGFeRD 1.0 XML, and the Chinese
fully-digital OFD invoice (tagged text objects on its page). Number, date, seller, currency, lines and VAT vary
with a seeded random, except where a builder states a value itself: ``ubl_invoice`` always writes its issue
date, seller, currency and amounts, so UBL documents vary by number, kind (a credit note's amounts are negative),
specification and namespace prefix.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from bench.invoices import CURRENCIES, ITEMS, NUMBER_FORMATS, VENDORS
from core.money import round_money
from tests.einvoice_fixtures import PEPPOL, XRECHNUNG, pdf_with_einvoice, ubl_invoice
from tests.extraction.einvoice.cii_builder import Adjustment, InvoiceSpec, Line, Tax, cii_xml, zugferd1_xml
from tests.extraction.einvoice.ofd_builder import (TEXT_OBJECTS, base_parts, package, page_xml, tag_file,
                                                  tags_index)

XML, PDF, OFD = "application/xml", "application/pdf", "application/ofd"
UBL_STATES = {"invoice_date": "2026-11-20", "currency": "EUR", "vendor_name": "Müller Bürobedarf GmbH",
              "subtotal": "1150.00", "tax_amount": "194.50", "total_amount": "1344.50"}
"""What ``ubl_invoice`` states whatever its parameters (the sums its docstring gives)."""
AMOUNTS = ("subtotal", "tax_amount", "total_amount")
CII_RATES = (Decimal("19.00"), Decimal("7.00"))
CII_PROFILES = ("EN 16931", "XRECHNUNG", "BASIC", "EXTENDED")
ZUGFERD1_PROFILES = ("BASIC", "COMFORT", "EXTENDED")
CREDIT_NOTE_SHARE = 0.2
OFD_SELLERS = ("北京互联三六五科技有限公司", "上海云帆信息技术有限公司", "深圳前海数智服务有限公司",
               "杭州西湖软件开发有限公司", "广州珠江物流有限公司")
OFD_RATES = (3, 6, 9, 13)
OFD_OBJECTS = {"invoice_number": "6922", "invoice_date": "6923", "vendor_name": "6927", "subtotal": "6930",
               "tax_amount": "6932", "total_amount": "6936", "rate": "6941", "line_amount": "6942",
               "line_tax": "6943"}
"""The text objects of the builder's OFD page that its tags point at, by what they show."""


@dataclass(frozen=True)
class EInvoiceSample:
    format: str
    filename: str
    data: bytes
    media_type: str
    truth: dict[str, str]
    """The fields the document was generated with (``ACCURACY_FIELDS``), dates ISO, a credit note's amounts
    negative, as the API shows them."""


def ubl_sample(rng: random.Random, index: int) -> EInvoiceSample:
    kind = "CreditNote" if rng.random() < CREDIT_NOTE_SHARE else "Invoice"
    number = _number(rng, index, date.fromisoformat(UBL_STATES["invoice_date"]), "Müller")
    data = ubl_invoice(kind, customization=rng.choice((PEPPOL, XRECHNUNG)), number=number,
                       prefix=rng.choice(("cbc", "b")))
    truth = _signed({"invoice_number": number, **UBL_STATES}, credit_note=kind == "CreditNote")
    return EInvoiceSample("UBL / Peppol", f"ubl-{index:04d}.xml", data, XML, truth)


def spec_sample(format_name: str, stem: str, write: Callable[[InvoiceSpec, str], bytes], profiles: tuple[str, ...],
                rng: random.Random, index: int) -> EInvoiceSample:
    """An XML e-invoice written from a generated ``InvoiceSpec`` by ``write(spec, profile)`` (CII, ZUGFeRD 1.0)."""
    spec = invoice_spec(rng, index)
    data = write(spec, rng.choice(profiles))
    return EInvoiceSample(format_name, f"{stem}-{index:04d}.xml", data, XML, spec_truth(spec))


def factur_x_sample(rng: random.Random, index: int) -> EInvoiceSample:
    """A PDF printing the invoice's number, date and total, with its CII XML attached as ``factur-x.xml``."""
    spec = invoice_spec(rng, index)
    truth = spec_truth(spec)
    printed = {"Invoice No:": spec.number, "Invoice Date:": truth["invoice_date"],
               "Total": f"{spec.currency} {Decimal(spec.grand_total):,.2f}"}
    data = pdf_with_einvoice(cii_xml(spec, rng.choice(("EN 16931", "EXTENDED"))), printed)
    return EInvoiceSample("Factur-X PDF", f"factur-x-{index:04d}.pdf", data, PDF, truth)


def ofd_sample(rng: random.Random, index: int) -> EInvoiceSample:
    """The fully-digital invoice of the OFD builder, its tagged page objects showing this invoice's values."""
    issued = _issue_date(rng)
    subtotal = _cents(rng, 1_000, 2_000_000)
    rate = rng.choice(OFD_RATES)
    tax = round_money(subtotal * rate / 100)
    truth = {"invoice_number": f"{issued:%y}11{rng.randrange(10**11):011d}{index:05d}",
             "invoice_date": issued.isoformat(), "currency": "CNY", "vendor_name": rng.choice(OFD_SELLERS),
             "subtotal": str(subtotal), "tax_amount": str(tax), "total_amount": str(subtotal + tax)}
    shown = {**truth, "invoice_date": f"{issued:%Y年%m月%d日}", "rate": f"{rate}%", "line_amount": truth["subtotal"],
             "line_tax": truth["tax_amount"]}
    page = page_xml(_shown_on_page(shown))
    parts = base_parts(tags=True) | {"Doc_0/Pages/Page_0/Content.xml": page, "Doc_0/Tags/CustomTags.xml": tags_index(),
                                     "Doc_0/Tags/CustomTag.xml": tag_file()}
    return EInvoiceSample("OFD (CN)", f"fapiao-{index:04d}.ofd", package(parts), OFD, truth)


FORMATS: dict[str, Callable[[random.Random, int], EInvoiceSample]] = {
    "UBL / Peppol": ubl_sample,
    "CII / XRechnung": partial(spec_sample, "CII / XRechnung", "cii", cii_xml, CII_PROFILES),
    "Factur-X PDF": factur_x_sample,
    "ZUGFeRD 1.0": partial(spec_sample, "ZUGFeRD 1.0", "zugferd1", zugferd1_xml, ZUGFERD1_PROFILES),
    "OFD (CN)": ofd_sample,
}
"""Each format's writer: one distinct sample from the random and the sample's index."""


def generate(format_name: str, count: int, seed: int) -> list[EInvoiceSample]:
    """``count`` distinct samples of one format."""
    rng = random.Random(f"{seed}:{format_name}")
    return _distinct([FORMATS[format_name](rng, index) for index in range(count)])


def mixed(count: int, seed: int) -> list[EInvoiceSample]:
    """``count`` distinct samples, the formats taking turns."""
    rng = random.Random(f"{seed}:mixed")
    writers = list(FORMATS.values())
    return _distinct([writers[index % len(writers)](rng, index) for index in range(count)])


def invoice_spec(rng: random.Random, index: int) -> InvoiceSpec:
    """A CII / ZUGFeRD invoice whose sums reconcile: lines at 19% and 7%, an allowance and a charge at 19%."""
    issued = _issue_date(rng)
    seller = rng.choice(VENDORS)[0]
    number = _number(rng, index, issued, seller)
    lines = tuple(_cii_line(rng, position) for position in range(1, rng.randint(1, 5) + 1))
    adjustments = (Adjustment(False, str(_cents(rng, 100, 5_000)), "Rabatt"),
                   Adjustment(True, str(_cents(rng, 100, 3_000)), "Versand"))
    return _with_totals(InvoiceSpec(
        number=number, type_code="381" if rng.random() < CREDIT_NOTE_SHARE else "380",
        issued=f"{issued:%Y%m%d}", due=f"{issued + timedelta(days=30):%Y%m%d}", currency=rng.choice(CURRENCIES),
        seller=seller, payment_reference=number, lines=lines, adjustments=adjustments))


def spec_truth(spec: InvoiceSpec) -> dict[str, str]:
    issued = spec.issued
    truth = {"invoice_number": spec.number, "invoice_date": f"{issued[:4]}-{issued[4:6]}-{issued[6:]}",
             "currency": spec.currency, "vendor_name": spec.seller, "subtotal": spec.tax_basis_total,
             "tax_amount": spec.tax_total, "total_amount": spec.grand_total}
    return _signed(truth, credit_note=spec.type_code == "381")


def _with_totals(spec: InvoiceSpec) -> InvoiceSpec:
    """The spec with its VAT breakdown and totals computed from its lines and adjustments."""
    line_total = sum(Decimal(line.total) for line in spec.lines)
    allowances = sum(Decimal(a.amount) for a in spec.adjustments if not a.is_charge)
    charges = sum(Decimal(a.amount) for a in spec.adjustments if a.is_charge)
    taxes = tuple(_tax(spec, rate) for rate in CII_RATES if _taxable(spec, rate))
    basis = line_total - allowances + charges
    tax_total = sum(Decimal(tax.amount) for tax in taxes)
    return replace(spec, taxes=taxes, line_total=str(line_total), allowance_total=str(allowances),
                   charge_total=str(charges), tax_basis_total=str(basis), tax_total=str(tax_total),
                   grand_total=str(basis + tax_total), prepaid="0.00", due_payable=str(basis + tax_total))


def _taxable(spec: InvoiceSpec, rate: Decimal) -> bool:
    return any(Decimal(line.rate) == rate for line in spec.lines)


def _tax(spec: InvoiceSpec, rate: Decimal) -> Tax:
    lines = sum(Decimal(line.total) for line in spec.lines if Decimal(line.rate) == rate)
    adjustments = sum(Decimal(a.amount) * (1 if a.is_charge else -1) for a in spec.adjustments
                      if Decimal(a.rate) == rate)
    basis = lines + adjustments
    return Tax("S", str(rate), str(basis), str(round_money(basis * rate / 100)))


def _cii_line(rng: random.Random, position: int) -> Line:
    """A line; the first is at 19%, so the allowance and charge (at 19%) have lines to go with."""
    quantity, price = rng.randrange(1, 25), _cents(rng, 100, 250_000)
    rate = CII_RATES[0] if position == 1 else rng.choice(CII_RATES)
    return Line(rng.choice(ITEMS), str(quantity), "C62", str(price), str(quantity * price), rate=str(rate),
                line_id=str(position))


def _shown_on_page(shown: dict[str, str]) -> tuple[tuple[str, str, str], ...]:
    """The builder's page objects with the tagged ones showing ``shown``'s values."""
    texts = {OFD_OBJECTS[name]: value for name, value in shown.items() if name in OFD_OBJECTS}
    return tuple((object_id, boundary, texts.get(object_id, text)) for object_id, boundary, text in TEXT_OBJECTS)


def _signed(truth: dict[str, str], *, credit_note: bool) -> dict[str, str]:
    """A credit note's amounts as the API shows them: negative."""
    if not credit_note:
        return truth
    return truth | {name: str(-Decimal(truth[name])) for name in AMOUNTS}


def _number(rng: random.Random, index: int, issued: date, seller: str) -> str:
    return rng.choice(NUMBER_FORMATS).format(year=issued.year, n=1000 + index, prefix=seller[:3].upper())


def _issue_date(rng: random.Random) -> date:
    return date(2024, 1, 1) + timedelta(days=rng.randrange(0, 600))


def _cents(rng: random.Random, low: int, high: int) -> Decimal:
    """An amount of ``low`` to ``high`` cents, with two decimals."""
    return Decimal(rng.randrange(low, high)).scaleb(-2)


def _distinct(samples: list[EInvoiceSample]) -> list[EInvoiceSample]:
    """The samples, checked to be different bytes: the service refuses a file it holds already as a duplicate."""
    if len({sample.data for sample in samples}) != len(samples):
        raise AssertionError("two generated e-invoices are identical; the uploads would be refused as duplicates")
    return samples

