"""Invoice layouts of real European and English invoices that ``synthetic_invoices`` does not draw: the German
business letter (DIN 5008: a one-line sender above the address window, the buyer's address in the window with no
label, an info block on the right, several VAT rates, a payment line and a small-print footer in columns with the
bank, the VAT ID, the managing director and the court register). Every field printed is recorded in the ``Truth``
with its canonical value, as in ``synthetic_invoices``."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import Decimal

from ledgerdesk.training import synthetic_ids as ids
from ledgerdesk.training.synthetic_formats import canonical_amount, money, percent, printed_date
from ledgerdesk.training.synthetic_invoice_values import TaxLine, WideInvoiceValues, siret, wide_invoice_values
from ledgerdesk.training.synthetic_parties import person
from ledgerdesk.training.synthetic_pdf import Sheet, Truth
from ledgerdesk.training.synthetic_values import CURRENCY_SIGNS, Item, side_stream, with_details

LETTER = {
    "de": {"number": ("Rechnungsnummer", "Rechnungs-Nr.", "Rechnung Nr."), "customer": ("Kundennummer", "Kunden-Nr."),
           "date": ("Datum", "Rechnungsdatum"), "delivery": ("Lieferdatum", "Leistungsdatum"),
           "subject": ("Rechnung", "RECHNUNG"), "subject_number": ("Rechnung Nr. {n}", "Rechnung {n}", "Rechnungsnummer {n}"),
           "columns": ("Pos.", "Bezeichnung", "Menge", "Einheit", "Einzelpreis", "USt.", "Gesamt"),
           "lines_total": ("Summe Positionen", "Zwischensumme"), "allowance": ("abzgl. {p} % Rabatt", "Rabatt {p} %"),
           "net": ("Nettobetrag", "Gesamt netto", "Summe netto"), "tax": ("zzgl. {r} % USt.", "USt. {r} %", "MwSt. {r} %"),
           "on": "auf", "tax_total": ("Summe USt.", "USt. gesamt"),
           "total": ("Gesamtbetrag", "Rechnungsbetrag", "Gesamt brutto", "Zahlbetrag"),
           "due": ("Zahlbar bis {d} ohne Abzug.", "Bitte überweisen Sie den Betrag bis zum {d}."),
           "terms": ("Zahlungsziel {n} Tage", "Zahlbar innerhalb von {n} Tagen ohne Abzug"),
           "tax_id": ("USt-IdNr.", "USt-ID"), "tax_number": "Steuernummer", "director": ("Geschäftsführer", "Geschäftsführung"),
           "bank": "Bankverbindung", "greeting": "Sehr geehrte Damen und Herren,",
           "intro": "vielen Dank für Ihren Auftrag. Wir erlauben uns, folgende Leistungen zu berechnen:",
           "closing": "Mit freundlichen Grüßen", "attention": "z. Hd.", "phone": "Tel."},
    "en": {"number": ("Invoice number", "Invoice No.", "Invoice #"), "customer": ("Customer number", "Customer No."),
           "date": ("Date", "Invoice date"), "delivery": ("Delivery date", "Date of supply"),
           "subject": ("Invoice", "INVOICE"), "subject_number": ("Invoice No. {n}", "Invoice {n}", "Invoice # {n}"),
           "columns": ("Item", "Description", "Qty", "Unit", "Unit price", "VAT", "Amount"),
           "lines_total": ("Total of items", "Subtotal"), "allowance": ("less {p} % discount", "Discount {p} %"),
           "net": ("Net amount", "Total net"), "tax": ("plus {r} % VAT", "VAT {r} %"),
           "on": "on", "tax_total": ("Total VAT", "VAT total"),
           "total": ("Total amount", "Invoice total", "Amount due"),
           "due": ("Payable by {d} without deduction.", "Please pay the amount by {d}."),
           "terms": ("Payment terms {n} days", "Payable within {n} days without deduction"),
           "tax_id": ("VAT ID", "VAT No."), "tax_number": "Tax number", "director": ("Managing Director", "CEO"),
           "bank": "Bank details", "greeting": "Dear Sir or Madam,",
           "intro": "Thank you for your order. We are pleased to invoice you for the following:",
           "closing": "Kind regards", "attention": "Attn.", "phone": "Phone"},
}


@dataclass(frozen=True)
class Look:
    """How one wide invoice prints: its words, amounts, dates and currency."""

    language: str
    words: dict
    amounts: str
    """``de``, ``en`` or ``fr`` separators (see ``synthetic_formats.money``)."""
    dates: str
    currency_code: bool
    """The currency printed as its code (``EUR``) rather than its sign."""
    accent: tuple[int, int, int]


def word(rng: random.Random, look: Look, key: str) -> str:
    return rng.choice(look.words[key])


def amount_text(value, look: Look) -> str:
    return money(value, look.amounts)


def draw_wide_invoice(rng: random.Random, language: str) -> tuple[bytes, Truth, str, tuple[Item, ...]]:
    """An invoice in one of the wide layouts for ``language`` (``de``, ``en`` or ``fr``); its bytes, truth, layout
    name and line items."""
    name = rng.choice(WIDE_LAYOUTS[language])
    region, draw = LAYOUT_DRAWERS[name]
    values = wide_invoice_values(rng, rng.choice(region), language)
    values = replace(values, items=with_details(side_stream(rng, "item-details"), values.items, language))
    pdf, truth, layout = draw(rng, values, language)
    return pdf, truth, layout, values.items


# --- DIN 5008 business letter -------------------------------------------------------------------------------------


def letter_look(rng: random.Random, language: str) -> Look:
    amounts = "de" if language == "de" else rng.choice(("en", "de"))
    dates = rng.choice(("dmy-dot", "de-long")) if language == "de" else rng.choice(("dmy-dot", "d-month-y", "dmy-slash"))
    return Look(language, LETTER[language], amounts, dates, rng.random() < 0.3,
                rng.choice(((0, 0, 0), (20, 60, 120), (150, 30, 30), (30, 90, 60))))


def draw_din5008(rng: random.Random, values: WideInvoiceValues, language: str) -> tuple[bytes, Truth, str]:
    """The German business letter (DIN 5008 form B) as an invoice, in German or English."""
    look, sheet, truth = letter_look(rng, language), Sheet(210, 297), Truth()
    letterhead(rng, sheet, truth, values, look)
    sender_line(rng, sheet, truth, values)
    address_window(rng, sheet, truth, values, look)
    in_subject = rng.random() < 0.35
    info_block(rng, sheet, truth, values, look, with_number=not in_subject)
    y = letter_opening(rng, sheet, truth, values, look, in_subject)
    y = wide_table(rng, sheet, values, look, y, left=20, right=190)
    y = wide_totals(rng, sheet, truth, values, look, y + 3, right=190)
    y = payment_line(rng, sheet, truth, values, look, y + 6)
    if rng.random() < 0.6:
        sheet.text(20, y + 6, look.words["closing"], 9)
    footer_columns(rng, sheet, truth, values, look)
    return sheet.output(), truth, "invoice/din5008" + ("/subject-number" if in_subject else "") + variant(values)


def variant(values: WideInvoiceValues) -> str:
    """The layout name's suffix for several rates and an allowance (tests reconcile these differently)."""
    return ("/rates" if values.single_rate is None else "") + ("/allowance" if values.allowance_percent else "")


def letterhead(rng: random.Random, sheet: Sheet, truth: Truth, values: WideInvoiceValues, look: Look) -> None:
    """The seller's name as a logo at the top right, with fold and punch marks on the left edge."""
    sheet.colour(*look.accent)
    sheet.right(190, 16, truth.exact("vendor_name", values.seller.name), rng.choice((15, 17, 19)), True)
    sheet.colour(0, 0, 0)
    for y, length in ((105, 5), (148.5, 7), (210, 5)):
        sheet.rule(3, y, 3 + length, y, 0.2)


def sender_line(rng: random.Random, sheet: Sheet, truth: Truth, values: WideInvoiceValues) -> None:
    """``Kraxi GmbH · Flugzeugallee 17 · 12345 Papierfeld`` in small type, underlined, above the window."""
    separator = rng.choice((" · ", " | ", ", ", " - "))
    address = truth.put("vendor_address", values.seller.address_text, separator.join(values.seller.address))
    sheet.text(20, 48, f"{values.seller.name}{separator}{address}", 6.5)
    sheet.rule(20, 51.5, 105, 51.5, 0.15)


def address_window(rng: random.Random, sheet: Sheet, truth: Truth, values: WideInvoiceValues, look: Look) -> None:
    """The buyer's name and address in the window (20 mm from the left, 63 mm from the top), with no label."""
    y = 63.0
    sheet.text(20, y, truth.exact("customer_name", values.buyer.name), 10)
    if rng.random() < 0.4:
        y += 4.6
        sheet.text(20, y, f"{look.words['attention']} {person(rng)}", 10)
    for line in values.buyer.address:
        y += 4.6
        sheet.text(20, y, line, 10)


def info_block(rng: random.Random, sheet: Sheet, truth: Truth, values: WideInvoiceValues, look: Look,
               with_number: bool) -> None:
    """Labels beside values at the right of the window: number, customer number, date, delivery date."""
    day = lambda d: printed_date(d, look.dates)  # noqa: E731
    rows = []
    if with_number:
        rows.append((word(rng, look, "number"), truth.exact("invoice_number", values.number)))
    rows.append((word(rng, look, "customer"), values.customer_number))
    rows.append((word(rng, look, "date"), truth.put("invoice_date", values.issued.isoformat(), day(values.issued))))
    if values.delivered != values.issued or rng.random() < 0.5:
        rows.append((word(rng, look, "delivery"), day(values.delivered)))
    y = 55.0
    for label, value in rows:
        sheet.text(125, y, label, 8.5)
        sheet.text(160, y, value, 8.5)
        y += 4.5


def letter_opening(rng: random.Random, sheet: Sheet, truth: Truth, values: WideInvoiceValues, look: Look,
                   in_subject: bool) -> float:
    """The subject line (``Rechnung`` or ``Rechnung Nr. 2014-03``) and, on some letters, a salutation."""
    if in_subject:
        truth.exact("invoice_number", values.number)
        subject = word(rng, look, "subject_number").format(n=values.number)
    else:
        subject = word(rng, look, "subject")
    sheet.text(20, 100, subject, 12, True)
    if rng.random() < 0.5:
        sheet.text(20, 109, look.words["greeting"], 9)
        sheet.text(20, 114, look.words["intro"], 9)
        return 124
    return 112


def wide_table(rng: random.Random, sheet: Sheet, values: WideInvoiceValues, look: Look, y: float, left: float,
               right: float) -> float:
    """Position, description, quantity, unit, unit price, the rate when there are several, and the amount."""
    y = min(y, 125.0) if len(values.items) > 4 else y
    headers, rated = look.words["columns"], values.single_rate is None
    if rng.random() < 0.5:
        sheet.shade(left, y - 1, right - left, 6.5)
    columns = table_columns(left, right)
    for text, (x, align) in zip(headers, columns):
        if text != headers[5] or rated:
            place(sheet, x, y, text, align, True)
    sheet.rule(left, y + 5.5, right, y + 5.5)
    y += 7.5
    for index, line in enumerate(values.items, start=1):
        first, *more = sheet.wrapped_lines(line.description, right - left - 92, 8.5)
        cells = (str(index), first, quantity_text(line, look), line.unit,
                 amount_text(line.unit_price, look), rate_text(line, look) if rated else "",
                 amount_text(line.amount, look))
        for text, (x, align) in zip(cells, columns):
            place(sheet, x, y, text, align, False)
        for text in more:
            y += 4
            place(sheet, columns[1][0], y, text, "L", False)
        y += 5.5
    sheet.rule(left, y, right, y)
    return y


def table_columns(left: float, right: float) -> tuple[tuple[float, str], ...]:
    """(x, alignment) of the seven columns: left-aligned at x, or right-aligned ending at x."""
    return ((left + 1, "L"), (left + 11, "L"), (right - 68, "R"), (right - 66, "L"), (right - 30, "R"),
            (right - 20, "R"), (right - 1, "R"))


def place(sheet: Sheet, x: float, y: float, text: str, align: str, bold: bool) -> None:
    if text:
        (sheet.right if align == "R" else sheet.text)(x, y, text, 8.5, bold)


def quantity_text(line: Item, look: Look) -> str:
    text = f"{line.quantity.normalize():f}"
    return text.replace(".", ",") if look.amounts in ("de", "fr") else text


def rate_text(line: Item, look: Look) -> str:
    return f"{percent(line.tax_rate, 'en' if look.amounts == 'en' else 'de')} %" if line.tax_rate is not None else ""


def wide_totals(rng: random.Random, sheet: Sheet, truth: Truth, values: WideInvoiceValues, look: Look, y: float,
                right: float) -> float:
    """Lines total and allowance (if any), net amount, one tax line per rate, and the total with its currency."""
    label_x = right - 82
    rows: list[tuple[str, str, bool]] = []
    if values.allowance_percent is not None:
        rows.append((word(rng, look, "lines_total"), amount_text(values.lines_total, look), False))
        rows.append((word(rng, look, "allowance").format(p=percent(values.allowance_percent)),
                     "-" + amount_text(values.allowance, look), False))
    rows.append((word(rng, look, "net"), truth.put("subtotal", canonical_amount(values.subtotal),
                                                   amount_text(values.subtotal, look)), False))
    rows += [(tax_label(rng, truth, values, look, line), amount_text(line.tax, look), False) for line in values.taxes]
    rows.append(tax_row(rng, truth, values, look))
    rows.append((word(rng, look, "total"), total_text(truth, values, look), True))
    for label, value, bold in (row for row in rows if row[0]):
        if bold:
            sheet.rule(label_x, y - 1, right, y - 1, 0.4)
        sheet.text(label_x, y, label, 9.5 if bold else 9, bold)
        sheet.right(right - 1, y, value, 9.5 if bold else 9, bold)
        y += 5.5
    return y


def tax_label(rng: random.Random, truth: Truth, values: WideInvoiceValues, look: Look, line: TaxLine) -> str:
    """``zzgl. 19 % USt.``; records the rate when the invoice has only this one."""
    rate = percent(line.rate, "en" if look.amounts == "en" else "de")
    label = word(rng, look, "tax").format(r=rate)
    if values.single_rate is not None:
        truth.put("tax_rate", percent(line.rate), rate)
        return label
    return f"{label} {look.words['on']} {amount_text(line.base, look)}"


def tax_row(rng: random.Random, truth: Truth, values: WideInvoiceValues, look: Look) -> tuple[str, str, bool]:
    """The tax amount: the one tax line's figure (already a row), or the sum of several on a row of its own."""
    printed = truth.put("tax_amount", canonical_amount(values.tax), amount_text(values.tax, look))
    return ("", "", False) if values.single_rate is not None else (word(rng, look, "tax_total"), printed, False)


def total_text(truth: Truth, values: WideInvoiceValues, look: Look) -> str:
    """``1.234,56 €`` or ``EUR 1.234,56``; records the total and the currency as printed."""
    amount = truth.put("total_amount", canonical_amount(values.total), amount_text(values.total, look))
    if look.currency_code:
        truth.put("currency", values.currency, values.currency)
        return f"{values.currency} {amount}"
    sign = truth.put("currency", values.currency, CURRENCY_SIGNS[values.currency])
    if look.amounts == "en":
        truth.printed["total_amount"] = sign + amount
        return sign + amount
    return f"{amount} {sign}"


def payment_line(rng: random.Random, sheet: Sheet, truth: Truth, values: WideInvoiceValues, look: Look,
                 y: float) -> float:
    """``Zahlbar bis 30.11.2024 ohne Abzug.`` (the due date) or ``Zahlungsziel 14 Tage`` (the terms)."""
    if rng.random() < 0.5:
        due = truth.put("due_date", values.due.isoformat(), printed_date(values.due, look.dates))
        text = word(rng, look, "due").format(d=due)
    else:
        text = truth.exact("payment_terms", word(rng, look, "terms").format(n=values.term_days))
    sheet.text(20, y, text, 9)
    return y + 5


def footer_columns(rng: random.Random, sheet: Sheet, truth: Truth, values: WideInvoiceValues, look: Look) -> None:
    """Four columns of small print at the foot: the seller and its address, the bank, the tax numbers, and the
    managing director with the court register."""
    seller, words = values.seller, look.words
    iban = truth.put("vendor_iban", values.iban, ids.grouped(values.iban) if rng.random() < 0.8 else values.iban)
    tax_id = truth.exact("vendor_tax_id", seller.tax_id)
    court, register = values.register.rsplit(" ", 2)[0], " ".join(values.register.rsplit(" ", 2)[1:])
    columns = ((seller.name, *seller.address),
               (values.bank, f"IBAN {iban}", f"BIC {values.bic}"),
               (f"{rng.choice(words['tax_id'])}: {tax_id}", f"{words['tax_number']}: {tax_number(rng)}",
                f"{words['phone']} +49 {rng.randint(30, 89)} {rng.randint(100000, 999999)}"),
               (f"{rng.choice(words['director'])}:", values.director, court, register))
    sheet.rule(20, 268, 190, 268, 0.15)
    for x, lines in zip((20, 60, 112, 155), columns):
        for index, line in enumerate(lines):
            sheet.text(x, 270 + index * 3.2, line, 6.5)


def tax_number(rng: random.Random) -> str:
    """A German Steuernummer (``143/123/45678``), printed beside the VAT ID and easily mistaken for it."""
    return f"{rng.randint(10, 299)}/{rng.randint(100, 999)}/{rng.randint(10000, 99999)}"


# --- French facture -----------------------------------------------------------------------------------------------

FR = {"title": ("FACTURE", "Facture"), "number": ("Facture N°", "Facture n°", "N° de facture"),
      "date": ("Date de facture", "Date d'émission"), "due": ("Échéance", "Date d'échéance"),
      "delivery": ("Date de livraison", "Date de prestation"), "customer": ("Réf. client", "Code client"),
      "client": ("Client", "Facturé à", "Adresse de facturation"),
      "columns": ("Réf.", "Désignation", "Qté", "Unité", "Prix unit. HT", "TVA", "Montant HT"),
      "lines_total": ("Total brut HT", "Sous-total HT"), "allowance": ("Remise {p} %", "Remise commerciale {p} %"),
      "net": ("Total HT", "Total net HT"), "tax": ("TVA {r} %", "TVA à {r} %"), "on": "sur",
      "tax_total": ("Total TVA", "Montant TVA"), "total": ("Total TTC", "Net à payer TTC"),
      "pay": ("Montant à payer", "Reste à payer", "Net à payer"), "terms": "Conditions de paiement",
      "terms_text": ("{n} jours net", "à {n} jours date de facture", "virement à {n} jours"),
      "penalty": ("En cas de retard de paiement, des pénalités égales à trois fois le taux d'intérêt légal seront",
                  "exigibles, ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 €.")}


def draw_facture(rng: random.Random, values: WideInvoiceValues, language: str) -> tuple[bytes, Truth, str]:
    """A French facture: the seller top left, ``Facture N°`` and the dates top right, the client labelled or in
    the window on the right, Total HT / TVA / Total TTC, and the legal mentions (SIRET, RCS, TVA) at the foot."""
    look = Look("fr", FR, "fr", rng.choice(("dmy-slash", "dmy-slash", "fr-long")), rng.random() < 0.2,
                rng.choice(((0, 0, 0), (20, 60, 120), (110, 30, 80))))
    sheet, truth = Sheet(210, 297), Truth()
    seller_top_left(rng, sheet, truth, values, look, phone=f"Tél. 0{rng.randint(1, 5)} {rng.randint(10, 99)} "
                                                          f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}")
    facture_meta(rng, sheet, truth, values, look)
    labelled = rng.random() < 0.5
    client_block(rng, sheet, truth, values, look, labelled)
    y = wide_table(rng, sheet, values, look, 105, left=15, right=195)
    y = wide_totals(rng, sheet, truth, values, look, y + 3, right=195)
    sheet.text(113, y + 1, f"{word(rng, look, 'pay')} : {total_text(truth, values, look)}", 10.5, True)
    terms = truth.exact("payment_terms", word(rng, look, "terms_text").format(n=values.term_days))
    sheet.text(15, y + 12, f"{FR['terms']} : {terms}", 9)
    sheet.text(15, y + 17, f"IBAN : {iban_text(rng, truth, values)}   BIC : {values.bic}", 9)
    for index, line in enumerate(FR["penalty"]):
        sheet.text(15, y + 24 + index * 3.3, line, 6.5)
    legal_mentions(rng, sheet, truth, values)
    return sheet.output(), truth, "invoice/facture" + ("/client-label" if labelled else "/window") + variant(values)


def seller_top_left(rng: random.Random, sheet: Sheet, truth: Truth, values: WideInvoiceValues, look: Look,
                    phone: str, size: float = 16) -> float:
    """The seller's name as a logo at the top left, its address lines and phone below; returns the y below."""
    sheet.colour(*look.accent)
    sheet.text(15, 14, truth.exact("vendor_name", values.seller.name), size, True)
    sheet.colour(0, 0, 0)
    y = 16 + size * 0.45
    truth.put("vendor_address", values.seller.address_text, " ".join(values.seller.address))
    for line in (*values.seller.address, phone):
        sheet.text(15, y, line, 9)
        y += 4.4
    return y


def facture_meta(rng: random.Random, sheet: Sheet, truth: Truth, values: WideInvoiceValues, look: Look) -> None:
    """``FACTURE`` and below it ``Facture N° F20180027``, the date, the due date and the client reference."""
    day = lambda d: printed_date(d, look.dates)  # noqa: E731
    sheet.right(195, 14, word(rng, look, "title"), 18, True)
    rows = [f"{word(rng, look, 'number')} {truth.exact('invoice_number', values.number)}",
            f"{word(rng, look, 'date')} : {truth.put('invoice_date', values.issued.isoformat(), day(values.issued))}",
            f"{word(rng, look, 'due')} : {truth.put('due_date', values.due.isoformat(), day(values.due))}"]
    if rng.random() < 0.5:
        rows.append(f"{word(rng, look, 'customer')} : {values.customer_number}")
    for index, row in enumerate(rows):
        sheet.right(195, 24 + index * 4.8, row, 9.5 if index else 10.5, index == 0)


def client_block(rng: random.Random, sheet: Sheet, truth: Truth, values: WideInvoiceValues, look: Look,
                 labelled: bool) -> None:
    """The client's name and address: under a ``Client`` label on the left, or unlabelled in the window on the
    right as French letters place it."""
    x, y = (15, 58) if labelled else (115, 55)
    if labelled:
        sheet.text(x, y, word(rng, look, "client"), 9, True)
        y += 5
    sheet.text(x, y, truth.exact("customer_name", values.buyer.name), 10, True)
    for line in values.buyer.address:
        y += 4.6
        sheet.text(x, y, line, 10)
    if values.buyer.tax_id and rng.random() < 0.5:
        truth.exact("customer_tax_id", values.buyer.tax_id)
        sheet.text(x, y + 5.5, f"N° TVA : {values.buyer.tax_id}", 8.5)


def iban_text(rng: random.Random, truth: Truth, values: WideInvoiceValues) -> str:
    return truth.put("vendor_iban", values.iban, ids.grouped(values.iban) if rng.random() < 0.8 else values.iban)


def legal_mentions(rng: random.Random, sheet: Sheet, truth: Truth, values: WideInvoiceValues) -> None:
    """Two centred lines of small print: the company's form and capital, SIRET, RCS and TVA intracommunautaire."""
    seller = values.seller
    form = seller.name.rsplit(" ", 1)[-1]
    capital = money(Decimal(rng.choice((1000, 7500, 10000, 50000, 150000))), "fr").replace(",00", "")
    number = siret(rng, seller.tax_id)
    tax_id = truth.exact("vendor_tax_id", seller.tax_id)
    sheet.rule(15, 272, 195, 272, 0.15)
    sheet.centred(274, f"{seller.name} · {form} au capital de {capital} € · {', '.join(seller.address)}", 7)
    sheet.centred(277.5, f"SIRET {number} · {values.register} · TVA intracommunautaire : {tax_id}", 7)


# --- English: bill to / ship to, Malaysian tax invoice, logo with a meta table ---------------------------------------

EN_WORDS = {"number": ("Invoice #", "Invoice No.", "Invoice Number"), "date": ("Invoice Date", "Date"),
            "due": ("Due Date", "Payment Due"), "customer": ("Customer ID", "Account No."),
            "columns": ("#", "Description", "Qty", "Unit", "Unit Price", "Tax", "Amount"),
            "lines_total": ("Subtotal",), "allowance": ("Discount {p}%",), "net": ("Subtotal", "Net Total"),
            "on": "on", "tax_total": ("Total Tax",), "total": ("Total", "Invoice Total")}
EN_TAX = {"us": ("Sales Tax ({r}%)", "Tax ({r}%)"), "uk": ("VAT ({r}%)", "VAT @ {r}%"), "sg": ("GST ({r}%)", "GST @ {r}%"),
          "my": ("Service Tax {r}%", "SST {r}%"), "my-gst": ("GST @ {r}%", "GST {r}%")}
EN_TAX_ID = {"us": ("EIN", "Tax ID"), "uk": ("VAT Reg No.", "VAT No."), "sg": ("GST Reg No.", "GST Reg. No."),
             "my": ("SST No.", "SST Reg No."), "my-gst": ("GST Reg No.", "GST ID No.")}
EN_DATES = {"us": ("mdy-slash", "month-d-y", "mon-d-y"), "uk": ("dmy-slash", "d-month-y", "d-mon-y"),
            "sg": ("dmy-slash", "d-mon-y"), "my": ("dmy-slash", "dmy-dash", "d-mon-y")}


def english_look(rng: random.Random, values: WideInvoiceValues) -> Look:
    tax_group = "my-gst" if values.region == "my" and values.seller.tax_id and "-" not in values.seller.tax_id else values.region
    words = {**EN_WORDS, "tax": EN_TAX[tax_group], "tax_id": EN_TAX_ID[tax_group]}
    return Look("en", words, "en", rng.choice(EN_DATES[values.region]), values.region == "my" or rng.random() < 0.2,
                rng.choice(((0, 0, 0), (20, 60, 120), (120, 20, 20), (30, 90, 60), (90, 40, 140))))


def english_meta(rng: random.Random, truth: Truth, values: WideInvoiceValues, look: Look) -> list[tuple[str, str]]:
    """(label, value) of number, date, due date and sometimes the customer's account."""
    day = lambda d: printed_date(d, look.dates)  # noqa: E731
    rows = [(word(rng, look, "number"), truth.exact("invoice_number", values.number)),
            (word(rng, look, "date"), truth.put("invoice_date", values.issued.isoformat(), day(values.issued))),
            (word(rng, look, "due"), truth.put("due_date", values.due.isoformat(), day(values.due)))]
    if rng.random() < 0.5:
        rows.append((word(rng, look, "customer"), values.customer_number))
    return rows


def seller_tax_line(rng: random.Random, truth: Truth, values: WideInvoiceValues, look: Look) -> str | None:
    if not values.seller.tax_id:
        return None
    return f"{word(rng, look, 'tax_id')}: {truth.exact('vendor_tax_id', values.seller.tax_id)}"


def party_lines(sheet: Sheet, x: float, y: float, label: str, name: str, address: tuple[str, ...]) -> float:
    sheet.text(x, y, label, 8.5, True)
    sheet.text(x, y + 5, name, 10, True)
    for index, line in enumerate(address):
        sheet.text(x, y + 9.6 + index * 4.4, line, 9)
    return y + 9.6 + len(address) * 4.4


def english_payment(rng: random.Random, sheet: Sheet, truth: Truth, values: WideInvoiceValues, y: float) -> None:
    """``Terms: Net 30`` and, for UK sellers, the bank account with its IBAN."""
    terms = truth.exact("payment_terms", rng.choice(("Net {n}", "{n} days net", "Payment within {n} days")).format(n=values.term_days))
    sheet.text(15, y, f"Terms: {terms}", 9)
    if values.iban:
        sheet.text(15, y + 5, f"{values.bank} · IBAN {iban_text(rng, truth, values)} · BIC {values.bic}", 9)


def draw_bill_ship(rng: random.Random, values: WideInvoiceValues, language: str) -> tuple[bytes, Truth, str]:
    """The seller top left, ``INVOICE`` and ``Invoice # INV-0042`` top right, Bill To and Ship To side by side
    (the customer is the Bill To party), and a ``Balance Due`` line under the totals."""
    look, sheet, truth = english_look(rng, values), Sheet(215.9 if values.region == "us" else 210, 279.4 if values.region == "us" else 297), Truth()
    right = sheet.width - 15
    y = seller_top_left(rng, sheet, truth, values, look, phone=f"Phone {rng.randint(200, 989)}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}")
    if tax_line := seller_tax_line(rng, truth, values, look):
        sheet.text(15, y, tax_line, 9)
    sheet.colour(*look.accent)
    sheet.right(right, 14, "INVOICE", 22, True)
    sheet.colour(0, 0, 0)
    for index, (label, value) in enumerate(english_meta(rng, truth, values, look)):
        sheet.right(right - 38, 28 + index * 5, label, 9, True)
        sheet.right(right, 28 + index * 5, value, 9)
    buyer, ship = values.buyer, values.ship_to
    bottom = party_lines(sheet, 15, 62, "Bill To", truth.exact("customer_name", buyer.name), buyer.address)
    bottom = max(bottom, party_lines(sheet, 110, 62, "Ship To", ship.name, ship.address))
    y = wide_table(rng, sheet, values, look, bottom + 10, left=15, right=right)
    y = wide_totals(rng, sheet, truth, values, look, y + 3, right=right)
    paid = amount_text(Decimal("0.00"), look)
    sheet.text(right - 82, y, "Amount Paid", 9)
    sheet.right(right - 1, y, paid, 9)
    sheet.shade(right - 83, y + 5, 83, 7)
    sheet.text(right - 82, y + 6, "Balance Due", 10.5, True)
    sheet.right(right - 1, y + 6, f"{truth.printed['currency']}{truth.printed['total_amount'].lstrip(truth.printed['currency'])}"
                if not look.currency_code else f"{values.currency} {truth.printed['total_amount']}", 10.5, True)
    english_payment(rng, sheet, truth, values, y + 20)
    sheet.centred(sheet.height - 20, "Thank you for your business!", 9)
    return sheet.output(), truth, "invoice/bill-ship" + variant(values)


def draw_my_tax_invoice(rng: random.Random, values: WideInvoiceValues, language: str) -> tuple[bytes, Truth, str]:
    """A Malaysian tax invoice: the seller centred with its company number and GST or SST registration,
    ``TAX INVOICE``, the customer on the left and the invoice values on the right, totals in RM."""
    look, sheet, truth = english_look(rng, values), Sheet(210, 297), Truth()
    seller = values.seller
    sheet.centred(14, truth.exact("vendor_name", seller.name), 14, True)
    sheet.centred(20.5, f"({values.register})", 7.5)
    sheet.centred(24.5, truth.put("vendor_address", seller.address_text, ", ".join(seller.address)), 8.5)
    sheet.centred(29, f"Tel: 03-{rng.randint(2000, 9999)} {rng.randint(1000, 9999)}  {seller_tax_line(rng, truth, values, look)}", 8.5)
    sheet.rule(15, 35, 195, 35, 0.4)
    sheet.centred(38, "TAX INVOICE", 14, True)
    party_lines(sheet, 15, 50, rng.choice(("Bill To:", "Sold To:", "Customer:")), truth.exact("customer_name", values.buyer.name),
                values.buyer.address)
    rows = english_meta(rng, truth, values, look)
    terms = truth.exact("payment_terms", f"{values.term_days} Days")
    for index, (label, value) in enumerate([*rows, ("Terms", terms)]):
        sheet.text(130, 50 + index * 5, label, 9)
        sheet.text(158, 50 + index * 5, f": {value}", 9)
    y = wide_table(rng, sheet, values, look, 82, left=15, right=195)
    y = wide_totals(rng, sheet, truth, values, look, y + 3, right=195)
    sheet.text(15, y + 8, "This is a computer-generated invoice. No signature is required.", 8)
    sheet.text(15, y + 13, f"Payment to: {values.bank} A/C {ids.digits(rng, 12, first_nonzero=True)}", 8)
    return sheet.output(), truth, "invoice/tax-invoice-my" + ("/gst" if "GST" in look.words["tax_id"][0] else "/sst") + variant(values)


def draw_logo_meta_table(rng: random.Random, values: WideInvoiceValues, language: str) -> tuple[bytes, Truth, str]:
    """A big logo-like seller name top left with its address in small type, and the invoice values as a
    right-aligned two-column table with ruled cells."""
    look, sheet, truth = english_look(rng, values), Sheet(215.9 if values.region == "us" else 210, 279.4 if values.region == "us" else 297), Truth()
    right = sheet.width - 15
    sheet.colour(*look.accent)
    sheet.text(15, 14, truth.exact("vendor_name", values.seller.name), rng.choice((20, 22, 24)), True)
    sheet.colour(0, 0, 0)
    address = truth.put("vendor_address", values.seller.address_text, ", ".join(values.seller.address))
    sheet.text(15, 27, address, 8)
    sheet.text(right - 40, 38, rng.choice(("INVOICE", "Invoice")), 16, True)
    for index, (label, value) in enumerate(english_meta(rng, truth, values, look)):
        y = 47 + index * 6.5
        sheet.box(right - 80, y, 38, 6.5, fill=235, width=0.2)
        sheet.box(right - 42, y, 42, 6.5, width=0.2)
        sheet.text(right - 78, y + 1.6, label, 8.5, True)
        sheet.right(right - 2, y + 1.6, value, 9)
    bottom = party_lines(sheet, 15, 47, rng.choice(("Bill To", "Invoice To", "Customer")),
                         truth.exact("customer_name", values.buyer.name), values.buyer.address)
    y = wide_table(rng, sheet, values, look, max(bottom, 80) + 10, left=15, right=right)
    y = wide_totals(rng, sheet, truth, values, look, y + 3, right=right)
    english_payment(rng, sheet, truth, values, y + 8)
    if tax_line := seller_tax_line(rng, truth, values, look):
        sheet.rule(15, sheet.height - 20, right, sheet.height - 20, 0.15)
        sheet.text(15, sheet.height - 17, f"{values.seller.name} · {values.register} · {tax_line}", 7)
    return sheet.output(), truth, "invoice/logo-meta-table" + variant(values)


WIDE_LAYOUTS = {"de": ("din5008",), "fr": ("facture",),
                "en": ("din5008", "bill-ship", "bill-ship", "tax-invoice-my", "logo-meta-table", "logo-meta-table")}
"""The wide layouts drawn in each language, as often as they are listed."""
LAYOUT_DRAWERS = {"din5008": (("de",), draw_din5008), "facture": (("fr",), draw_facture),
                  "bill-ship": (("us", "uk", "sg"), draw_bill_ship), "tax-invoice-my": (("my",), draw_my_tax_invoice),
                  "logo-meta-table": (("uk", "us", "sg"), draw_logo_meta_table)}
"""Each wide layout's seller regions and its drawing function."""
