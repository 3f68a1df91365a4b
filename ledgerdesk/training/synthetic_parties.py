"""Made-up companies, people and addresses for synthetic documents, in the shape of each region's real ones: a US
``Inc.`` in Austin, a UK ``Ltd`` with its postcode, a German ``GmbH`` with Straße and PLZ, a Malaysian ``Sdn Bhd``
on a Jalan, a Shanghai 有限公司 with its 统一社会信用代码. Pure: a ``random.Random`` and a region in, values out."""

from __future__ import annotations

import random
from dataclasses import dataclass

from ledgerdesk.training import synthetic_ids as ids

REGIONS = ("us", "uk", "nl", "fr", "at", "ie", "my", "sg", "de", "zh")
EN_WORDS = ("Northwind", "Bluebell", "Harbour", "Summit", "Cedar", "Oakridge", "Silverline", "Redwood", "Atlas",
            "Meridian", "Beacon", "Kestrel", "Granite", "Willow", "Lumen", "Pioneer", "Crescent", "Riverside",
            "Evergreen", "Falcon", "Sterling", "Copperfield", "Brightwater", "Ironbridge")
EN_TRADES = ("Office Supplies", "Logistics", "Consulting", "Engineering", "Trading", "Print & Design",
             "IT Services", "Catering", "Facilities", "Software", "Electrical", "Packaging", "Media")
DE_WORDS = ("Nordlicht", "Bergmann", "Rheinwerk", "Elbtal", "Sonnenfeld", "Hansa", "Alpenblick", "Lindenhof",
            "Weißdorn", "Falkenrath", "Brückner", "Mühlbach")
DE_TRADES = ("Bürobedarf", "Logistik", "Beratung", "Maschinenbau", "Druckerei", "IT-Service", "Gebäudetechnik",
             "Elektrotechnik", "Verpackung", "Medien")
SUFFIXES = {
    "us": ("Inc.", "LLC", "Corp."), "uk": ("Ltd", "Limited", "LLP"), "nl": ("B.V.",), "fr": ("SARL", "SAS"),
    "at": ("GmbH",), "ie": ("Ltd", "DAC"), "my": ("Sdn Bhd", "Sdn. Bhd."), "sg": ("Pte Ltd", "Pte. Ltd."),
    "de": ("GmbH", "AG", "GmbH & Co. KG", "e.K."),
}
US_CITIES = (("Austin", "TX", "787"), ("Denver", "CO", "802"), ("Columbus", "OH", "432"), ("Portland", "OR", "972"),
             ("Raleigh", "NC", "276"), ("Phoenix", "AZ", "850"))
US_STREETS = ("Main St", "Oak Avenue", "Commerce Blvd", "Lakeview Drive", "Market Street", "Industrial Pkwy")
UK_CITIES = (("Bristol", "BS"), ("Leeds", "LS"), ("Manchester", "M"), ("Cardiff", "CF"), ("Norwich", "NR"),
             ("Reading", "RG"))
UK_STREETS = ("Harbour Road", "High Street", "Station Lane", "Mill Street", "Victoria Road", "Kings Parade")
EU_ADDRESSES = {
    "nl": (("Keizersgracht", "1015 CJ Amsterdam"), ("Coolsingel", "3011 AD Rotterdam"), ("Oudegracht", "3511 AP Utrecht")),
    "fr": (("rue de la Paix", "75002 Paris"), ("avenue Jean Jaurès", "69007 Lyon"), ("rue Sainte-Catherine", "33000 Bordeaux")),
    "at": (("Mariahilfer Straße", "1060 Wien"), ("Herrengasse", "8010 Graz"), ("Landstraße", "4020 Linz")),
    "ie": (("Baggot Street", "Dublin 2, D02 X285"), ("Patrick Street", "Cork, T12 YX60"), ("Shop Street", "Galway, H91 T2C8")),
}
COUNTRY_NAMES = {"nl": "Netherlands", "fr": "France", "at": "Austria", "ie": "Ireland", "de": "Deutschland",
                 "uk": "United Kingdom", "my": "Malaysia", "sg": "Singapore", "us": "USA"}
DE_CITIES = (("10115", "Berlin"), ("20095", "Hamburg"), ("80331", "München"), ("50667", "Köln"),
             ("70173", "Stuttgart"), ("04109", "Leipzig"), ("90402", "Nürnberg"))
DE_STREETS = ("Hauptstraße", "Bahnhofstraße", "Industriestraße", "Gartenweg", "Schillerstraße", "Am Markt")
MY_PLACES = (("Kuala Lumpur", "50"), ("Petaling Jaya", "46"), ("Johor Bahru", "80"), ("Shah Alam", "40"),
             ("George Town, Pulau Pinang", "10"), ("Ipoh, Perak", "30"))
MY_STREETS = ("Jalan Harmoni", "Jalan SS 2", "Jalan Ampang", "Jalan Bukit Bintang", "Jalan Tun Razak", "Jalan Mutiara")
MY_AREAS = ("Taman Desa", "Taman Melawati", "Bandar Baru", "Taman Sri Muda", "Seksyen 13")
SG_STREETS = (("Anson Road", "079"), ("Orchard Road", "238"), ("Ubi Avenue", "408"), ("Jurong East Street", "609"))
ZH_CITY_DISTRICTS = {"上海": ("浦东新区", "徐汇区", "静安区"), "北京": ("朝阳区", "海淀区", "东城区"),
                     "深圳": ("南山区", "福田区"), "杭州": ("西湖区", "滨江区"), "苏州": ("工业园区", "姑苏区"),
                     "广州": ("天河区", "越秀区"), "成都": ("武侯区", "锦江区"), "南京": ("鼓楼区", "玄武区"),
                     "武汉": ("江汉区", "洪山区"), "天津": ("滨海新区", "和平区")}
ZH_STREETS = ("张江路", "建国路", "中山路", "人民路", "解放路", "科技园路", "世纪大道", "长江路", "和平路")
ZH_WORDS = ("华信", "恒达", "远景", "博瑞", "嘉禾", "中科", "鼎盛", "瑞丰", "宏图", "新元", "启明", "东方", "金桥", "海通")
ZH_TRADES = ("科技", "贸易", "物流", "信息技术", "餐饮管理", "文化传媒", "电子", "建筑工程", "咨询", "办公设备")
EN_FIRST = ("James", "Sarah", "Michael", "Emma", "David", "Olivia", "Daniel", "Sophie", "Thomas", "Grace", "Aisha",
            "Wei Ling", "Raj", "Nurul", "Lukas", "Anna")
EN_LAST = ("Smith", "Taylor", "Brown", "Wilson", "Clarke", "Patel", "Tan", "Lim", "Rahman", "Müller", "Schmidt",
           "Walker", "Hughes", "O'Connor")
ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭"
ZH_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "涛", "明", "超", "秀英", "晓东", "建华")


@dataclass(frozen=True)
class Party:
    """A company as a document prints it: name, address lines in reading order, tax ID (compact) if any."""

    name: str
    address: tuple[str, ...]
    tax_id: str | None
    region: str

    @property
    def address_text(self) -> str:
        """The address as one line, the lines joined with single spaces (the canonical field value)."""
        return " ".join(self.address)


def company(rng: random.Random, region: str, trade: str | None = None) -> Party:
    """A company of ``region`` (a key of ``REGIONS``) with a valid tax ID of its kind where one exists."""
    return Party(company_name(rng, region, trade), address(rng, region), tax_id(rng, region), region)


def company_name(rng: random.Random, region: str, trade: str | None = None) -> str:
    if region == "zh":
        return f"{rng.choice(tuple(ZH_CITY_DISTRICTS))}{rng.choice(ZH_WORDS)}{trade or rng.choice(ZH_TRADES)}有限公司"
    words, trades = (DE_WORDS, DE_TRADES) if region in ("de", "at") else (EN_WORDS, EN_TRADES)
    return f"{rng.choice(words)} {trade or rng.choice(trades)} {rng.choice(SUFFIXES[region])}"


def tax_id(rng: random.Random, region: str) -> str | None:
    """A tax ID as a company of ``region`` prints it, compact; None for regions that print none by default."""
    if region in ("uk", "nl", "fr", "at", "de"):
        return ids.vat_number(rng, {"uk": "GB"}.get(region, region.upper()))
    if region == "ie":
        return None
    return {"my": lambda: ids.malaysian_sst(rng), "sg": lambda: ids.singapore_uen(rng, rng.randint(2005, 2021)),
            "us": lambda: ids.us_ein(rng), "zh": lambda: ids.uscc_code(rng, rng.choice(tuple(ids.USCC_REGIONS)))
            }[region]()


def address(rng: random.Random, region: str) -> tuple[str, ...]:
    """Address lines in reading order, as the region writes them."""
    return ADDRESS_MAKERS[region](rng)


def _us_address(rng: random.Random) -> tuple[str, ...]:
    city, state, zip_prefix = rng.choice(US_CITIES)
    street = f"{rng.randint(100, 9899)} {rng.choice(US_STREETS)}"
    lines = (street, f"Suite {rng.randint(100, 950)}") if rng.random() < 0.4 else (street,)
    return (*lines, f"{city}, {state} {zip_prefix}{rng.randint(1, 99):02d}")


def _uk_address(rng: random.Random) -> tuple[str, ...]:
    city, area = rng.choice(UK_CITIES)
    postcode = f"{area}{rng.randint(1, 20)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFHJLNPRSTUWXY')}"
    return (f"{rng.randint(1, 220)} {rng.choice(UK_STREETS)}", f"{city} {postcode}")


def _eu_address(rng: random.Random, region: str) -> tuple[str, ...]:
    street, town = rng.choice(EU_ADDRESSES[region])
    number = rng.randint(1, 180)
    line = f"{number} {street}" if region in ("fr", "ie") else f"{street} {number}"
    return (line, town, COUNTRY_NAMES[region])


def _de_address(rng: random.Random) -> tuple[str, ...]:
    plz, city = rng.choice(DE_CITIES)
    return (f"{rng.choice(DE_STREETS)} {rng.randint(1, 140)}", f"{plz} {city}")


def _my_address(rng: random.Random) -> tuple[str, ...]:
    place, prefix = rng.choice(MY_PLACES)
    return (f"No. {rng.randint(1, 88)}, {rng.choice(MY_STREETS)} {rng.randint(1, 9)}/{rng.randint(1, 9)}",
            rng.choice(MY_AREAS), f"{prefix}{rng.randint(100, 999)} {place}")


def _sg_address(rng: random.Random) -> tuple[str, ...]:
    street, prefix = rng.choice(SG_STREETS)
    return (f"{rng.randint(1, 90)} {street} #{rng.randint(2, 30):02d}-{rng.randint(1, 40):02d}",
            f"Singapore {prefix}{rng.randint(100, 999)}")


def _zh_address(rng: random.Random) -> tuple[str, ...]:
    city = rng.choice(tuple(ZH_CITY_DISTRICTS))
    return (f"{city}市{rng.choice(ZH_CITY_DISTRICTS[city])}{rng.choice(ZH_STREETS)}{rng.randint(1, 999)}号",)


ADDRESS_MAKERS = {
    "us": _us_address, "uk": _uk_address, "de": _de_address, "my": _my_address, "sg": _sg_address,
    "zh": _zh_address, **{r: (lambda rng, r=r: _eu_address(rng, r)) for r in EU_ADDRESSES},
}


def person(rng: random.Random, chinese: bool = False) -> str:
    if chinese:
        return rng.choice(ZH_SURNAMES) + rng.choice(ZH_GIVEN)
    return f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"


def phone(rng: random.Random, region: str) -> str:
    return {"us": f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
            "uk": f"0{rng.randint(113, 199)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            "my": f"03-{rng.randint(2000, 9999)} {rng.randint(1000, 9999)}",
            "sg": f"+65 6{rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            "zh": f"021-{rng.randint(50000000, 69999999)}",
            }.get(region, f"+49 {rng.randint(30, 89)} {rng.randint(100000, 999999)}")
