"""How values are printed on synthetic documents: amounts in a locale's separators, dates in the many forms real
documents use, and amounts in Chinese capital numerals (大写). Pure functions of the value and a style name."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
             "November", "Dezember")
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")
DATE_STYLES = {
    "iso": "{d:%Y-%m-%d}", "dmy-slash": "{d:%d/%m/%Y}", "dmy-dot": "{d:%d.%m.%Y}", "mdy-slash": "{d:%m/%d/%Y}",
    "dmy-dash": "{d:%d-%m-%Y}", "d-mon-y": "{d.day} {mon} {d.year}", "mon-d-y": "{mon} {d.day}, {d.year}",
    "d-mon-yy": "{d:%d}-{mon}-{d:%y}", "month-d-y": "{month} {d.day}, {d.year}", "d-month-y": "{d.day} {month} {d.year}",
    "zh": "{d.year}年{d:%m}月{d:%d}日", "zh-short": "{d.year}年{d.month}月{d.day}日", "de-long": "{d.day}. {monat} {d.year}",
    "fr-long": "{d.day} {mois} {d.year}",
}
"""Date forms by name: ``d-mon-yy`` is ``25-Dec-18``, ``mon-d-y`` ``Dec 25, 2018``, ``zh`` ``2018年12月25日``."""
CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
CAPITAL_UNITS = ("", "拾", "佰", "仟")
CAPITAL_SECTIONS = ("", "万", "亿")


def money(amount: Decimal, style: str = "en") -> str:
    """``1234.5`` as ``1,234.50`` (en), ``1.234,50`` (de), ``1234.50`` (plain) or ``1 234,50`` (fr)."""
    text = f"{amount:,.2f}"
    if style == "de":
        return text.replace(",", "_").replace(".", ",").replace("_", ".")
    if style == "fr":
        return text.replace(",", " ").replace(".", ",")
    return text.replace(",", "") if style == "plain" else text


def canonical_amount(amount: Decimal) -> str:
    """The canonical form of an amount in ``fields``: two decimals, no grouping (``"1234.56"``)."""
    return f"{amount:.2f}"


def percent(rate: Decimal, style: str = "en") -> str:
    """A tax rate as printed without the sign: ``19``, ``7.5`` (en) or ``7,5`` (de)."""
    text = f"{rate.normalize():f}"
    return text.replace(".", ",") if style == "de" else text


def printed_date(day: date, style: str) -> str:
    """``day`` in the form ``style`` (a key of ``DATE_STYLES``)."""
    return DATE_STYLES[style].format(d=day, mon=MONTHS_EN[day.month - 1][:3], month=MONTHS_EN[day.month - 1],
                                     monat=MONTHS_DE[day.month - 1], mois=MONTHS_FR[day.month - 1])


def printed_time(moment: time, style: str) -> str:
    """``14:05``, ``14:05:09`` or ``2:05 PM``."""
    if style == "12h":
        return f"{(moment.hour - 1) % 12 + 1}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"
    return f"{moment:%H:%M:%S}" if style == "seconds" else f"{moment:%H:%M}"


def capital_amount(amount: Decimal) -> str:
    """``amount`` in capital numerals as 价税合计（大写）prints it: 12345.67 is ``壹万贰仟叁佰肆拾伍元陆角柒分``, 300 is
    ``叁佰元整``, 560.08 ``伍佰陆拾元零捌分``."""
    cents = int((amount * 100).to_integral_value())
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    whole = _capital_integer(yuan) + "元" if yuan else ""
    if not jiao and not fen:
        return whole + "整"
    return whole + (CAPITAL_DIGITS[jiao] + "角" if jiao else "零" if whole else "") + (
        CAPITAL_DIGITS[fen] + "分" if fen else "整")


def _capital_integer(number: int) -> str:
    """The yuan in capital numerals, in sections of four digits (万, 亿); a run of zeros between digits is read
    as one 零."""
    text = str(number)
    text = text.zfill(-(-len(text) // 4) * 4)
    groups = [text[i:i + 4] for i in range(0, len(text), 4)]
    out: list[str] = []
    zero_pending = False
    for index, group in enumerate(groups):
        zero_pending = _capital_group(group, out, zero_pending)
        if group != "0000":
            out.append(CAPITAL_SECTIONS[len(groups) - 1 - index])
    return "".join(out)


def _capital_group(group: str, out: list[str], zero_pending: bool) -> bool:
    """Append one group of four digits to ``out``; whether a 零 is owed before the next digit."""
    for position, char in enumerate(group):
        if char == "0":
            zero_pending = zero_pending or bool(out)
            continue
        if zero_pending:
            out.append("零")
        out.append(CAPITAL_DIGITS[int(char)] + CAPITAL_UNITS[3 - position])
        zero_pending = False
    return zero_pending
