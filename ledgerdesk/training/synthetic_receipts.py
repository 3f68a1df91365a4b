"""Till receipts: 80 mm rolls as long as their content and A5 slips, Malaysian and Singapore (``RM``, GST ID, TAX
INVOICE), US (sales tax, tip), UK (VAT) and Chinese (收据/小票, 微信支付). A receipt is first written as rows (centred
text, text with an amount at the right edge, rules), recording the truth as it goes, then drawn on a page that fits."""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass

from ledgerdesk.training.synthetic_formats import canonical_amount, money, percent, printed_date, printed_time
from ledgerdesk.training.synthetic_parties import phone
from ledgerdesk.training.synthetic_pdf import Sheet, Truth
from ledgerdesk.training.synthetic_values import CURRENCY_SIGNS, ReceiptValues, side_stream

DATE_STYLES = {"my": ("dmy-slash", "d-mon-yy", "dmy-dash", "iso"), "sg": ("dmy-slash", "d-mon-y", "d-mon-yy"),
               "us": ("mdy-slash", "mon-d-y", "iso"), "uk": ("dmy-slash", "d-mon-y", "d-mon-yy"),
               "zh": ("zh", "iso")}
TAX_ID_LABELS = {"my": ("GST ID", "GST Reg No", "GST No"), "sg": ("GST Reg No", "GST Reg. No."),
                 "uk": ("VAT No", "VAT Reg No"), "us": ("Tax ID",)}
TAX_LABELS = {"my": ("GST {rate}%", "GST @{rate}%", "Tax {rate}%"), "sg": ("GST {rate}%",),
              "us": ("Sales Tax {rate}%", "Tax"), "uk": ("VAT {rate}%",)}
FOOTERS = ("THANK YOU, PLEASE COME AGAIN", "Thank you for shopping with us!", "Goods sold are not returnable",
           "Have a nice day")
ZH_FOOTERS = ("谢谢惠顾，欢迎再次光临", "请保留小票作为退换凭证", "如需发票请于当月开具")

Row = tuple
"""("centre", text, size, bold) | ("pair", left, right, size, bold) | ("cells", ((share, "L"|"R", text), ...), size,
bold) | ("rule",) | ("gap",)"""
ITEM_STYLES = ("article-above", "article-above", "table", "code-first")
"""How a receipt prints its items (``article-above`` twice as often as the others)."""
TABLE_HEADERS = (("Description", "Qty", "Price", "Amount"), ("ITEM", "QTY", "U/P", "AMOUNT"),
                 ("Item", "Qty", "Price", "Total"))
TABLE_CELLS = (0.0, 0.62, 0.8, 1.0)
"""Where the description starts and the quantity, price and amount end, as shares of the printable width."""
DESCRIPTION_CHARS = {True: 20, False: 40}
"""The characters of a description that fit its cell on a till roll (True) and on an A5 slip."""


@dataclass(frozen=True)
class ReceiptStyle:
    narrow: bool
    date_style: str
    time_style: str
    amount_sign: bool
    """Amounts printed with the currency sign (``RM 12.50``) or bare (``12.50``)."""
    items: str = "article-above"


def draw_receipt(rng: random.Random, values: ReceiptValues, items: str = "article-above") -> tuple[bytes, Truth, str]:
    """The receipt on a till roll or an A5 slip, its items printed as ``items`` says (``ITEM_STYLES``); its bytes,
    truth and layout name."""
    style = ReceiptStyle(rng.random() < 0.75, rng.choice(DATE_STYLES[values.region]),
                         rng.choice(("hm", "seconds", "12h" if values.region == "us" else "hm")), rng.random() < 0.4,
                         items)
    truth = Truth()
    rows = (chinese_rows if values.region == "zh" else receipt_rows)(rng, values, style, truth)
    width = 80 if style.narrow else 148
    sheet = Sheet(width, max(24 + len(rows) * 4.6, 100 if style.narrow else 210), chinese=values.region == "zh")
    render(sheet, rows, 4 if style.narrow else 18)
    layout = f"receipt/{'roll-80mm' if style.narrow else 'a5'}-{values.region}"
    return sheet.output(), truth, layout + ("" if items == "article-above" else f"/{items}")


def render(sheet: Sheet, rows: list[Row], margin: float) -> None:
    y = 8.0
    for row in rows:
        if row[0] == "centre":
            sheet.centred(y, row[1], row[2], row[3])
        elif row[0] == "pair":
            sheet.text(margin, y, row[1], row[3], row[4])
            sheet.right(sheet.width - margin, y, row[2], row[3], row[4])
        elif row[0] == "cells":
            cells(sheet, row, margin, y)
        elif row[0] == "rule":
            sheet.rule(margin, y + 1.8, sheet.width - margin, y + 1.8, 0.2)
        y += 4.6 if row[0] != "gap" else 2.5


def cells(sheet: Sheet, row: Row, margin: float, y: float) -> None:
    """A table row: each cell at a share of the printable width, left-aligned from there or right-aligned to it."""
    _, placed, size, bold = row
    for share, align, text in placed:
        x = margin + share * (sheet.width - 2 * margin)
        if align == "R":
            sheet.right(x, y, text, size, bold)
        else:
            sheet.text(x, y, text, size, bold)


def shown(values: ReceiptValues, style: ReceiptStyle, amount) -> str:
    text = money(amount, "en")
    return f"{CURRENCY_SIGNS[values.currency]}{' ' if values.currency == 'MYR' else ''}{text}" if style.amount_sign else text


def receipt_rows(rng: random.Random, values: ReceiptValues, style: ReceiptStyle, truth: Truth) -> list[Row]:
    rows = head_rows(rng, values, style, truth) + [("rule",)]
    rows += ITEM_ROWS[style.items](side_stream(rng, "receipt-item-rows"), values, style)
    return rows + [("rule",)] + total_rows(rng, values, style, truth) + [("gap",), ("centre", rng.choice(FOOTERS), 7, False)]


def article_above_rows(rng: random.Random, values: ReceiptValues, style: ReceiptStyle) -> list[Row]:
    """Each article on a line of its own, ``2 x 3.50`` and the amount on the line below."""
    rows: list[Row] = []
    for line in values.items:
        rows.append(("pair", line.description, "", 8, False))
        rows.append(("pair", f"  {line.quantity} x {money(line.unit_price)}", money(line.amount), 8, False))
    return rows


def table_rows(rng: random.Random, values: ReceiptValues, style: ReceiptStyle) -> list[Row]:
    """A header and one row per article (description, quantity, price, amount), a long description wrapping onto
    the lines below its row."""
    header, decimal_quantity = rng.choice(TABLE_HEADERS), rng.random() < 0.5
    rows = [table_row(header, bold=True)]
    for line in values.items:
        first, *more = textwrap.wrap(line.description, DESCRIPTION_CHARS[style.narrow])
        quantity = f"{line.quantity}.0" if decimal_quantity else str(line.quantity)
        rows.append(table_row((first, quantity, money(line.unit_price), money(line.amount))))
        rows += [("cells", ((0.0, "L", text),), 7.5, False) for text in more]
    return rows


def code_first_rows(rng: random.Random, values: ReceiptValues, style: ReceiptStyle) -> list[Row]:
    """A shop's till: the article's barcode with quantity, price and amount (and a tax code), its name below."""
    code, rows = rng.choice(("SR", "ZR", "")), [table_row(rng.choice(TABLE_HEADERS), bold=True)]
    for line in values.items:
        barcode = "".join(rng.choice("0123456789") for _ in range(13))
        amount = f"{money(line.amount)} {code}".strip()
        rows.append(table_row((barcode, str(line.quantity), money(line.unit_price), amount)))
        rows.append(("cells", ((0.03, "L", line.description),), 7.5, False))
    return rows


def table_row(texts: tuple[str, str, str, str], bold: bool = False) -> Row:
    """Description, quantity, price and amount in the table's cells."""
    return "cells", tuple(zip(TABLE_CELLS, "LRRR", texts)), 7.5, bold


def head_rows(rng: random.Random, values: ReceiptValues, style: ReceiptStyle, truth: Truth) -> list[Row]:
    """Merchant, address, tax ID, receipt number, date and time."""
    merchant = values.merchant
    rows: list[Row] = [("centre", truth.put("merchant_name", merchant.name, merchant.name), 11, True)]
    rows += [("centre", line, 7.5, False) for line in merchant.address]
    truth.put("merchant_address", merchant.address_text, merchant.address_text)
    if merchant.tax_id and values.region in TAX_ID_LABELS and values.region != "us":
        label = rng.choice(TAX_ID_LABELS[values.region])
        rows.append(("centre", f"{label}: {truth.put('merchant_tax_id', merchant.tax_id, merchant.tax_id)}", 7.5, False))
    rows.append(("centre", f"Tel: {phone(rng, values.region)}", 7.5, False))
    if values.region in ("my", "sg"):
        rows.append(("centre", "TAX INVOICE", 9, True))
    day = truth.put("transaction_date", values.issued.isoformat(), printed_date(values.issued, style.date_style))
    moment = truth.put("transaction_time", f"{values.at:%H:%M}", printed_time(values.at, style.time_style))
    rows.append(("pair", f"Receipt #: {values.number}", f"Cashier: {values.cashier.split()[0]}", 7.5, False))
    rows.append(("pair", f"Date: {day}", f"Time: {moment}", 7.5, False))
    return rows


def total_rows(rng: random.Random, values: ReceiptValues, style: ReceiptStyle, truth: Truth) -> list[Row]:
    """Subtotal, tax, tip, total and how it was paid."""
    put = lambda name, amount: truth.put(name, canonical_amount(amount), shown(values, style, amount))  # noqa: E731
    rows: list[Row] = [("pair", "Subtotal", put("subtotal", values.subtotal), 8, False)]
    if values.tax_rate is not None:
        rate = truth.put("tax_rate", percent(values.tax_rate), percent(values.tax_rate))
        rows.append(("pair", rng.choice(TAX_LABELS[values.region]).format(rate=rate), put("tax_amount", values.tax), 8, False))
    if values.tip:
        rows.append(("pair", "Tip", put("tip", values.tip), 8, False))
    code = CURRENCY_SIGNS[values.currency] if values.currency != "USD" else "USD"
    total_label = f"TOTAL ({code})" if not style.amount_sign else "TOTAL"
    truth.put("currency", values.currency, code if not style.amount_sign else CURRENCY_SIGNS[values.currency])
    rows.append(("pair", total_label, put("total_amount", values.total), 10, True))
    rows.append(("pair", truth.put("payment_method", values.payment, values.payment), money(values.total), 8, False))
    return rows


def chinese_rows(rng: random.Random, values: ReceiptValues, style: ReceiptStyle, truth: Truth) -> list[Row]:
    """A Chinese 小票: store, address, 单号 and time, a 品名/数量/金额 list, 合计 and 实收 by 微信支付 and the like."""
    merchant = values.merchant
    rows: list[Row] = [("centre", truth.put("merchant_name", merchant.name, merchant.name), 11, True),
                       ("centre", rng.choice(("收据", "购物小票", "结账单")), 9, False),
                       ("centre", truth.put("merchant_address", merchant.address_text, merchant.address_text), 7.5, False)]
    day = truth.put("transaction_date", values.issued.isoformat(), printed_date(values.issued, style.date_style))
    moment = truth.put("transaction_time", f"{values.at:%H:%M}", printed_time(values.at, style.time_style))
    rows += [("pair", f"单号：{values.number}", f"收银员：{values.cashier}", 7.5, False),
             ("pair", f"日期：{day}", moment, 7.5, False), ("rule",), ("pair", "品名  数量×单价", "金额", 8, True)]
    for line in values.items:
        rows.append(("pair", f"{line.description} {line.quantity}×{money(line.unit_price)}", money(line.amount), 8, False))
    total = truth.put("total_amount", canonical_amount(values.total), money(values.total))
    truth.put("currency", "CNY", "¥")
    rows += [("rule",), ("pair", "合计", f"¥{total}", 10, True),
             ("pair", f"实收（{truth.put('payment_method', values.payment, values.payment)}）", f"¥{total}", 8, False),
             ("pair", "找零", "¥0.00", 8, False), ("gap",), ("centre", rng.choice(ZH_FOOTERS), 7.5, False)]
    return rows


ITEM_ROWS = {"article-above": article_above_rows, "table": table_rows, "code-first": code_first_rows}
