"""Answer keys from Chinese OFD e-invoices: the invoice data the package carries, either as an attached invoice
XML (``Doc_0/Attachs/original_invoice.xml``) or as custom tags that point at text objects on its pages (the
fully-digital 数电票). Independent of ``extraction``."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile

from ledgerdesk.evaluation.einvoice_keys import local_name

OFD_FIELDS = {
    "InvoiceNo": "invoice_number", "InvoiceCode": "invoice_code", "IssueDate": "invoice_date",
    "SellerName": "vendor_name", "SellerTaxID": "vendor_tax_id", "BuyerName": "customer_name",
    "BuyerTaxID": "customer_tax_id", "TaxExclusiveTotalAmount": "subtotal", "TaxTotalAmount": "tax_amount",
    "TaxInclusiveTotalAmount": "total_amount", "InvoiceCheckCode": "check_code",
}
"""The invoice elements of the Chinese e-invoice schemas and the canonical field each is."""
ATTACHED_INVOICE = re.compile(r"^Doc_\d+/Attachs/[^/]+\.xml$", re.IGNORECASE)
TAG_FILE = re.compile(r"^Doc_\d+/Tags/[^/]+\.xml$", re.IGNORECASE)
PAGE_FILE = re.compile(r"^Doc_\d+/(Pages|Tpls)/[^/]+/Content\.xml$", re.IGNORECASE)


def ofd_answer_key(data: bytes) -> dict[str, str]:
    """The canonical fields of the invoice in an OFD package; empty when it carries no invoice data."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        for name in filter(ATTACHED_INVOICE.match, names):
            key = _invoice_fields(ET.fromstring(package.read(name)))
            if key:
                return key
        texts = _text_objects(package, [name for name in names if PAGE_FILE.match(name)])
        tags = [name for name in names if TAG_FILE.match(name) and not name.endswith("CustomTags.xml")]
        return next((key for name in tags if (key := _tagged_fields(ET.fromstring(package.read(name)), texts))), {})


def _invoice_fields(root: ET.Element) -> dict[str, str]:
    """Fields stated as text in an invoice XML (the first element of each name)."""
    key: dict[str, str] = {}
    for element in root.iter():
        field = OFD_FIELDS.get(local_name(element))
        text = " ".join((element.text or "").split())
        if field and text and field not in key:
            key[field] = text
    return key


def _text_objects(package: zipfile.ZipFile, page_files: list[str]) -> dict[str, str]:
    """The text of every text object on the pages and templates, by object ID."""
    texts: dict[str, str] = {}
    for name in page_files:
        for element in ET.fromstring(package.read(name)).iter():
            if local_name(element) == "TextObject" and element.get("ID"):
                codes = (code.text or "" for code in element if local_name(code) == "TextCode")
                texts[element.get("ID")] = "".join(codes)
    return texts


def _tagged_fields(root: ET.Element, texts: dict[str, str]) -> dict[str, str]:
    """Fields whose custom tag points at text objects (``<InvoiceNo><ObjectRef>6922</ObjectRef></InvoiceNo>``);
    a currency sign drawn as an object of its own is dropped."""
    key: dict[str, str] = {}
    for element in root.iter():
        field = OFD_FIELDS.get(local_name(element))
        refs = [ref.text.strip() for ref in element if local_name(ref) == "ObjectRef" and ref.text]
        text = "".join(texts.get(ref, "") for ref in refs).replace("¥", "").replace("￥", "").strip()
        if field and text and field not in key:
            key[field] = text
    return key
