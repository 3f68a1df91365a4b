"""Documents for the classifier to tell apart from the ones with fields: bank account statements (opening balance,
dated transactions with running balance, closing balance) and ``other`` paperwork: letters, memos, delivery notes,
purchase orders, price lists and meeting minutes, in English and Chinese. Their ``fields`` stay empty."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from ledgerdesk.training import synthetic_ids as ids
from ledgerdesk.training.synthetic_formats import money, printed_date
from ledgerdesk.training.synthetic_parties import company, company_name, person
from ledgerdesk.training.synthetic_pdf import Sheet, Truth
from ledgerdesk.training.synthetic_values import EN_GOODS, ZH_GOODS, price, some_date

BANKS = {"en": ("Harbour Bank plc", "First Meridian Bank", "Atlas Savings Bank", "Crown Commercial Bank"),
         "zh": ("中国工商银行", "招商银行", "中国建设银行", "交通银行")}
BOOKINGS = {"en": (("Card payment {w}", -1), ("Direct debit {w}", -1), ("Transfer from {w}", 1),
                   ("Salary {w}", 1), ("ATM withdrawal", -1), ("Standing order rent", -1), ("Bank charges", -1)),
            "zh": (("转账收入 {w}", 1), ("快捷支付 {w}", -1), ("代发工资", 1), ("ATM取款", -1), ("手续费", -1),
                   ("网银转出 {w}", -1))}
LETTER_BODIES = {
    "en": ("Thank you for your letter regarding our recent delivery. We have reviewed the matter and confirm that "
           "the replacement parts will be dispatched next week. Please do not hesitate to contact us if you have "
           "any further questions.",
           "We are pleased to inform you that our office will move to a new address from the first of next month. "
           "All contact numbers remain unchanged. We look forward to continuing our cooperation.",
           "Please find enclosed the signed copy of the framework agreement for your records. Kindly return the "
           "countersigned copy at your earliest convenience."),
    "zh": ("感谢贵公司一直以来的支持与合作。我司办公地址将于下月起迁至新址，联系电话保持不变，特此函告。",
           "关于贵方来函所述的交货延迟问题，我司已进行核查，将于下周安排补发货物，由此带来的不便敬请谅解。",
           "现将双方签署的框架协议正本寄送贵方，请查收并于收到后尽快回寄盖章副本。"),
}
MEMO_TOPICS = {"en": ("Office closure over the holidays", "New travel booking procedure", "Quarter-end closing timetable",
                      "Fire drill on Thursday", "Updated expense policy"),
               "zh": ("关于节假日值班安排的通知", "关于规范差旅报销的通知", "关于季度结账时间安排的通知", "关于消防演练的通知")}
MINUTES_POINTS = {"en": ("Budget review for the next quarter was discussed and approved.",
                         "The vendor onboarding backlog will be cleared by the end of the month.",
                         "IT will roll out the new scanning workflow to all sites.",
                         "Action: Finance to circulate the revised closing calendar.",
                         "Next meeting scheduled in two weeks."),
                  "zh": ("讨论并通过了下季度预算方案。", "供应商准入积压问题将于月底前处理完毕。", "信息部将在各分部推广新的扫描流程。",
                         "财务部负责发布修订后的结账日程。", "下次会议定于两周后召开。")}
KINDS = ("letter", "memo", "delivery-note", "purchase-order", "price-list", "minutes")


def draw_statement(rng: random.Random, language: str) -> tuple[bytes, Truth, str]:
    """A printed account statement for a month; its bytes, (empty) truth and layout name."""
    zh, sheet = language == "zh", Sheet(210, 297, chinese=language == "zh")
    holder, start = company(rng, "zh" if zh else rng.choice(("uk", "us", "de", "sg"))), some_date(rng)
    account = ids.iban_number(rng, rng.choice(("GB", "DE", "NL"))) if not zh else ids.digits(rng, 19, True)
    sheet.text(15, 14, rng.choice(BANKS[language]), 16, True)
    sheet.text(15, 24, "账户交易明细 / 对账单" if zh else "Account Statement", 13, True)
    lines = ((f"户名：{holder.name}", f"账号：{account}", "币种：人民币") if zh else
             (holder.name, *holder.address, f"Account: {ids.grouped(account)}"))
    for index, line in enumerate(lines):
        sheet.text(15, 34 + index * 5, line, 9)
    balance = Decimal(rng.randint(1000, 90000)) + Decimal(rng.randint(0, 99)) / 100
    style = "zh" if zh else rng.choice(("dmy-slash", "d-mon-y", "iso"))
    y = statement_table(rng, sheet, language, start, balance, style, 40 + len(lines) * 5)
    sheet.text(15, y + 8, "本对账单仅供参考，如有疑问请联系开户行。" if zh else
               "Please check this statement and report any discrepancy within 30 days.", 8)
    return sheet.output(), Truth(), f"bank_statement/{'zh' if zh else 'running-balance'}"


def statement_table(rng: random.Random, sheet: Sheet, language: str, start, balance: Decimal, style: str,
                    y: float) -> float:
    """Opening balance, transactions with their running balance, closing balance; returns the y below."""
    zh = language == "zh"
    titles = ("日期", "摘要", "支出", "收入", "余额") if zh else ("Date", "Description", "Paid out", "Paid in", "Balance")
    sheet.shade(15, y - 1, 180, 7)
    for x, title in zip((16, 45, 125, 152, 179), titles):
        sheet.text(x, y, title, 8.5, True)
    sheet.text(45, y + 7, f"{'期初余额' if zh else 'Opening balance'}", 8.5)
    sheet.right(194, y + 7, money(balance), 8.5)
    y, day = y + 13, start
    for _ in range(rng.randint(6, 24)):
        day += timedelta(days=rng.randint(0, 3))
        text, sign = rng.choice(BOOKINGS[language])
        amount = price(rng, 5, 3000)
        balance += sign * amount
        sheet.text(16, y, printed_date(day, style), 8)
        sheet.text(45, y, text.format(w=company_name(rng, "zh" if zh else "uk")[:28]), 8)
        sheet.right(146 if sign < 0 else 173, y, money(amount), 8)
        sheet.right(194, y, money(balance), 8)
        y += 5.5
    sheet.rule(15, y, 195, y, 0.3)
    sheet.text(45, y + 2, "期末余额" if zh else "Closing balance", 9, True)
    sheet.right(194, y + 2, money(balance), 9, True)
    return y + 8


def draw_other(rng: random.Random, language: str) -> tuple[bytes, Truth, str]:
    """A letter, memo, delivery note, purchase order, price list or minutes; bytes, (empty) truth, layout."""
    kind, zh = rng.choice(KINDS), language == "zh"
    sheet = Sheet(210, 297, chinese=zh)
    sender = company(rng, "zh" if zh else rng.choice(("uk", "us", "my", "sg")))
    sheet.text(15, 14, sender.name, 14, True)
    sheet.text(15, 22, " ".join(sender.address), 8)
    OTHER_DRAWERS[kind](rng, sheet, language, 36)
    return sheet.output(), Truth(), f"other/{kind}"


def _letter(rng: random.Random, sheet: Sheet, language: str, y: float) -> None:
    zh = language == "zh"
    recipient = company(rng, "zh" if zh else "uk")
    sheet.text(15, y, recipient.name, 10)
    sheet.text(15, y + 10, printed_date(some_date(rng), "zh" if zh else "d-month-y"), 9)
    sheet.text(15, y + 22, "尊敬的客户：" if zh else "Dear Sir or Madam,", 10)
    sheet.paragraph(15, y + 30, 180, rng.choice(LETTER_BODIES[language]), 10)
    sheet.text(15, y + 70, "此致 敬礼" if zh else "Yours faithfully,", 10)
    sheet.text(15, y + 80, person(rng, zh), 10)


def _memo(rng: random.Random, sheet: Sheet, language: str, y: float) -> None:
    zh = language == "zh"
    sheet.text(15, y, "内部通知" if zh else "MEMORANDUM", 16, True)
    rows = (("发文", "行政部"), ("主题", rng.choice(MEMO_TOPICS[language]))) if zh else (
        ("To", "All staff"), ("From", person(rng)), ("Subject", rng.choice(MEMO_TOPICS[language])))
    for index, (label, value) in enumerate(rows):
        sheet.text(15, y + 12 + index * 6, f"{label}: {value}", 10)
    sheet.paragraph(15, y + 40, 180, " ".join(rng.sample(MINUTES_POINTS[language], 3)), 10)


def _goods_rows(rng: random.Random, language: str) -> list[tuple[str, str]]:
    """(description, unit) of a few goods."""
    if language == "zh":
        return [(entry[0], entry[1]) for entry in rng.sample(ZH_GOODS["13"], 4)]
    return [(entry[0], entry[1]) for entry in rng.sample(EN_GOODS, 5)]


def _listing(rng: random.Random, sheet: Sheet, language: str, y: float, title: str, columns: tuple[str, ...],
             priced: bool) -> None:
    """A titled table of goods with quantities and, for orders and price lists, prices."""
    sheet.text(15, y, title, 16, True)
    day = printed_date(some_date(rng), "zh" if language == "zh" else "iso")
    sheet.text(15, y + 10, f"No. {rng.randint(10000, 99999)}   {day}", 9)
    for x, column in zip((15, 110, 140, 170), columns):
        sheet.text(x, y + 22, column, 9, True)
    for index, (description, unit) in enumerate(_goods_rows(rng, language)):
        row_y = y + 29 + index * 6
        sheet.text(15, row_y, description, 9)
        sheet.text(110, row_y, str(rng.randint(1, 40)), 9)
        sheet.text(140, row_y, unit, 9)
        if priced:
            sheet.text(170, row_y, money(price(rng, 5, 500)), 9)


def _delivery_note(rng: random.Random, sheet: Sheet, language: str, y: float) -> None:
    titles = ("送货单", ("品名", "数量", "单位", "签收")) if language == "zh" else (
        "DELIVERY NOTE", ("Item", "Qty", "Unit", "Received"))
    _listing(rng, sheet, language, y, titles[0], titles[1], False)


def _purchase_order(rng: random.Random, sheet: Sheet, language: str, y: float) -> None:
    titles = ("采购订单", ("品名", "数量", "单位", "单价")) if language == "zh" else (
        "PURCHASE ORDER", ("Item", "Qty", "Unit", "Unit price"))
    _listing(rng, sheet, language, y, titles[0], titles[1], True)


def _price_list(rng: random.Random, sheet: Sheet, language: str, y: float) -> None:
    titles = ("价格表", ("品名", "起订量", "单位", "单价")) if language == "zh" else (
        "PRICE LIST", ("Item", "Min. qty", "Unit", "Price"))
    _listing(rng, sheet, language, y, titles[0], titles[1], True)


def _minutes(rng: random.Random, sheet: Sheet, language: str, y: float) -> None:
    zh = language == "zh"
    sheet.text(15, y, "会议纪要" if zh else "Minutes of Meeting", 16, True)
    attendees = "、".join(person(rng, True) for _ in range(4)) if zh else ", ".join(person(rng) for _ in range(4))
    sheet.text(15, y + 12, f"{'参会人员' if zh else 'Attendees'}: {attendees}", 9)
    for index, point in enumerate(rng.sample(MINUTES_POINTS[language], 4), 1):
        sheet.text(15, y + 22 + index * 7, f"{index}. {point}", 10)


OTHER_DRAWERS = {"letter": _letter, "memo": _memo, "delivery-note": _delivery_note,
                 "purchase-order": _purchase_order, "price-list": _price_list, "minutes": _minutes}
