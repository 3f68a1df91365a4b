"""The values of synthetic invoices and receipts, before anything is drawn: parties, line items that sum to the
subtotal, tax at the region's rate rounded half up, totals, dates and terms. Pure: a ``random.Random`` and a
region in, a plain frozen dataclass out."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from decimal import Decimal

from core.money import round_money
from ledgerdesk.training import synthetic_ids as ids
from ledgerdesk.training.synthetic_parties import Party, company, person

CURRENCIES = {"us": "USD", "uk": "GBP", "nl": "EUR", "fr": "EUR", "at": "EUR", "ie": "EUR", "de": "EUR",
              "my": "MYR", "sg": "SGD", "zh": "CNY"}
CURRENCY_SIGNS = {"USD": "$", "GBP": "£", "EUR": "€", "MYR": "RM", "SGD": "S$", "CNY": "¥"}
TAX_RATES = {"us": ("6", "7.25", "8.25", "8.875", "7.5"), "uk": ("20",), "nl": ("21", "9"), "fr": ("20", "10"),
             "at": ("20", "10"), "ie": ("23", "13.5"), "de": ("19", "7"), "my": ("6", "8"), "sg": ("9", "8"),
             "zh": ("13", "9", "6", "3")}
IBAN_COUNTRIES = {"uk": "GB", "nl": "NL", "fr": "FR", "at": "AT", "ie": "IE", "de": "DE"}
EN_GOODS = (
    ("Printer paper A4 80g (box)", "box", 18, 35), ("Toner cartridge black", "pc", 45, 120),
    ("Consulting services", "h", 80, 180), ("Software licence (annual)", "pc", 200, 1200),
    ("Office chair, ergonomic", "pc", 120, 450), ("Freight charges", "lot", 25, 300),
    ("Maintenance visit", "visit", 90, 250), ("Cleaning services - monthly", "month", 300, 1500),
    ("USB-C docking station", "pc", 90, 220), ("Cloud hosting (monthly)", "month", 50, 600),
    ("Graphic design work", "h", 60, 140), ("Catering - lunch buffet", "person", 12, 35),
    ("Network cable Cat6 5m", "pc", 4, 15), ("Training workshop", "day", 600, 1800),
    ("Pallet of A4 envelopes", "pallet", 150, 400), ("Laptop stand, aluminium", "pc", 25, 70),
)
DE_GOODS = (
    ("Kopierpapier A4 80g (Karton)", "Karton", 18, 35), ("Tonerkartusche schwarz", "Stk.", 45, 120),
    ("Beratungsleistung", "Std.", 80, 180), ("Softwarelizenz (jährlich)", "Stk.", 200, 1200),
    ("Bürostuhl ergonomisch", "Stk.", 120, 450), ("Frachtkosten", "pauschal", 25, 300),
    ("Wartung vor Ort", "Einsatz", 90, 250), ("Unterhaltsreinigung monatlich", "Monat", 300, 1500),
    ("Dockingstation USB-C", "Stk.", 90, 220), ("Schulung Buchhaltung", "Tag", 600, 1800),
    ("Netzwerkkabel Cat6 5 m", "Stk.", 4, 15), ("Grafikdesign", "Std.", 60, 140),
)
ZH_GOODS = {
    "13": (("*纸制品*复印纸A4", "箱", "70g", 80, 260), ("*办公设备*激光打印机", "台", "M232dw", 900, 3200),
           ("*计算机配套产品*固态硬盘", "个", "1TB", 300, 900), ("*电子元件*电容器", "个", "100uF", 1, 8),
           ("*家具*办公椅", "把", "", 300, 1200), ("*通信设备*无线路由器", "台", "AX3000", 200, 700)),
    "9": (("*运输服务*国内货物运输", "次", "", 300, 5000), ("*建筑服务*装修工程", "项", "", 5000, 60000),
          ("*农产品*大米", "千克", "5kg", 5, 12)),
    "6": (("*信息技术服务*软件维护服务", "次", "", 2000, 30000), ("*现代服务*咨询服务费", "项", "", 3000, 50000),
          ("*餐饮服务*餐费", "次", "", 200, 3000), ("*会议服务*会议服务费", "次", "", 1000, 20000),
          ("*住宿服务*住宿费", "晚", "", 300, 900)),
    "3": (("*劳务*保洁服务", "月", "", 2000, 8000), ("*印刷品*宣传册印刷", "本", "A4", 3, 20)),
}
EN_TERMS = ("Net 30", "30 days net", "Net 14", "Payment due within 30 days", "Due on receipt", "Net 60")
DE_TERMS = ("Zahlbar innerhalb 14 Tagen", "Zahlbar innerhalb 30 Tagen ohne Abzug", "Zahlbar sofort ohne Abzug")
TERM_DAYS = {"Net 30": 30, "30 days net": 30, "Net 14": 14, "Payment due within 30 days": 30, "Due on receipt": 0,
             "Net 60": 60, "Zahlbar innerhalb 14 Tagen": 14, "Zahlbar innerhalb 30 Tagen ohne Abzug": 30,
             "Zahlbar sofort ohne Abzug": 0}
ITEM_DETAILS = {
    "en": ("incl. delivery and installation on site", "as per quotation Q-{n} of last month",
           "including travel time and expenses", "for the period up to the end of the quarter",
           "delivered to the goods-in entrance, second floor"),
    "de": ("inkl. Lieferung und Montage vor Ort", "gemäß Angebot Nr. {n} vom Vormonat",
           "einschließlich Fahrtzeit und Auslagen", "für den Zeitraum bis zum Quartalsende"),
    "fr": ("y compris livraison et installation sur site", "selon devis n° {n} du mois dernier",
           "frais de déplacement inclus", "pour la période jusqu'à la fin du trimestre"),
}
"""What an invoice line may say after the article, making its description wrap onto a second line."""
DETAILED_SHARE = 0.25


def side_stream(rng: random.Random, purpose: str) -> random.Random:
    """A generator seeded from ``rng``'s state without drawing from it: a choice added later (such as whether to
    draw a wide layout) leaves ``rng``'s draws, and so every document that does not take the new branch, as they
    were."""
    return random.Random(f"{purpose}:{rng.getstate()[1][:8]}")


@dataclass(frozen=True)
class Item:
    """One line of an invoice or a receipt; ``amount`` is quantity x unit price rounded half up."""

    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal
    spec: str = ""
    tax_rate: Decimal | None = None
    tax_amount: Decimal | None = None


@dataclass(frozen=True)
class InvoiceValues:
    region: str
    number: str
    issued: date
    due: date | None
    seller: Party
    buyer: Party
    iban: str | None
    po_number: str | None
    currency: str
    items: tuple[Item, ...]
    tax_rate: Decimal
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    terms: str | None


def some_date(rng: random.Random, first: int = 2018, last: int = 2025) -> date:
    return date(first, 1, 1) + timedelta(days=rng.randrange((date(last, 12, 31) - date(first, 1, 1)).days))


def price(rng: random.Random, low: float, high: float) -> Decimal:
    """A unit price between ``low`` and ``high``, often a round or a .99 one."""
    value = Decimal(str(round(rng.uniform(low, high), 2)))
    shape = rng.random()
    if shape < 0.3:
        return Decimal(int(value))
    return Decimal(int(value)) + Decimal("0.99") if shape < 0.45 else value


def quantity(rng: random.Random, unit: str) -> Decimal:
    if unit in ("h", "Std.") and rng.random() < 0.5:
        return Decimal(rng.randint(2, 40)) / 2
    return Decimal(rng.choice((1, 1, 1, 2, 3, 4, 5, 10, 12, 20)))


def item(rng: random.Random, description: str, unit: str, low: float, high: float, spec: str = "") -> Item:
    qty, unit_price = quantity(rng, unit), price(rng, low, high)
    return Item(description, qty, unit, unit_price, round_money(qty * unit_price), spec)


def with_details(rng: random.Random, items: tuple[Item, ...], language: str) -> tuple[Item, ...]:
    """``items`` of which about one in ``DETAILED_SHARE`` says more than the article (``ITEM_DETAILS``)."""
    details = ITEM_DETAILS.get(language, ())
    return tuple(replace(line, description=f"{line.description}, {rng.choice(details).format(n=rng.randint(1000, 9999))}")
                 if details and rng.random() < DETAILED_SHARE else line for line in items)


RECEIPT_EXTRAS = ("with extra egg", "take away", "promo pack", "large", "family size", "refill")
"""What a shop's till adds to an article's name, making it wrap in a narrow column."""


def with_extras(rng: random.Random, items: tuple[Item, ...]) -> tuple[Item, ...]:
    """``items`` of which about a third say more than the article (``RECEIPT_EXTRAS``)."""
    return tuple(replace(line, description=f"{line.description} {rng.choice(RECEIPT_EXTRAS)}")
                 if rng.random() < 0.35 else line for line in items)


def invoice_items(rng: random.Random, catalogue: tuple, count: int) -> tuple[Item, ...]:
    return tuple(item(rng, *entry) for entry in rng.sample(catalogue, count))


def tax_of(base: Decimal, rate: Decimal) -> Decimal:
    return round_money(base * rate / 100)


def invoice_values(rng: random.Random, region: str) -> InvoiceValues:
    """An invoice of a seller in ``region`` (not ``zh``: see ``fapiao_values``)."""
    seller, buyer = company(rng, region), company(rng, rng.choice((region, region, "uk", "de", "nl")))
    items = invoice_items(rng, DE_GOODS if region in ("de", "at") else EN_GOODS, rng.randint(1, 6))
    rate = Decimal(rng.choice(TAX_RATES[region]))
    subtotal = sum((i.amount for i in items), Decimal("0.00"))
    terms = rng.choice(DE_TERMS if region == "de" else EN_TERMS)
    issued = some_date(rng)
    return InvoiceValues(
        region, invoice_number(rng, region, issued), issued, issued + timedelta(days=TERM_DAYS[terms]), seller,
        buyer, ids.iban_number(rng, IBAN_COUNTRIES[region]) if region in IBAN_COUNTRIES else None,
        f"PO-{rng.randint(10000, 99999)}" if rng.random() < 0.5 else None, CURRENCIES[region], items, rate,
        subtotal, tax_of(subtotal, rate), subtotal + tax_of(subtotal, rate), terms)


def invoice_number(rng: random.Random, region: str, issued: date) -> str:
    shapes = (f"INV-{issued.year}-{rng.randint(1, 9999):04d}", f"{rng.randint(10000, 999999)}",
              f"RE{issued:%y}{rng.randint(1000, 99999)}", f"{issued:%Y%m}-{rng.randint(1, 999):03d}",
              f"SI/{issued:%y}/{rng.randint(100, 9999)}", f"A{rng.randint(100000, 999999)}")
    return rng.choice(shapes[2:4] if region == "de" else shapes)


def fapiao_items(rng: random.Random, rate: str) -> tuple[Item, ...]:
    """Lines of a Chinese VAT invoice, each with its own tax; drawn again until the lines' taxes add up to the tax
    on their sum, as the form's 合计 row shows both."""
    while True:
        chosen = [item(rng, *_zh_entry(entry)) for entry in rng.sample(ZH_GOODS[rate], rng.randint(1, min(3, len(ZH_GOODS[rate]))))]
        lines = tuple(Item(i.description, i.quantity, i.unit, i.unit_price, i.amount, i.spec, Decimal(rate),
                           tax_of(i.amount, Decimal(rate))) for i in chosen)
        if sum(i.tax_amount for i in lines) == tax_of(sum(i.amount for i in lines), Decimal(rate)):
            return lines


def _zh_entry(entry: tuple) -> tuple:
    description, unit, spec, low, high = entry
    return description, unit, low, high, spec


@dataclass(frozen=True)
class FapiaoValues:
    kind: str
    """``special`` (增值税专用发票), ``normal`` (增值税普通发票), ``digital-special`` or ``digital-normal`` (数电票)."""
    code: str | None
    number: str
    check_code: str | None
    issued: date
    seller: Party
    buyer: Party
    items: tuple[Item, ...]
    tax_rate: Decimal
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    payee: str
    reviewer: str
    drawer: str


def fapiao_values(rng: random.Random) -> FapiaoValues:
    kind = rng.choice(("special", "normal", "digital-special", "digital-normal"))
    digital, rate = kind.startswith("digital"), rng.choice(TAX_RATES["zh"])
    items, issued = fapiao_items(rng, rate), some_date(rng, 2019 if not kind.startswith("digital") else 2022)
    subtotal = sum((i.amount for i in items), Decimal("0.00"))
    tax = sum((i.tax_amount for i in items), Decimal("0.00"))
    code = None if digital else ids.digits(rng, rng.choice((10, 12)), first_nonzero=True)
    number = f"{issued:%y}{ids.digits(rng, 18)}" if digital else ids.digits(rng, 8)
    return FapiaoValues(kind, code, number, None if digital else ids.digits(rng, 20), issued,
                        company(rng, "zh"), company(rng, "zh"), items, Decimal(rate), subtotal, tax, subtotal + tax,
                        person(rng, True), person(rng, True), person(rng, True))


MERCHANTS = {
    "my": ("KEDAI MAKAN {w}", "{w} MART SDN BHD", "RESTORAN {w}", "{w} HARDWARE SDN BHD", "99 SPEEDMART {w}"),
    "sg": ("{w} Kopitiam", "{w} Bakery Pte Ltd", "{w} Mini Mart", "Cafe {w}"),
    "us": ("{w} Diner", "{w} Coffee Co.", "{w} Market", "The {w} Grill", "{w} Hardware"),
    "uk": ("{w} Café", "{w} Books Ltd", "The {w} Arms", "{w} Stationers"),
    "zh": ("{w}便利店（徐汇店）", "{w}超市", "{w}餐厅", "{w}咖啡", "{w}文具店"),
}
MERCHANT_WORDS = {"my": ("SINAR", "MUTIARA", "HARMONI", "SERI", "JAYA", "BINTANG"),
                  "zh": ("全家", "好德", "美宜佳", "永辉", "星巴克", "罗森", "晨光")}
RECEIPT_GOODS = {
    "en": (("Coffee latte", 3.5, 6.5), ("Nasi lemak ayam", 6, 14), ("Teh tarik", 1.8, 3.5), ("Mineral water 1.5L", 1, 3),
           ("Bread loaf", 2, 5), ("Chicken rice", 5, 9), ("Notebook A5", 2, 8), ("Ballpoint pen (10)", 3, 9),
           ("Sandwich", 4, 9), ("Orange juice", 2.5, 5), ("Batteries AA x4", 4, 12), ("Cheeseburger", 6, 13),
           ("Fries large", 2.5, 5), ("Iced tea", 2, 4.5), ("Screws 4x40 (100)", 3, 8), ("Masking tape", 2, 6)),
    "zh": (("矿泉水550ml", 2, 4), ("咖啡拿铁", 18, 38), ("三明治", 8, 18), ("笔记本A5", 5, 20), ("中性笔", 2, 8),
           ("牛奶250ml", 3, 7), ("面包", 5, 15), ("饭团", 6, 10), ("茶饮料", 3, 7), ("打印纸", 20, 40)),
}
PAYMENTS = {"my": ("CASH", "VISA", "MASTERCARD", "Touch 'n Go eWallet", "GrabPay"),
            "sg": ("NETS", "CASH", "VISA", "PayNow"), "us": ("VISA", "Mastercard", "AMEX", "Cash", "Debit"),
            "uk": ("Contactless", "Visa Debit", "Cash", "Mastercard"), "zh": ("微信支付", "支付宝", "现金", "银联卡")}


@dataclass(frozen=True)
class ReceiptValues:
    region: str
    merchant: Party
    issued: date
    at: time
    currency: str
    items: tuple[Item, ...]
    tax_rate: Decimal | None
    subtotal: Decimal
    tax: Decimal
    tip: Decimal
    total: Decimal
    payment: str
    number: str
    cashier: str


def receipt_values(rng: random.Random, region: str) -> ReceiptValues:
    """A till receipt of a shop in ``region`` (``my``, ``sg``, ``us``, ``uk`` or ``zh``)."""
    merchant = _merchant(rng, region)
    goods = RECEIPT_GOODS["zh" if region == "zh" else "en"]
    items = tuple(_receipt_item(rng, *entry) for entry in rng.sample(goods, rng.randint(1, 6)))
    subtotal = sum((i.amount for i in items), Decimal("0.00"))
    rate = None if region == "zh" else Decimal("6") if region == "my" else Decimal(rng.choice(TAX_RATES[region]))
    tax = tax_of(subtotal, rate) if rate else Decimal("0.00")
    tip = round_money(subtotal * Decimal(rng.choice((15, 18, 20))) / 100) if region == "us" and rng.random() < 0.5 else Decimal("0.00")
    return ReceiptValues(region, merchant, some_date(rng), time(rng.randint(7, 22), rng.randint(0, 59), rng.randint(0, 59)),
                         CURRENCIES[region], items, rate, subtotal, tax, tip, subtotal + tax + tip,
                         rng.choice(PAYMENTS[region]), f"{rng.randint(1, 99):02d}{ids.digits(rng, 6)}",
                         person(rng, region == "zh"))


def _merchant(rng: random.Random, region: str) -> Party:
    base = company(rng, region)
    tax_id = ids.malaysian_gst(rng) if region == "my" else base.tax_id
    word = rng.choice(MERCHANT_WORDS.get(region, ("Sunrise", "Corner", "Maple", "Harbour", "Golden", "Village")))
    return Party(rng.choice(MERCHANTS[region]).format(w=word), base.address, tax_id, region)


def _receipt_item(rng: random.Random, description: str, low: float, high: float) -> Item:
    qty = Decimal(rng.choice((1, 1, 1, 2, 3)))
    unit_price = round_money(Decimal(str(round(rng.uniform(low, high), 1))))
    return Item(description, qty, "", unit_price, round_money(qty * unit_price))


CLAIM_ITEMS = {
    "en": (("Travel", "Train ticket {city}", 25, 180), ("Travel", "Flight to {city}", 120, 650),
           ("Accommodation", "Hotel in {city}, {n} nights", 90, 260), ("Meals", "Client dinner", 40, 220),
           ("Meals", "Lunch during visit", 10, 45), ("Taxi", "Taxi to client office", 8, 60),
           ("Mileage", "Car mileage, {n}0 km", 15, 120), ("Office supplies", "Printer cartridges", 20, 90),
           ("Conference", "Conference registration", 150, 900), ("Parking", "Parking at {city} airport", 10, 80)),
    "zh": (("交通费", "高铁票 上海-{city}", 150, 700), ("交通费", "机票 {city}", 600, 2500), ("住宿费", "{city}酒店住宿{n}晚", 300, 1200),
           ("餐费", "客户招待餐费", 200, 1500), ("交通费", "出租车费", 20, 120), ("办公费", "办公用品", 50, 400),
           ("会议费", "会议注册费", 500, 3000)),
}
CLAIM_PURPOSES = {"en": ("Client visit to {city}", "Trade fair in {city}", "Sales meeting {city}",
                         "Project kick-off in {city}", "Training course in {city}"),
                  "zh": ("{city}客户拜访", "{city}展会", "{city}项目调研", "赴{city}参加培训")}
CLAIM_CITIES = {"en": ("Singapore", "Frankfurt", "Manchester", "Kuala Lumpur", "Chicago", "Rotterdam"),
                "zh": ("北京", "深圳", "杭州", "成都", "广州", "南京")}
DEPARTMENTS = {"en": ("Sales", "Finance", "Marketing", "Engineering", "Operations", "Procurement"),
               "zh": ("销售部", "财务部", "市场部", "研发部", "运营部", "采购部")}


@dataclass(frozen=True)
class ClaimItem:
    day: date
    category: str
    description: str
    amount: Decimal


@dataclass(frozen=True)
class ClaimValues:
    language: str
    employee: str
    employee_id: str
    department: str
    company: Party
    purpose: str
    period_start: date
    period_end: date
    currency: str
    items: tuple[ClaimItem, ...]
    total: Decimal


def claim_values(rng: random.Random, language: str) -> ClaimValues:
    """An expense claim of one employee for one trip or month; the items add up to the total."""
    zh = language == "zh"
    city, start = rng.choice(CLAIM_CITIES[language]), some_date(rng, 2019)
    end = start + timedelta(days=rng.randint(1, 20))
    items = tuple(sorted((_claim_item(rng, language, city, start, end) for _ in range(rng.randint(2, 8))),
                         key=lambda i: i.day))
    region = "zh" if zh else rng.choice(("uk", "us", "my", "sg", "nl"))
    employee_id = f"{rng.choice(('E', 'EMP', ''))}{rng.randint(1000, 99999):05d}"
    return ClaimValues(language, person(rng, zh), employee_id, rng.choice(DEPARTMENTS[language]), company(rng, region),
                       rng.choice(CLAIM_PURPOSES[language]).format(city=city), start, end, CURRENCIES[region], items,
                       sum((i.amount for i in items), Decimal("0.00")))


def _claim_item(rng: random.Random, language: str, city: str, start: date, end: date) -> ClaimItem:
    category, description, low, high = rng.choice(CLAIM_ITEMS[language])
    day = start + timedelta(days=rng.randint(0, (end - start).days))
    text = description.format(city=city, n=rng.randint(1, 4))
    return ClaimItem(day, category, text, round_money(Decimal(str(round(rng.uniform(low, high), 2)))))
