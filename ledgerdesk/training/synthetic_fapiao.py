"""Chinese VAT invoices drawn like the real forms: the paper 增值税专用发票 and 增值税普通发票 (发票代码, 发票号码,
开票日期, 校验码, 密码区, buyer above and seller below the goods table) and the fully digital 电子发票（增值税专用发票）/
（普通发票）(a 20-digit 发票号码, buyer and seller side by side, no 发票代码 or 校验码). Each has the goods table
项目名称/规格型号/单位/数量/单价/金额/税率/税额, the 合计 row and 价税合计（大写）in capital numerals with （小写）¥figure."""

from __future__ import annotations

import random

from ledgerdesk.training.synthetic_formats import canonical_amount, capital_amount, money, percent, printed_date
from ledgerdesk.training.synthetic_parties import phone
from ledgerdesk.training.synthetic_pdf import Sheet, Truth
from ledgerdesk.training.synthetic_values import FapiaoValues, Item

TITLES = {"special": "增值税专用发票", "normal": "增值税普通发票", "digital-special": "电子发票（增值税专用发票）",
          "digital-normal": "电子发票（普通发票）"}
PROVINCES = ("上海", "北京", "广东", "浙江", "江苏", "四川")
FORM_COLOUR = (140, 70, 30)
COLUMNS = ("项目名称", "规格型号", "单位", "数量", "单价", "金额", "税率", "税额")
COLUMN_EDGES = (12, 70, 95, 110, 128, 152, 182, 196, 228)
"""Left edges of the eight goods columns and the right edge of the last (mm on a 240 mm form)."""
CIPHER = "0123456789+-*/<>"
BANKS = ("中国工商银行", "中国建设银行", "招商银行", "交通银行", "中国银行")


def draw_fapiao(rng: random.Random, values: FapiaoValues) -> tuple[bytes, Truth, str]:
    """The invoice as a one-page form; its bytes, truth and layout name."""
    digital = values.kind.startswith("digital")
    sheet, truth = Sheet(240, 150, chinese=True), Truth()
    header(rng, sheet, truth, values)
    if digital:
        parties_side_by_side(sheet, truth, values, 38)
    else:
        party_row(rng, sheet, truth, values, "购买方", 34)
    y = goods_table(sheet, truth, values, 62 if digital else 58)
    y = amount_in_words(sheet, truth, values, y)
    if not digital:
        party_row(rng, sheet, truth, values, "销售方", y)
    signatures(sheet, values, 138)
    truth.put("currency", "CNY", "¥")
    return sheet.output(), truth, f"invoice/fapiao-{values.kind}"


def header(rng: random.Random, sheet: Sheet, truth: Truth, values: FapiaoValues) -> None:
    """Title in the middle, the invoice's numbers and date top right (code and number top left on paper)."""
    sheet.colour(*FORM_COLOUR)
    title = TITLES[values.kind] if values.kind.startswith("digital") else rng.choice(PROVINCES) + TITLES[values.kind]
    sheet.centred(10, title, 18)
    sheet.rule(85, 19, 155, 19, 0.3)
    sheet.rule(85, 20, 155, 20, 0.3)
    lines = [("发票号码", truth.put("invoice_number", values.number, values.number)),
             ("开票日期", truth.put("invoice_date", values.issued.isoformat(), printed_date(values.issued, "zh")))]
    if values.code:
        lines.insert(0, ("发票代码", truth.put("invoice_code", values.code, values.code)))
    if values.check_code:
        grouped = " ".join(values.check_code[i:i + 5] for i in range(0, 20, 5))
        lines.append(("校验码", truth.put("check_code", values.check_code, grouped)))
    for index, (label, value) in enumerate(lines):
        sheet.colour(*FORM_COLOUR)
        sheet.text(165, 8 + index * 5, f"{label}：", 8)
        sheet.colour(0, 0, 0)
        sheet.text(180, 8 + index * 5, value, 8)


def party_row(rng: random.Random, sheet: Sheet, truth: Truth, values: FapiaoValues, role: str, y: float) -> float:
    """A paper form's buyer (with 密码区 beside it) or seller row: 名称, 纳税人识别号, address and bank."""
    party = values.buyer if role == "购买方" else values.seller
    sheet.colour(*FORM_COLOUR)
    sheet.box(10, y, 220, 22, width=0.3)
    sheet.rule(18, y, 18, y + 22)
    for index, char in enumerate(role):
        sheet.text(12.5, y + 3 + index * 6, char, 9)
    prefix = "customer" if role == "购买方" else "vendor"
    rows = (("名        称", truth.put(f"{prefix}_name", party.name, party.name)),
            ("纳税人识别号", truth.put(f"{prefix}_tax_id", party.tax_id, party.tax_id)),
            ("地 址、电 话", f"{party.address[0]} {phone(rng, 'zh')}"),
            ("开户行及账号", f"{rng.choice(BANKS)}{party.address[0][:2]}分行 {rng.randint(10**15, 10**16 - 1)}"))
    for index, (label, value) in enumerate(rows):
        sheet.colour(*FORM_COLOUR)
        sheet.text(20, y + 1.5 + index * 5, f"{label}：", 8)
        sheet.colour(0, 0, 0)
        sheet.text(43, y + 1.5 + index * 5, value, 8)
    side_box(rng, sheet, y, "密码区" if role == "购买方" else "备注")
    return y + 22


def side_box(rng: random.Random, sheet: Sheet, y: float, label: str) -> None:
    """The 密码区 (four lines of cipher) or 备注 box at the right of a party row."""
    sheet.colour(*FORM_COLOUR)
    sheet.rule(150, y, 150, y + 22)
    sheet.rule(157, y, 157, y + 22)
    for index, char in enumerate(label):
        sheet.text(151.5, y + 3 + index * 6, char, 8)
    sheet.colour(0, 0, 0)
    if label == "密码区":
        for row in range(4):
            sheet.text(159, y + 1.5 + row * 5, "".join(rng.choice(CIPHER) for _ in range(27)), 8)


def parties_side_by_side(sheet: Sheet, truth: Truth, values: FapiaoValues, y: float) -> None:
    """The digital form's 购买方信息 and 销售方信息 boxes, each with 名称 and 统一社会信用代码/纳税人识别号."""
    for x, party, prefix, role in ((10, values.buyer, "customer", "购买方信息"), (120, values.seller, "vendor", "销售方信息")):
        sheet.colour(*FORM_COLOUR)
        sheet.box(x, y - 6, 110, 22, width=0.3)
        sheet.rule(x + 8, y - 6, x + 8, y + 16)
        for index, char in enumerate(role[:3]):
            sheet.text(x + 2.5, y - 3 + index * 6, char, 8)
        sheet.text(x + 10, y, "名称：", 8)
        sheet.text(x + 10, y + 7, "统一社会信用代码/纳税人识别号：", 8)
        sheet.colour(0, 0, 0)
        sheet.text(x + 20, y, truth.put(f"{prefix}_name", party.name, party.name), 8)
        sheet.text(x + 60, y + 7, truth.put(f"{prefix}_tax_id", party.tax_id, party.tax_id), 8)


def goods_table(sheet: Sheet, truth: Truth, values: FapiaoValues, y: float) -> float:
    """Header, one row per item, and the 合计 row with the sums of 金额 and 税额; returns the y below."""
    height = 8 + 6 * max(len(values.items), 3) + 7
    sheet.colour(*FORM_COLOUR)
    sheet.box(10, y, 220, height, width=0.3)
    for x, name in zip(COLUMN_EDGES, COLUMNS):
        sheet.text(x, y + 2, name, 8, align="C", width=_column_width(x))
    sheet.colour(0, 0, 0)
    for index, line in enumerate(values.items):
        goods_row(sheet, line, y + 9 + index * 6)
    total_y = y + height - 6
    sheet.colour(*FORM_COLOUR)
    sheet.text(20, total_y, "合        计", 8)
    sheet.colour(0, 0, 0)
    sheet.right(180, total_y, "¥" + truth.put("subtotal", canonical_amount(values.subtotal), money(values.subtotal, "plain")), 8)
    sheet.right(227, total_y, "¥" + truth.put("tax_amount", canonical_amount(values.tax), money(values.tax, "plain")), 8)
    truth.put("tax_rate", percent(values.tax_rate), percent(values.tax_rate) + "%")
    return y + height


def _column_width(x: float) -> float:
    index = COLUMN_EDGES.index(x)
    return COLUMN_EDGES[index + 1] - x


def goods_row(sheet: Sheet, line: Item, y: float) -> None:
    cells = (line.description, line.spec, line.unit, f"{line.quantity.normalize():f}", money(line.unit_price, "plain"),
             money(line.amount, "plain"), percent(line.tax_rate) + "%", money(line.tax_amount, "plain"))
    for index, (x, text) in enumerate(zip(COLUMN_EDGES, cells)):
        align = "L" if index < 3 else "R"
        sheet.text(x + 1, y, text, 8, align=align, width=_column_width(x) - 2)


def amount_in_words(sheet: Sheet, truth: Truth, values: FapiaoValues, y: float) -> float:
    """价税合计（大写）⊗ capital numerals, and （小写）¥ the figure."""
    sheet.colour(*FORM_COLOUR)
    sheet.box(10, y, 220, 9, width=0.3)
    sheet.text(14, y + 2.5, "价税合计（大写）", 9)
    sheet.text(150, y + 2.5, "（小写）", 9)
    sheet.colour(0, 0, 0)
    sheet.text(48, y + 2.5, "⊗" + capital_amount(values.total), 9)
    sheet.text(166, y + 2.5, "¥" + truth.put("total_amount", canonical_amount(values.total), money(values.total, "plain")), 9)
    return y + 9


def signatures(sheet: Sheet, values: FapiaoValues, y: float) -> None:
    sheet.colour(*FORM_COLOUR)
    if values.kind.startswith("digital"):
        sheet.text(20, y, f"开票人：{values.drawer}", 8)
        return
    for x, label, name in ((14, "收款人", values.payee), (70, "复核", values.reviewer), (126, "开票人", values.drawer)):
        sheet.text(x, y, f"{label}：{name}", 8)
    sheet.text(182, y, "销售方：（章）", 8)
