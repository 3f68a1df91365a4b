"""Invoices in English (US, UK, EU, Malaysia, Singapore) and German, drawn in the layouts real ones use: the
seller's name as a big logo top left or top right, the header values beside their labels, in boxes with the label
above, or with a small caption below; a line table; a right-aligned totals table whose last line is printed
``TOTAL EUR €1,103.03``, ``Amount due: USD 1,234.50`` or ``Gesamtbetrag 1.103,03 €``; terms and bank details in
a footer. Every field printed is recorded in the ``Truth`` with its canonical value."""

from __future__ import annotations

import random
from dataclasses import dataclass

from ledgerdesk.training import synthetic_ids as ids
from ledgerdesk.training.synthetic_formats import canonical_amount, money, percent, printed_date
from ledgerdesk.training.synthetic_pdf import Sheet, Truth
from ledgerdesk.training.synthetic_values import CURRENCY_SIGNS, InvoiceValues, Item

META_STYLES = ("labels-beside", "labels-above", "labels-below")
DATE_STYLES = {"us": ("mdy-slash", "month-d-y", "mon-d-y", "iso"), "uk": ("dmy-slash", "d-month-y", "d-mon-y"),
               "my": ("dmy-slash", "dmy-dash", "d-mon-y", "d-mon-yy"), "sg": ("dmy-slash", "d-mon-y", "d-month-y"),
               "de": ("dmy-dot", "de-long"), "eu": ("dmy-dot", "dmy-slash", "iso", "d-month-y")}
TAX_ID_LABELS = {"us": ("EIN", "Tax ID"), "uk": ("VAT Reg No.", "VAT No."), "my": ("SST Reg. No.", "SST No."),
                 "sg": ("GST Reg No.", "GST Registration No."), "de": ("USt-IdNr.", "USt-ID"),
                 "eu": ("VAT ID", "VAT No.")}
TAX_LABELS = {"us": "Sales Tax ({rate}%)", "uk": "VAT {rate}%", "my": "Service Tax {rate}%", "sg": "GST {rate}%",
              "de": "zzgl. {rate} % USt.", "eu": "VAT {rate}%"}
EN = {"title": ("INVOICE", "TAX INVOICE", "Invoice"), "invoice_number": ("Invoice No.", "Invoice #", "Invoice Number"),
      "invoice_date": ("Invoice Date", "Date", "Date of Issue"), "due_date": ("Due Date", "Payment Due"),
      "po_number": ("PO Number", "Your Order", "P.O. #"), "bill_to": ("Bill To", "Invoice To", "Customer"),
      "customer_tax_id": ("Customer VAT ID", "Your VAT No."), "terms": ("Terms", "Payment Terms"),
      "columns": ("Description", "Qty", "Unit", "Unit Price", "Amount"), "subtotal": ("Subtotal", "Net Total"),
      "iban": ("IBAN",), "bank": ("Bank details", "Please pay to")}
DE = {"title": ("RECHNUNG", "Rechnung"), "invoice_number": ("Rechnungsnummer", "Rechnungs-Nr.", "Rechnung Nr."),
      "invoice_date": ("Rechnungsdatum", "Datum"), "due_date": ("Fällig am", "Fälligkeitsdatum"),
      "po_number": ("Ihre Bestellung", "Bestell-Nr."), "bill_to": ("Rechnungsempfänger", "An"),
      "customer_tax_id": ("Ihre USt-IdNr.",), "terms": ("Zahlungsbedingungen",),
      "columns": ("Bezeichnung", "Menge", "Einheit", "Einzelpreis", "Gesamt"), "subtotal": ("Nettobetrag", "Summe netto"),
      "iban": ("IBAN",), "bank": ("Bankverbindung",)}
TOTAL_STYLES = {"en": ("{label} {code} {sign}{amount}", "Amount due: {code} {amount}", "{label} ({code}) {sign}{amount}",
                       "Balance Due {sign}{amount}", "{label} {code} {amount}"),
                "de": ("Gesamtbetrag {amount} {sign}", "Rechnungsbetrag {amount} {code}", "Summe brutto {amount} {sign}")}


@dataclass(frozen=True)
class InvoiceStyle:
    """The choices one invoice is drawn with."""

    language: str
    group: str
    """Whose conventions: us, uk, my, sg, eu or de."""
    meta: str
    seller_right: bool
    date_style: str
    amount_style: str
    total_style: str
    labels: dict
    accent: tuple[int, int, int]


def invoice_style(rng: random.Random, values: InvoiceValues, language: str) -> InvoiceStyle:
    group = values.region if values.region in ("us", "uk", "my", "sg", "de") else "eu"
    amounts = "de" if language == "de" else rng.choice(("en", "de", "fr")) if group == "eu" and values.region != "ie" else "en"
    return InvoiceStyle(language, group, rng.choice(META_STYLES), rng.random() < 0.4, rng.choice(DATE_STYLES[group]),
                        amounts, rng.choice(TOTAL_STYLES["de" if language == "de" else "en"]),
                        DE if language == "de" else EN, rng.choice(((0, 0, 0), (20, 60, 120), (120, 20, 20), (30, 90, 60))))


def pick(rng: random.Random, style: InvoiceStyle, key: str) -> str:
    return rng.choice(style.labels[key])


def draw_invoice(rng: random.Random, values: InvoiceValues, language: str) -> tuple[bytes, Truth, str]:
    """The invoice drawn in a layout chosen by ``rng``; its bytes, truth and layout name."""
    style = invoice_style(rng, values, language)
    sheet, truth = Sheet(215.9 if values.region == "us" else 210, 279.4 if values.region == "us" else 297), Truth()
    y = seller_block(rng, sheet, truth, values, style)
    y = title_and_meta(rng, sheet, truth, values, style, y + 6)
    y = bill_to(rng, sheet, truth, values, style, y + 4)
    y = line_table(rng, sheet, values, style, y + 8)
    y = totals(rng, sheet, truth, values, style, y + 3)
    footer(rng, sheet, truth, values, style, max(y + 10, sheet.height - 45))
    truth.put("currency", values.currency, truth.printed.pop("_currency"))
    layout = f"invoice/{style.meta}" + ("/seller-right" if style.seller_right else "")
    return sheet.output(), truth, layout


def seller_block(rng: random.Random, sheet: Sheet, truth: Truth, values: InvoiceValues, style: InvoiceStyle) -> float:
    """The seller's name as a logo and its address, top left or top right; returns the y below it."""
    seller, x = values.seller, sheet.width - 15 if style.seller_right else 15
    sheet.colour(*style.accent)
    place = sheet.right if style.seller_right else (lambda x_, y_, t, s=9, b=False: sheet.text(x_, y_, t, s, b))
    place(x, 14, truth.put("vendor_name", seller.name, seller.name), rng.choice((16, 18, 20)), True)
    sheet.colour(0, 0, 0)
    y = 24
    for line in seller.address:
        place(x, y, line, 9)
        y += 4.5
    truth.put("vendor_address", seller.address_text, " ".join(seller.address))
    if seller.tax_id and rng.random() < 0.8:
        label = rng.choice(TAX_ID_LABELS[style.group])
        place(x, y, f"{label}: {truth.put('vendor_tax_id', seller.tax_id, seller.tax_id)}", 9)
        y += 4.5
    return y


def title_and_meta(rng: random.Random, sheet: Sheet, truth: Truth, values: InvoiceValues, style: InvoiceStyle,
                   y: float) -> float:
    """The title and the header values (number, dates, order) in the style's arrangement."""
    x_title = 15 if style.seller_right else sheet.width - 15 - sheet.text_width("TAX INVOICE", 18, True)
    sheet.colour(*style.accent)
    sheet.text(x_title, y, pick(rng, style, "title"), 18, True)
    sheet.colour(0, 0, 0)
    pairs = meta_pairs(rng, truth, values, style)
    draw = {"labels-beside": meta_beside, "labels-above": meta_boxes, "labels-below": meta_boxes}[style.meta]
    return draw(sheet, pairs, style, y + 10)


def meta_pairs(rng: random.Random, truth: Truth, values: InvoiceValues, style: InvoiceStyle) -> list[tuple[str, str]]:
    """(label, printed value) of the header fields, recording each in ``truth``."""
    day = lambda d: printed_date(d, style.date_style)  # noqa: E731
    pairs = [(pick(rng, style, "invoice_number"), truth.put("invoice_number", values.number, values.number)),
             (pick(rng, style, "invoice_date"), truth.put("invoice_date", values.issued.isoformat(), day(values.issued)))]
    if values.due and values.due != values.issued and rng.random() < 0.8:
        pairs.append((pick(rng, style, "due_date"), truth.put("due_date", values.due.isoformat(), day(values.due))))
    if values.po_number:
        pairs.append((pick(rng, style, "po_number"), truth.put("po_number", values.po_number, values.po_number)))
    return pairs


def meta_beside(sheet: Sheet, pairs: list[tuple[str, str]], style: InvoiceStyle, y: float) -> float:
    x = 15 if style.seller_right else sheet.width - 85
    for label, value in pairs:
        sheet.text(x, y, f"{label}:", 9, True)
        sheet.text(x + 34, y, value, 9)
        y += 5
    return y


def meta_boxes(sheet: Sheet, pairs: list[tuple[str, str]], style: InvoiceStyle, y: float) -> float:
    """A row of boxes across the page, each with a small label above (or below) its value."""
    width = (sheet.width - 30) / len(pairs)
    for index, (label, value) in enumerate(pairs):
        x = 15 + index * width
        sheet.box(x, y, width, 13)
        label_y, value_y = (y + 1.5, y + 6.5) if style.meta == "labels-above" else (y + 8.5, y + 2.5)
        sheet.text(x + 2, label_y, label.upper(), 6.5)
        sheet.text(x + 2, value_y, value, 10, True)
    return y + 15


def bill_to(rng: random.Random, sheet: Sheet, truth: Truth, values: InvoiceValues, style: InvoiceStyle,
            y: float) -> float:
    buyer = values.buyer
    sheet.text(15, y, pick(rng, style, "bill_to") + ":", 8, True)
    sheet.text(15, y + 5, truth.put("customer_name", buyer.name, buyer.name), 10, True)
    y += 10
    for line in buyer.address:
        sheet.text(15, y, line, 9)
        y += 4.5
    if buyer.tax_id and buyer.region != "us" and rng.random() < 0.6:
        label = pick(rng, style, "customer_tax_id")
        sheet.text(15, y, f"{label}: {truth.put('customer_tax_id', buyer.tax_id, buyer.tax_id)}", 9)
        y += 4.5
    return y


COLUMN_X = (15, 112, 130, 150, 195)
"""Left edge of the description, right edges of quantity, unit (left), unit price and amount."""


def line_table(rng: random.Random, sheet: Sheet, values: InvoiceValues, style: InvoiceStyle, y: float) -> float:
    headers, shaded = style.labels["columns"], rng.random() < 0.5
    right_edge = sheet.width - 15
    if shaded:
        sheet.shade(15, y - 1, right_edge - 15, 7)
    sheet.text(17, y, headers[0], 9, True)
    sheet.right(112, y, headers[1], 9, True)
    sheet.text(116, y, headers[2], 9, True)
    sheet.right(158, y, headers[3], 9, True)
    sheet.right(right_edge - 2, y, headers[4], 9, True)
    sheet.rule(15, y + 6, right_edge, y + 6)
    y += 8
    for line in values.items:
        y = item_row(sheet, line, style, y, right_edge)
    sheet.rule(15, y, right_edge, y)
    return y


DESCRIPTION_WIDTH = 82
"""Millimetres of the description column; a longer description wraps onto the lines below its row."""


def item_row(sheet: Sheet, line: Item, style: InvoiceStyle, y: float, right_edge: float) -> float:
    """The row of ``line`` at ``y``; returns the y of the next row."""
    first, *more = sheet.wrapped_lines(line.description, DESCRIPTION_WIDTH)
    sheet.text(17, y, first, 9)
    for index, text in enumerate(more, start=1):
        sheet.text(17, y + 4.2 * index, text, 9)
    sheet.right(112, y, quantity_text(line, style), 9)
    sheet.text(116, y, line.unit, 9)
    sheet.right(158, y, money(line.unit_price, style.amount_style), 9)
    sheet.right(right_edge - 2, y, money(line.amount, style.amount_style), 9)
    return y + 6 + 4.2 * len(more)


def quantity_text(line: Item, style: InvoiceStyle) -> str:
    text = f"{line.quantity.normalize():f}"
    return text.replace(".", ",") if style.amount_style in ("de", "fr") else text


def totals(rng: random.Random, sheet: Sheet, truth: Truth, values: InvoiceValues, style: InvoiceStyle,
           y: float) -> float:
    """The right-aligned totals table: subtotal, tax with its rate, and the total line in the style's words."""
    right, label_x = sheet.width - 17, sheet.width - 95
    amount = lambda value: money(value, style.amount_style)  # noqa: E731
    sheet.text(label_x, y, pick(rng, style, "subtotal"), 9)
    sheet.right(right, y, truth.put("subtotal", canonical_amount(values.subtotal), amount(values.subtotal)), 9)
    rate = percent(values.tax_rate, style.amount_style)
    sheet.text(label_x, y + 6, TAX_LABELS[style.group].format(rate=truth.put("tax_rate", percent(values.tax_rate), rate)), 9)
    sheet.right(right, y + 6, truth.put("tax_amount", canonical_amount(values.tax), amount(values.tax)), 9)
    sheet.rule(label_x, y + 12, right, y + 12, 0.4)
    sheet.right(right, y + 14, total_line(truth, values, style), 11, True)
    return y + 20


def total_line(truth: Truth, values: InvoiceValues, style: InvoiceStyle) -> str:
    """The total as ``TOTAL EUR €1,103.03`` and the like; records the total and how the currency shows."""
    code, sign = values.currency, CURRENCY_SIGNS[values.currency]
    amount = truth.put("total_amount", canonical_amount(values.total), money(values.total, style.amount_style))
    template = style.total_style
    truth.printed["_currency"] = code if "{code}" in template else sign
    if "{sign}{amount}" in template:
        truth.printed["total_amount"] = sign + amount
    label = "TOTAL" if style.language == "en" and "{code} {sign}" in template else "Total"
    return template.format(label=label, code=code, sign=sign, amount=amount)


def footer(rng: random.Random, sheet: Sheet, truth: Truth, values: InvoiceValues, style: InvoiceStyle,
           y: float) -> None:
    """Payment terms and the bank account under the totals."""
    if values.terms:
        text = values.terms if style.language == "de" else f"{pick(rng, style, 'terms')}: {values.terms}"
        sheet.text(15, y, text, 9)
        truth.put("payment_terms", values.terms, values.terms)
    if values.iban:
        printed = ids.grouped(values.iban) if rng.random() < 0.7 else values.iban
        sheet.text(15, y + 6, f"{pick(rng, style, 'bank')}: IBAN {truth.put('vendor_iban', values.iban, printed)}", 9)
    sheet.rule(15, sheet.height - 18, sheet.width - 15, sheet.height - 18, 0.2)
    sheet.text(15, sheet.height - 15, values.seller.name + " · " + ", ".join(values.seller.address), 7)
