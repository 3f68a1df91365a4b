"""Chinese e-invoices: the e-invoice XML (``<eInvoice>``, the invoice attached to OFD packages) and its XBRL form.

Both state the same invoice, so both go through one builder: the readers only say, per canonical field, the
text they found and where; ``chinese_einvoice`` turns that into an ``EInvoice`` (ISO dates, the implied CNY,
the VAT breakdown summed from the lines). The OFD reader uses the same builder for the custom tags of
fully-digital invoices, whose texts come from the page instead of an XML.

Red-letter (负数/红字) invoices state negative amounts; they are kept as stated and ``is_credit_note`` stays
False: no published type code marks them (``TypeCode`` is ``0`` on every sample, blue or red), and a credit
note's amounts are made negative downstream, which would turn the already negative amounts positive."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from extraction.einvoice.model import EInvoice, InvoiceLine, NotAnEInvoice, TaxSubtotal, Totals
from extraction.einvoice.xmltree import Element, child, children, local, number, path_of, text

ROOT_NAMES = ("eInvoice", "EInvoice")
HEADER_PATHS: dict[str, tuple[str, ...]] = {
    "invoice_code": ("InvoiceCode",),
    "invoice_number": ("InvoiceNo",),
    "invoice_date": ("IssueDate",),
    "check_code": ("InvoiceCheckCode",),
    "customer_name": ("Buyer", "BuyerName"),
    "customer_tax_id": ("Buyer", "BuyerTaxID"),
    "vendor_name": ("Seller", "SellerName"),
    "vendor_tax_id": ("Seller", "SellerTaxID"),
    "vendor_address": ("Seller", "SellerAddrTel"),
    "subtotal": ("TaxExclusiveTotalAmount",),
    "tax_amount": ("TaxTotalAmount",),
    "total_amount": ("TaxInclusiveTotalAmount",),
}
"""Where the e-invoice XML states each canonical field (local names below the root)."""
HEADER_ELEMENTS = {path[-1]: field for field, path in HEADER_PATHS.items()}
"""The element that holds each field, wherever it stands (custom tags do not always nest like the XML)."""
LINE_ELEMENTS = ("Item", "Specification", "MeasurementDimension", "Price", "Quantity", "Amount", "TaxScheme",
                 "TaxAmount")
AMOUNT_FIELDS = ("subtotal", "tax_amount", "total_amount")
CURRENCY_SIGNS = "¥￥"
NOT_STATED = re.compile(r"^\*+$")
"""``***``: what Chinese invoices print where a tax-free line has no tax amount."""
CN_DATE = re.compile(r"^\s*(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")
COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\b")


@dataclass(frozen=True)
class Stated:
    """One value as the document writes it, and where (evidence)."""

    text: str
    where: str


def is_chinese_invoice(root: Element) -> bool:
    return local(root) in ROOT_NAMES


def is_xbrl(root: Element) -> bool:
    return local(root) == "xbrl"


def read_chinese_xml(root: Element) -> EInvoice:
    """The invoice of a Chinese e-invoice XML (GB/T e-invoice, namespace ``.../e-invoice/2019`` or any other)."""
    if not is_chinese_invoice(root):
        raise NotAnEInvoice(f"The XML's root is <{local(root)}>, not a Chinese e-invoice's <eInvoice>.")
    name = local(root)
    stated = {field: Stated(value, path_of(name, *path))
              for field, path in HEADER_PATHS.items() if (value := text(root, *path))}
    goods = children(child(root, "GoodsInfos"), "GoodsInfo")
    lines = [line_texts(item, path_of(name, "GoodsInfos", f"GoodsInfo[{n}]")) for n, item in enumerate(goods, 1)]
    return chinese_einvoice("CN e-invoice XML", root.get("Version"), stated, lines)


def line_texts(item: Element, where: str) -> dict[str, Stated]:
    """The texts of one ``GoodsInfo``, by element name."""
    return {name: Stated(value, f"{where}/{name}") for name in LINE_ELEMENTS if (value := text(item, name))}


def chinese_einvoice(syntax: str, profile: str | None, stated: Mapping[str, Stated],
                     lines: Iterable[Mapping[str, Stated]]) -> EInvoice:
    """The ``EInvoice`` from what a Chinese invoice states: header fields and line texts by element name."""
    invoice_lines = tuple(invoice_line(texts) for texts in lines)
    values, evidence = _header_values(stated)
    values["currency"], evidence["currency"] = "CNY", "implied: Chinese VAT invoices are issued in CNY (人民币)"
    rate = common_rate(invoice_lines)
    if rate is not None:
        values["tax_rate"] = number_text(rate)
        evidence["tax_rate"] = "the rate every line states (GoodsInfo/TaxScheme)"
    return EInvoice(syntax=syntax, profile=profile, is_credit_note=False, values=values, evidence=evidence,
                    lines=invoice_lines, tax_subtotals=tax_subtotals(invoice_lines),
                    totals=totals(stated, invoice_lines))


def _header_values(stated: Mapping[str, Stated]) -> tuple[dict[str, str], dict[str, str]]:
    values: dict[str, str] = {}
    evidence: dict[str, str] = {}
    for field, found in stated.items():
        value = header_value(field, found)
        if value is not None:
            values[field], evidence[field] = value, found.where
    return values, evidence


def header_value(field: str, found: Stated) -> str | None:
    """The value as text: dates made ISO (None when no date can be read), amounts without a currency sign."""
    if field == "invoice_date":
        return iso_date(found.text)
    if field in AMOUNT_FIELDS:
        return without_sign(found.text)
    return found.text


def iso_date(written: str) -> str | None:
    """``2020年07月23日``, ``2024-05-28``, ``2024/05/28`` or ``20240528`` as ``2024-05-28``; None otherwise."""
    match = CN_DATE.match(written) or COMPACT_DATE.match(written)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


def without_sign(written: str) -> str:
    """``¥526.00`` as ``526.00``: the amount without the currency sign, thousands separators or spaces."""
    return "".join(ch for ch in written if ch not in CURRENCY_SIGNS and ch not in ", ").strip()


def cn_amount(found: Stated | None) -> Decimal | None:
    """The number ``found`` states; None when absent or printed as ``***``; ``InvalidEInvoice`` otherwise."""
    if found is None:
        return None
    written = without_sign(found.text)
    if not written or NOT_STATED.match(written):
        return None
    return number(written, found.text, found.where)


def tax_scheme(written: str | None) -> tuple[str | None, Decimal | None]:
    """``3%`` → (None, 3); ``免税`` (tax-free) or ``不征税`` → (that text, None); ``***`` (differential taxation,
    差额征税, prints no rate) → (None, None): the category and rate of a line."""
    if written is None or NOT_STATED.match(written.strip()):
        return None, None
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*[%％]\s*", written)
    return (None, Decimal(match.group(1))) if match else (written, None)


def invoice_line(texts: Mapping[str, Stated]) -> InvoiceLine:
    category, rate = tax_scheme(texts["TaxScheme"].text if "TaxScheme" in texts else None)
    unit = texts.get("MeasurementDimension")
    return InvoiceLine(description=_joined(texts, "Item", "Specification"), quantity=cn_amount(texts.get("Quantity")),
                       unit=unit.text if unit else None, unit_price=cn_amount(texts.get("Price")),
                       amount=cn_amount(texts.get("Amount")), tax_category=category, tax_rate=rate,
                       tax_amount=cn_amount(texts.get("TaxAmount")))


def _joined(texts: Mapping[str, Stated], *names: str) -> str | None:
    """The item's name with its specification (规格型号) after it, as the printed invoice shows them."""
    return " ".join(texts[name].text for name in names if name in texts) or None


def common_rate(lines: tuple[InvoiceLine, ...]) -> Decimal | None:
    """The tax rate when every line states the same one."""
    rates = {line.tax_rate for line in lines}
    return rates.pop() if len(rates) == 1 else None


def number_text(number: Decimal) -> str:
    """``Decimal('3.00')`` as ``3``, ``Decimal('1.50')`` as ``1.5``."""
    return format(number.normalize(), "f")


def tax_subtotals(lines: tuple[InvoiceLine, ...]) -> tuple[TaxSubtotal, ...]:
    """One breakdown per distinct (category, rate), summing its lines' amounts and taxes, in order of appearance."""
    groups: dict[tuple[str | None, Decimal | None], list[InvoiceLine]] = {}
    for line in lines:
        groups.setdefault((line.tax_category, line.tax_rate), []).append(line)
    return tuple(TaxSubtotal(category=category, rate=rate, taxable_amount=_sum(line.amount for line in group),
                             tax_amount=_sum(line.tax_amount for line in group))
                 for (category, rate), group in groups.items())


def _sum(amounts: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the stated amounts; None when none is stated."""
    stated = [amount for amount in amounts if amount is not None]
    return sum(stated, Decimal(0)) if stated else None


def totals(stated: Mapping[str, Stated], lines: tuple[InvoiceLine, ...]) -> Totals:
    with_tax = cn_amount(stated.get("total_amount"))
    return Totals(line_net=_sum(line.amount for line in lines), without_tax=cn_amount(stated.get("subtotal")),
                  tax=cn_amount(stated.get("tax_amount")), with_tax=with_tax, due=with_tax)


XBRL_CONCEPTS: dict[str, tuple[str, ...]] = {
    "invoice_number": ("invoiceno", "invoicenumber", "einvoicenumber", "electronicinvoicenumber", "fphm"),
    "invoice_code": ("invoicecode", "fpdm"),
    "invoice_date": ("issuedate", "invoicedate", "dateofissue", "issuetime", "requesttime", "kprq"),
    "check_code": ("invoicecheckcode", "checkcode", "jym"),
    "customer_name": ("buyername", "purchasername", "nameofpurchaser", "gmfmc"),
    "customer_tax_id": ("buyertaxid", "buyeridnum", "purchasertaxid", "gmfnsrsbh"),
    "vendor_name": ("sellername", "xsfmc"),
    "vendor_tax_id": ("sellertaxid", "selleridnum", "xsfnsrsbh"),
    "vendor_address": ("selleraddrtel", "selleraddress"),
    "subtotal": ("taxexclusivetotalamount", "totalamwithouttax", "totalamountexcludingtax", "hjje"),
    "tax_amount": ("taxtotalamount", "totaltaxam", "totaltaxamount", "hjse"),
    "total_amount": ("taxinclusivetotalamount", "totaltaxincludedamount", "totaltaxincludedam", "jshj"),
}
"""Fact names (local name, lower case, letters and digits only) that state each field in an XBRL instance.

The Ministry of Finance's e-voucher taxonomy itself was not at hand; these are the e-invoice XML's element
names, the names of the MOF fully-digital invoice XML (``TotalAmWithoutTax``, ``SellerIdNum``...) and the
GB/T pinyin abbreviations (``FPHM``...). A fact whose name matches none of them is not read."""


def read_chinese_xbrl(root: Element) -> EInvoice:
    """The invoice of an XBRL instance (root ``xbrl``) whose facts are a Chinese invoice's, matched by name."""
    if not is_xbrl(root):
        raise NotAnEInvoice(f"The XML's root is <{local(root)}>, not an XBRL instance's <xbrl>.")
    facts = xbrl_facts(root)
    stated = {field: found for field, names in XBRL_CONCEPTS.items() if (found := _first_fact(facts, names))}
    invoice = chinese_einvoice("CN XBRL", None, stated, [])
    currency = xbrl_currency(root, facts)
    if currency:
        invoice.values["currency"], invoice.evidence["currency"] = currency
    return invoice


def xbrl_facts(root: Element) -> dict[str, list[tuple[Element, Stated]]]:
    """The facts (elements with a ``contextRef``, in tuples too) by their normalised local name."""
    facts: dict[str, list[tuple[Element, Stated]]] = {}
    for element in root.iter():
        value = text(element) if isinstance(element.tag, str) and element.get("contextRef") else None
        if value:
            found = Stated(value, f"xbrl/{local(element)}[@contextRef='{element.get('contextRef')}']")
            facts.setdefault(_concept_key(local(element)), []).append((element, found))
    return facts


def _concept_key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _first_fact(facts: Mapping[str, list[tuple[Element, Stated]]], names: tuple[str, ...]) -> Stated | None:
    return next((facts[name][0][1] for name in names if name in facts), None)


def xbrl_currency(root: Element, facts: Mapping[str, list[tuple[Element, Stated]]]) -> tuple[str, str] | None:
    """The ISO currency of the total's unit (``<xbrli:measure>iso4217:CNY</xbrli:measure>``) and where it is."""
    total = next((element for name in XBRL_CONCEPTS["total_amount"] for element, _ in facts.get(name, [])), None)
    unit_id = total.get("unitRef") if total is not None else None
    measure = _unit_measure(root, unit_id) if unit_id else None
    if not measure or not measure.lower().startswith("iso4217:"):
        return None
    return measure.split(":", 1)[1].upper(), f"xbrl/unit[@id='{unit_id}']/measure"


def _unit_measure(root: Element, unit_id: str) -> str | None:
    unit = next((element for element in root.iter() if local(element) == "unit" and element.get("id") == unit_id),
                None)
    return text(next((element for element in unit.iter() if local(element) == "measure"), None)) if unit is not None else None
