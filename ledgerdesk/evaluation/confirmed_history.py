"""A company's confirmed purchase history, generated: vendors in English and Chinese (some with several expense
accounts, some not in the vendor master, some first seen late), invoices over two years, each with a few line items
worded in varied ways per account of the generic IFRS chart (hosting, telecom, travel, lodging, meals, office
supplies, consulting, rent, utilities, ... 差旅费, 办公费, 业务招待费), and the account each line was posted to.
``ledgerdesk eval suggestions`` learns from the older invoices and measures the suggestions on the newest.

Seeded: the same count and seed give the same history on every machine."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

START = date(2024, 1, 1)
DAYS = 730
"""The history spans two years from ``START``."""
ITEMISED_SHARE = 0.75
"""Invoices that print line items; the others are drafted as one net line."""
GENERIC_SHARE = 0.12
"""Lines worded so vaguely ("Services March") that only their vendor tells the account."""
LATE_SHARE = 0.2
"""Vendors first seen in the last third of the history (few or none of their invoices to learn from)."""
VAT_RATE = Decimal("20")

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
CITIES = ("Berlin", "Munich", "Paris", "London", "Amsterdam", "Vienna", "Zurich", "Milan", "Madrid", "Prague")
CITIES_ZH = ("北京", "上海", "广州", "深圳", "杭州", "成都", "南京", "武汉", "西安", "苏州")
PRODUCTS = ("Latitude 7450", "ThinkPad T14", "HP 305X", "Brother TN-2420", "Catalyst 9200", "MacBook Pro 14")
TOPICS = ("IFRS 16 update", "Excel for finance", "Data protection", "Leadership", "VAT compliance", "Python basics")
TOPICS_ZH = ("财务分析", "税务筹划", "安全生产", "管理技能")

VOCABULARY: dict[str, dict[str, tuple[str, ...]]] = {
    "6300": {"en": ("AWS EC2 hosting {month}", "Cloud server hosting {month}", "Managed Kubernetes cluster {month}",
                    "Web hosting plan {year}", "Microsoft 365 Business Standard licences", "Object storage and "
                    "bandwidth {month}", "Adobe Creative Cloud subscription", "SaaS subscription Q{quarter}",
                    "CRM seats monthly subscription", "Software licence renewal {year}", "Jira Cloud licences {n} "
                    "users"),
             "zh": ("云服务器租用费 {month_zh}", "阿里云ECS实例费用", "软件订阅服务费", "企业邮箱年费", "SaaS软件年度订阅",
                    "云存储及带宽费 {month_zh}", "正版软件授权费")},
    "6400": {"en": ("Mobile phone plan {month}", "Fibre internet {month}", "Business broadband {month}",
                    "Telephone line rental Q{quarter}", "Mobile data roaming charges", "SIM cards {n} lines",
                    "VoIP telephony service {month}"),
             "zh": ("电信费 {month_zh}", "宽带费 {month_zh}", "手机话费", "固定电话月租", "专线网络服务费", "移动流量费")},
    "6200": {"en": ("Flight {city} - {city2}", "Train ticket {city} to {city2}", "Airfare economy {city2}",
                    "Rail travel {city2} business trip", "Airport transfer {city}", "Car rental {n} days {city2}",
                    "Travel booking service fee"),
             "zh": ("差旅费 {city_zh}", "机票 {city_zh}-{city2_zh}", "高铁票 {city_zh}至{city2_zh}", "出差交通费",
                    "火车票 {city2_zh}", "租车费用 {n}天")},
    "6210": {"en": ("Hotel stay {n} nights {city}", "Accommodation {city2} conference", "Room charges {n} nights",
                    "Hotel booking {city}"),
             "zh": ("住宿费 {city_zh}", "酒店住宿 {n}晚", "出差住宿费", "宾馆房费")},
    "6220": {"en": ("Business lunch with client", "Team dinner {city}", "Catering for workshop",
                    "Client entertainment dinner", "Coffee and pastries for meeting", "Working lunch {n} persons"),
             "zh": ("业务招待费", "餐费", "工作餐 {n}人", "客户招待晚宴", "会议茶歇")},
    "6100": {"en": ("Printer paper A4 {n} reams", "Toner cartridge {product}", "Office stationery",
                    "Ballpoint pens {n} boxes", "Sticky notes and folders", "Desk organisers and binders",
                    "Copy paper and envelopes"),
             "zh": ("办公用品", "办公费 打印纸", "文具用品", "打印机硒鼓", "复印纸 {n}箱", "文件夹及笔")},
    "6600": {"en": ("Consulting services {month}", "Legal advice contract review", "Annual audit fee {year}",
                    "Tax advisory services Q{quarter}", "Management consulting project phase {n}",
                    "Professional services {month}"),
             "zh": ("咨询服务费", "审计费 {year}年度", "律师费", "税务咨询服务费", "管理咨询项目费")},
    "6500": {"en": ("Office rent {month}", "Warehouse lease {month}", "Service charge office space Q{quarter}",
                    "Co-working desks {month}", "Parking spaces rent {month}"),
             "zh": ("房租 {month_zh}", "办公室租金", "物业管理费", "仓库租赁费")},
    "6550": {"en": ("Electricity {month}", "Water and sewage Q{quarter}", "Gas supply {month}",
                    "District heating {month}", "Energy bill {month}"),
             "zh": ("电费 {month_zh}", "水费", "燃气费", "供暖费")},
    "6150": {"en": ("Courier delivery {city2}", "Express shipping documents", "Parcel postage",
                    "Overnight delivery {n} parcels", "Postage stamps"),
             "zh": ("快递费", "邮寄费", "同城配送费", "物流运费")},
    "6650": {"en": ("Training course {topic}", "Conference ticket {topic}", "Online course licence {topic}",
                    "Workshop attendance {topic}", "Certification exam fee"),
             "zh": ("培训费", "{topic_zh}培训课程", "会议注册费", "职业资格考试费")},
    "6750": {"en": ("Laptop repair", "Air conditioning maintenance", "Printer service call",
                    "Elevator maintenance Q{quarter}", "Office cleaning and repairs", "Replacement parts and labour"),
             "zh": ("维修费", "空调维护保养", "设备维修服务", "电梯维保费")},
    "1500": {"en": ("Laptop {product}", "Office desk and chair", "Server rack", "Monitor 27 inch {n} units",
                    "Conference room display", "Network switch {product}"),
             "zh": ("笔记本电脑", "办公桌椅", "服务器", "显示器 {n}台", "投影仪")},
}
"""How lines posted to each account of the IFRS seed chart are worded, per language."""
GENERIC = {"en": ("Services {month}", "Monthly fee {month}", "Items as agreed", "Fees Q{quarter}"),
           "zh": ("服务费", "月度费用", "费用 {month_zh}")}

VENDORS: tuple[tuple[str, str, dict[str, float]], ...] = (
    ("Amazon Web Services EMEA", "en", {"6300": 1}),
    ("Microsoft Ireland", "en", {"6300": 0.9, "6650": 0.1}),
    ("Google Cloud EMEA", "en", {"6300": 1}),
    ("Deutsche Telekom", "en", {"6400": 0.85, "6300": 0.15}),
    ("Vodafone Business", "en", {"6400": 1}),
    ("Lufthansa", "en", {"6200": 1}),
    ("Deutsche Bahn", "en", {"6200": 1}),
    ("Uber for Business", "en", {"6200": 1}),
    ("Marriott Hotels", "en", {"6210": 0.75, "6220": 0.25}),
    ("Hilton Worldwide", "en", {"6210": 0.8, "6220": 0.2}),
    ("Booking.com", "en", {"6210": 0.7, "6200": 0.3}),
    ("Sodexo Catering", "en", {"6220": 1}),
    ("Staples Office", "en", {"6100": 0.85, "1500": 0.15}),
    ("Office Depot", "en", {"6100": 0.7, "1500": 0.3}),
    ("Amazon Business EU", "en", {"6100": 0.45, "1500": 0.3, "6750": 0.1, "6650": 0.15}),
    ("Dell Technologies", "en", {"1500": 0.7, "6750": 0.3}),
    ("KPMG Advisory", "en", {"6600": 1}),
    ("Baker McKenzie", "en", {"6600": 1}),
    ("Regus Workspace", "en", {"6500": 0.8, "6550": 0.2}),
    ("ISS Facility Services", "en", {"6750": 0.6, "6500": 0.4}),
    ("E.ON Energy", "en", {"6550": 1}),
    ("DHL Express", "en", {"6150": 1}),
    ("Udemy Business", "en", {"6650": 1}),
    ("Coursera", "en", {"6650": 1}),
    ("阿里云计算有限公司", "zh", {"6300": 1}),
    ("中国电信股份有限公司", "zh", {"6400": 1}),
    ("中国移动通信集团", "zh", {"6400": 0.9, "6300": 0.1}),
    ("携程旅行网", "zh", {"6200": 0.6, "6210": 0.4}),
    ("中国国际航空", "zh", {"6200": 1}),
    ("全季酒店", "zh", {"6210": 1}),
    ("海底捞餐饮", "zh", {"6220": 1}),
    ("京东商城", "zh", {"6100": 0.5, "1500": 0.35, "6750": 0.15}),
    ("顺丰速运", "zh", {"6150": 1}),
    ("国家电网", "zh", {"6550": 1}),
    ("北京金杜律师事务所", "zh", {"6600": 1}),
    ("万达物业管理", "zh", {"6500": 0.7, "6550": 0.3}),
    ("新东方培训学校", "zh", {"6650": 1}),
)
"""Each vendor's name, language and the accounts its lines go to, with their shares."""
NOT_IN_MASTER = 0.2
"""Vendors known only by the name they print."""


@dataclass(frozen=True)
class Vendor:
    name: str
    language: str
    accounts: tuple[tuple[str, float], ...]
    in_master: bool
    first_seen: float
    """Where in the history (0 to 1) its invoices start."""
    activity: float


@dataclass(frozen=True)
class Line:
    description: str
    account_code: str
    amount: Decimal


@dataclass(frozen=True)
class Invoice:
    number: str
    day: date
    vendor: Vendor
    lines: tuple[Line, ...]
    itemised: bool
    """False: printed without line items, so drafted as one net line (its lines are then one)."""

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def tax(self) -> Decimal:
        return (self.subtotal * VAT_RATE / 100).quantize(Decimal("0.01"))


def confirmed_history(count: int, seed: int) -> list[Invoice]:
    """``count`` invoices, oldest first."""
    rng = random.Random(seed)
    vendors = [_vendor(rng, *profile) for profile in VENDORS]
    positions = sorted(rng.random() for _ in range(count))
    return [_invoice(rng, index, position, _vendor_at(rng, vendors, position))
            for index, position in enumerate(positions)]


def _vendor(rng: random.Random, name: str, language: str, accounts: dict[str, float]) -> Vendor:
    late = rng.random() < LATE_SHARE
    return Vendor(name, language, tuple(accounts.items()), rng.random() >= NOT_IN_MASTER,
                  rng.uniform(0.65, 0.9) if late else 0.0, rng.uniform(1, 5))


def _vendor_at(rng: random.Random, vendors: list[Vendor], position: float) -> Vendor:
    active = [vendor for vendor in vendors if vendor.first_seen <= position]
    return rng.choices(active, weights=[vendor.activity for vendor in active])[0]


def _invoice(rng: random.Random, index: int, position: float, vendor: Vendor) -> Invoice:
    day = START + timedelta(days=int(position * DAYS))
    itemised = rng.random() < ITEMISED_SHARE
    count = rng.choice((1, 1, 2, 2, 3)) if itemised else 1
    lines = tuple(_line(rng, vendor, day) for _ in range(count))
    return Invoice(f"INV-{day.year}-{index + 1:05d}", day, vendor, lines, itemised)


def _line(rng: random.Random, vendor: Vendor, day: date) -> Line:
    codes, shares = zip(*vendor.accounts)
    account = rng.choices(codes, weights=shares)[0]
    wording = GENERIC if rng.random() < GENERIC_SHARE else VOCABULARY[account]
    description = _filled(rng, rng.choice(wording[vendor.language]), day)
    return Line(description, account, Decimal(rng.randint(1_500, 250_000)) / 100)


def _filled(rng: random.Random, template: str, day: date) -> str:
    city, city2 = rng.sample(CITIES, 2)
    city_zh, city2_zh = rng.sample(CITIES_ZH, 2)
    return template.format(month=MONTHS[day.month - 1], month_zh=f"{day.month}月", year=day.year,
                           quarter=(day.month - 1) // 3 + 1, n=rng.randint(2, 12), city=city, city2=city2,
                           city_zh=city_zh, city2_zh=city2_zh, product=rng.choice(PRODUCTS),
                           topic=rng.choice(TOPICS), topic_zh=rng.choice(TOPICS_ZH))
