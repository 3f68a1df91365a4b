"""The values of the widened invoice layouts (``synthetic_invoice_layouts``), before anything is drawn: German
business letters (DIN 5008), French factures, and English invoices with a ship-to party or a Malaysian tax
registration. Unlike ``synthetic_values.invoice_values`` an invoice may carry several VAT rates (7 % and 19 %, the
lines of each rate taxed together) and an allowance (Rabatt, Remise) taken off each rate's lines before tax.
Pure: a ``random.Random`` and a region in, a plain frozen dataclass out."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from stdnum.fr import siret as fr_siret

from core.money import round_money
from ledgerdesk.training import synthetic_ids as ids
from ledgerdesk.training.synthetic_parties import Party, company, person
from ledgerdesk.training.synthetic_values import (CURRENCIES, DE_GOODS, EN_GOODS, IBAN_COUNTRIES, Item, item,
                                                   some_date, tax_of)

REDUCED_GOODS = {
    "de": (("Fachbuch Umsatzsteuerrecht", "Stk.", 39, 89), ("Kaffeebohnen 1 kg", "Pkg.", 14, 29),
           ("Mineralwasser (Kiste)", "Kiste", 6, 12), ("Zeitschriften-Abonnement", "Jahr", 60, 240)),
    "en": (("Reference book, VAT law", "pc", 39, 89), ("Coffee beans 1 kg", "pack", 14, 29),
           ("Mineral water (crate)", "crate", 6, 12), ("Journal subscription", "year", 60, 240)),
    "fr": (("Ouvrage technique", "ex.", 25, 80), ("Café en grains 1 kg", "paquet", 14, 29),
           ("Eau minérale (pack)", "pack", 3, 8), ("Abonnement revue", "an", 60, 240)),
}
FR_GOODS = (
    ("Ramette papier A4 80 g", "carton", 18, 35), ("Cartouche de toner noir", "pce", 45, 120),
    ("Prestation de conseil", "h", 80, 180), ("Licence logicielle annuelle", "pce", 200, 1200),
    ("Fauteuil de bureau ergonomique", "pce", 120, 450), ("Frais de port", "forfait", 25, 300),
    ("Intervention de maintenance", "forfait", 90, 250), ("Nettoyage des locaux (mois)", "mois", 300, 1500),
    ("Station d'accueil USB-C", "pce", 90, 220), ("Formation comptabilité", "jour", 600, 1800),
)
FR_WORDS = ("Lumière", "Bellevue", "Horizon", "Léman", "Provence", "Armor", "Cévennes", "Vauban", "Garonne",
            "Étoile", "Marigny", "Saint-Clair")
FR_TRADES = ("Conseil", "Informatique", "Transports", "Fournitures de bureau", "Imprimerie", "Services",
             "Ingénierie", "Emballages")
STANDARD_RATES = {"de": "19", "at": "20", "fr": "20", "uk": "20", "us": "8.25", "my": "8", "sg": "9", "nl": "21"}
REDUCED_RATES = {"de": ("7",), "at": ("10",), "fr": ("5.5", "10")}
COURTS = ("München", "Berlin-Charlottenburg", "Hamburg", "Köln", "Stuttgart", "Leipzig", "Nürnberg")
BANKS = {"de": ("Sparkasse", "Volksbank", "Deutsche Bank", "Commerzbank", "Postbank"),
         "fr": ("BNP Paribas", "Crédit Agricole", "Société Générale", "LCL"),
         "uk": ("NatWest", "Barclays", "Lloyds Bank", "HSBC UK"), "my": ("Maybank", "CIMB Bank", "Public Bank"),
         "us": ("Chase", "Wells Fargo", "Bank of America")}
GST_ENDED = date(2018, 9, 1)
"""Malaysia replaced GST with the sales and service tax (SST) on 1 September 2018."""
BIC_SUFFIXES = {"DE": ("DEMMXXX", "DEFFXXX", "DE2X"), "FR": ("FRPP", "FRPPXXX"), "GB": ("GB2L", "GB22")}


@dataclass(frozen=True)
class TaxLine:
    """The lines of one VAT rate: their net amount after any allowance and the tax on it."""

    rate: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class WideInvoiceValues:
    region: str
    number: str
    customer_number: str
    issued: date
    delivered: date
    due: date
    term_days: int
    seller: Party
    buyer: Party
    ship_to: Party
    director: str
    register: str
    """``Amtsgericht München HRB 12345``, ``RCS Paris B 123 456 789``, ``Company No. 201901012345``."""
    iban: str | None
    bic: str | None
    bank: str
    currency: str
    items: tuple[Item, ...]
    """Each carries its ``tax_rate`` when the invoice has several rates."""
    lines_total: Decimal
    allowance_percent: Decimal | None
    allowance: Decimal
    subtotal: Decimal
    """Net amount the tax is charged on: the lines less the allowance."""
    taxes: tuple[TaxLine, ...]
    tax: Decimal
    total: Decimal

    @property
    def single_rate(self) -> Decimal | None:
        return self.taxes[0].rate if len(self.taxes) == 1 else None


def wide_invoice_values(rng: random.Random, region: str, language: str, *, reduced: bool = True,
                        allowance: bool = True) -> WideInvoiceValues:
    """An invoice of a seller in ``region`` written in ``language`` (``de``, ``en`` or ``fr``); ``reduced`` lets
    it carry a second, reduced rate and ``allowance`` a percentage off, where the region has them."""
    issued = some_date(rng)
    seller = french_company(rng) if region == "fr" else malaysian_seller(rng, issued) if region == "my" else company(rng, region)
    buyer = french_company(rng) if region == "fr" and rng.random() < 0.8 else company(rng, buyer_region(rng, region))
    ship_to = company(rng, buyer.region) if rng.random() < 0.5 else buyer
    rates = tax_rates(rng, region, reduced, issued)
    items = wide_items(rng, region, language, rates)
    percent_off = Decimal(rng.choice(("2", "3", "5", "10"))) if allowance and region in ("de", "fr", "at") and rng.random() < 0.3 else None
    taxes = tax_lines(items, rates, percent_off)
    lines_total = sum((i.amount for i in items), Decimal("0.00"))
    subtotal = sum((t.base for t in taxes), Decimal("0.00"))
    tax = sum((t.tax for t in taxes), Decimal("0.00"))
    days = rng.choice((7, 10, 14, 14, 30, 30))
    country = IBAN_COUNTRIES.get(region)
    return WideInvoiceValues(
        region, wide_number(rng, region, issued), f"{rng.choice(('K', 'KD-', 'C', ''))}{rng.randint(1000, 99999)}",
        issued, issued - timedelta(days=rng.randint(0, 12)), issued + timedelta(days=days), days, seller, buyer,
        ship_to, person(rng), register(rng, region, seller), ids.iban_number(rng, country) if country else None,
        bic(rng, country, region) if country else None, rng.choice(BANKS.get(region, BANKS["de"])), CURRENCIES[region],
        items, lines_total, percent_off, lines_total - subtotal, subtotal, taxes, tax, subtotal + tax)


def buyer_region(rng: random.Random, region: str) -> str:
    return rng.choice((region, region, region, "de" if region != "de" else "at", "nl"))


def malaysian_seller(rng: random.Random, issued: date) -> Party:
    """A Malaysian company registered for GST (12 digits) before September 2018, for SST after."""
    base = company(rng, "my")
    return Party(base.name, base.address, ids.malaysian_gst(rng), "my") if issued < GST_ENDED else base


def french_company(rng: random.Random) -> Party:
    """A French SARL or SAS with a French name, a French address and its TVA intracommunautaire number."""
    base = company(rng, "fr")
    name = f"{rng.choice(FR_TRADES)} {rng.choice(FR_WORDS)} {rng.choice(('SARL', 'SAS', 'SA'))}"
    return Party(name, base.address[:2], base.tax_id, "fr")


def tax_rates(rng: random.Random, region: str, reduced: bool, issued: date) -> tuple[Decimal, ...]:
    """The standard rate, and a reduced one on some invoices (German 7 %, French 5,5 % or 10 %); Malaysian GST
    (6 %) before September 2018, service tax (6 % or 8 %) after."""
    if region == "my":
        return (Decimal("6") if issued < GST_ENDED else Decimal(rng.choice(("6", "8"))),)
    standard = Decimal(STANDARD_RATES[region])
    if reduced and region in REDUCED_RATES and rng.random() < 0.45:
        return standard, Decimal(rng.choice(REDUCED_RATES[region]))
    return (standard,)


def wide_items(rng: random.Random, region: str, language: str, rates: tuple[Decimal, ...]) -> tuple[Item, ...]:
    """1 to 6 lines in ``language``; with two rates, at least one line of each, each line carrying its rate."""
    catalogue = FR_GOODS if language == "fr" else DE_GOODS if language == "de" else EN_GOODS
    count = rng.randint(1, 6)
    if len(rates) == 1:
        return tuple(item(rng, *entry) for entry in rng.sample(catalogue, count))
    reduced_count = rng.randint(1, max(1, count - 1))
    standard = [item(rng, *entry) for entry in rng.sample(catalogue, max(1, count - reduced_count))]
    cut = [item(rng, *entry) for entry in rng.sample(REDUCED_GOODS[language], min(reduced_count, 4))]
    lines = [with_rate(i, rates[0]) for i in standard] + [with_rate(i, rates[1]) for i in cut]
    rng.shuffle(lines)
    return tuple(lines)


def with_rate(line: Item, rate: Decimal) -> Item:
    return Item(line.description, line.quantity, line.unit, line.unit_price, line.amount, line.spec, rate)


def tax_lines(items: tuple[Item, ...], rates: tuple[Decimal, ...], percent_off: Decimal | None) -> tuple[TaxLine, ...]:
    """Per rate: the lines' sum less the allowance on it, and the tax on that, each rounded half up."""
    out = []
    for rate in rates:
        gross = sum((i.amount for i in items if i.tax_rate in (rate, None)), Decimal("0.00"))
        base = gross - (round_money(gross * percent_off / 100) if percent_off else Decimal("0.00"))
        out.append(TaxLine(rate, base, tax_of(base, rate)))
    return tuple(out)


def wide_number(rng: random.Random, region: str, issued: date) -> str:
    """Invoice numbers as real ones print them: ``RE-20170509/505``, ``2014-03``, ``F20180027``, ``INV-0042``."""
    shapes = {"de": (f"RE-{issued:%Y%m%d}/{rng.randint(100, 999)}", f"{issued.year}-{rng.randint(1, 99):02d}",
                     f"R{issued.year}{rng.randint(1, 9999):04d}", f"{issued:%y}{rng.randint(10000, 99999)}"),
              "fr": (f"F{issued.year}{rng.randint(1, 9999):04d}", f"FA-{issued.year}-{rng.randint(1, 999):03d}",
                     f"{issued:%Y%m}{rng.randint(100, 999)}"),
              "en": (f"INV-{rng.randint(1, 9999):04d}", f"{rng.randint(1000, 99999)}",
                     f"INV{issued:%y}{rng.randint(100, 9999)}", f"{issued.year}-{rng.randint(1, 999):03d}")}
    return rng.choice(shapes.get(region, shapes["en"]))


def register(rng: random.Random, region: str, seller: Party) -> str:
    """The seller's company register entry as its letters' footers print it."""
    if region in ("de", "at"):
        return f"Amtsgericht {rng.choice(COURTS)} HRB {rng.randint(1000, 299999)}"
    if region == "fr" and seller.tax_id:
        siren = seller.tax_id[4:]
        return f"RCS {seller.address[-1].split(' ', 1)[-1]} B {siren[:3]} {siren[3:6]} {siren[6:]}"
    if region == "my":
        return f"Company No. {rng.randint(2005, 2022)}01{ids.digits(rng, 6)}"
    return f"Company No. {ids.digits(rng, 8, first_nonzero=True)}"


def bic(rng: random.Random, country: str, region: str) -> str:
    """A bank identifier code of the account's country (eight or eleven characters)."""
    letters = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ") for _ in range(4))
    suffix = rng.choice(BIC_SUFFIXES.get(country, (country + "2X",)))
    return letters + suffix


def siret(rng: random.Random, vat: str) -> str:
    """A SIRET (SIREN and a five-digit establishment number, Luhn-valid as a whole) of the French company whose
    TVA number is ``vat``."""
    siren = vat[4:]
    return ids.until_valid(rng, lambda r: siren + "000" + ids.digits(r, 2), fr_siret.is_valid)
