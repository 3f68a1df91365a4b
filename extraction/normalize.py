"""Normalisers for extracted values: amounts with their currency, currencies, Chinese capital-numeral totals (dates
are ``core.money.parse_date``).

Pure functions over text, no I/O; the learned extraction hands them what it read and gets canonical values back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from core.money import parse_amount

ISO_CURRENCIES = frozenset(
    "AED AUD BGN BRL CAD CHF CNY CZK DKK EUR GBP HKD HUF IDR ILS INR JPY KRW MXN MYR NOK NZD PHP PLN RON RUB SAR "
    "SEK SGD THB TRY TWD USD VND ZAR".split())
"""The ISO 4217 codes read when written out; a three-letter word not in this set is just a word."""

_CURRENCY_SIGNS = (
    ("人民币", "CNY"), ("RMB", "CNY"), ("S$", "SGD"), ("HK$", "HKD"), ("A$", "AUD"), ("C$", "CAD"), ("US$", "USD"),
    ("¥", "CNY"), ("￥", "CNY"), ("元", "CNY"), ("€", "EUR"), ("£", "GBP"), ("RM", "MYR"), ("Fr.", "CHF"),
)
"""Symbols and local names with the code they mean, the longer ones (``S$``) before the shorter they contain."""

_ISO_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")
_AMOUNT = re.compile(
    r"(?P<open>\()?(?P<sign>-\s?)?"
    r"(?P<number>\d{1,3}(?:['’\u00a0 ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)"
    r"(?:,-{1,2})?(?P<close>\))?(?P<percent>\s?%)?")


@dataclass(frozen=True)
class MoneyValue:
    """An amount and its ISO 4217 currency (None when the text does not say)."""

    amount: Decimal
    currency: str | None


def amount_in(text: str) -> MoneyValue | None:
    """The amount and currency in ``text``: ``TOTAL EUR €1,103.03``, ``RM 12.50``, ``1.234,56 €``,
    ``CHF 1'234.50``, ``(12.00)``, ``12,-``; the last amount when there are several, never a percentage."""
    amount = _last_amount(text)
    return None if amount is None else MoneyValue(amount, currency_in(text))


def _last_amount(text: str) -> Decimal | None:
    """The last amount printed in ``text``, negative when written ``-5.00`` or ``(5.00)``."""
    for match in reversed([m for m in _AMOUNT.finditer(text) if not m.group("percent")]):
        amount = parse_amount(re.sub(r"['’\u00a0 ]", "", match.group("number")))
        if amount is not None:
            return -amount if match.group("sign") or (match["open"] and match["close"]) else amount
    return None


def currency_code(text: str) -> str | None:
    """The ISO 4217 code of a currency written alone: ``EUR``, ``eur``, ``€``, ``RM``, ``人民币``, ``$``."""
    text = text.strip()
    if text.upper() in ISO_CURRENCIES:
        return text.upper()
    return currency_in(text) if len(text) <= 4 else None


def currency_in(text: str) -> str | None:
    """The currency ``text`` names: an ISO code as written, else a symbol or local name, else ``$`` as USD."""
    for code in _ISO_CODE.findall(text):
        if code in ISO_CURRENCIES:
            return code
    for sign, code in _CURRENCY_SIGNS:
        if _has_sign(text, sign):
            return code
    return "USD" if "$" in text else None


def _has_sign(text: str, sign: str) -> bool:
    """Whether ``sign`` stands in ``text`` as a currency, not inside a word (``RM`` but not ``FORM``)."""
    if not sign.isascii() or not sign[0].isalpha():
        return sign in text
    return re.search(rf"(?<![A-Za-z]){re.escape(sign)}(?![A-Za-z])", text) is not None


_CAPITAL_DIGITS = {
    "零": 0, "〇": 0, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6, "柒": 7,
    "捌": 8, "玖": 9,
}
_CAPITAL_UNITS = {"拾": 10, "佰": 100, "仟": 1000}
_CAPITAL_SECTIONS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_CAPITAL_FRACTIONS = {"角": Decimal("0.1"), "分": Decimal("0.01")}
_CAPITAL_NUMERALS = "".join([*_CAPITAL_DIGITS, *_CAPITAL_UNITS, *_CAPITAL_SECTIONS, *_CAPITAL_FRACTIONS, "元圆"])
_CAPITAL_AMOUNT = re.compile(rf"[{_CAPITAL_NUMERALS}]+")


def chinese_capital_amount(text: str) -> Decimal | None:
    """The amount written in capital numerals (大写) on a Chinese invoice: ``壹万贰仟叁佰肆拾伍元陆角柒分`` is
    12345.67, ``⊗叁佰元整`` 300, ``人民币伍佰陆拾元零捌分`` 560.08; None when the numerals do not make an amount."""
    numerals = _capital_numerals(text)
    if numerals is None:
        return None
    numerals = numerals.replace("圆", "元")
    yuan, _, fraction = numerals.partition("元") if "元" in numerals else ("", "", numerals)
    whole, cents = _capital_integer(yuan), _capital_fraction(fraction)
    if whole is None or cents is None:
        return None
    return whole + cents


def _capital_numerals(text: str) -> str | None:
    """The one run of capital numerals with a digit or 拾/佰/仟 in ``text`` (``价税合计(大写) ⊗叁佰元整`` holds ``叁佰元``)."""
    runs = [run for run in _CAPITAL_AMOUNT.findall(text) if set(run) & {*_CAPITAL_DIGITS, *_CAPITAL_UNITS}]
    return runs[0] if len(runs) == 1 else None


def _capital_integer(numerals: str) -> Decimal | None:
    """The yuan of ``壹拾万`` (100000) or ``贰佰零伍`` (205): digits times 拾/佰/仟, sections of 万 and 亿."""
    total, section, digit, last_unit = 0, 0, None, 10**4
    for char in numerals:
        if char in _CAPITAL_DIGITS:
            if digit:
                return None  # two digits with no unit between them
            digit = _CAPITAL_DIGITS[char]
        elif _CAPITAL_UNITS.get(char, last_unit) < last_unit:
            section += (1 if digit is None else digit) * _CAPITAL_UNITS[char]
            digit, last_unit = None, _CAPITAL_UNITS[char]
        elif char in _CAPITAL_SECTIONS:
            total = _close_section(total, section + (digit or 0), _CAPITAL_SECTIONS[char])
            section, digit, last_unit = 0, None, 10**4
        else:
            return None
    return Decimal(total + section + (digit or 0))


def _close_section(total: int, section: int, unit: int) -> int:
    """The running total after a 万 or 亿: 亿 scales everything before it, 万 only its own section."""
    return (total + section) * unit if unit > 10**4 else total + section * unit


def _capital_fraction(numerals: str) -> Decimal | None:
    """The cents of ``陆角柒分``, ``零捌分`` or ``伍角``; zero for nothing after the 元."""
    matched = re.fullmatch(rf"(?:([{''.join(_CAPITAL_DIGITS)}])角)?零?(?:([{''.join(_CAPITAL_DIGITS)}])分)?", numerals)
    if matched is None:
        return None
    jiao, fen = (_CAPITAL_DIGITS[d] if d else 0 for d in matched.groups())
    return jiao * _CAPITAL_FRACTIONS["角"] + fen * _CAPITAL_FRACTIONS["分"]


def capital_matches(capital_text: str, figure: Decimal) -> bool:
    """Whether the 大写 total reads the same amount as the printed figure (``叁佰元整`` and ``300.00``)."""
    amount = chinese_capital_amount(capital_text)
    return amount is not None and amount == figure
