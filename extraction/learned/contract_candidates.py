"""Candidate values of a contract's fields, found in its text: dates, durations, places, organisation and person
names, amounts, headings. Finders are generous: they propose every span that could be a value, in the canonical
form the field would take, and the learned chooser decides which (if any) holds which field.

Values come out as the evaluation and the review page compare them: dates ISO, durations ``2 years``, places by
their name (``New York``), names as printed with commas dropped, ``&`` as ``and`` and dotted letters closed up
(``Leonard Green & Partners, L.P.`` -> ``Leonard Green and Partners LP``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from extraction.learned.document_text import ABBREVIATIONS, DocumentText, Span
from extraction.normalize import ISO_CURRENCIES

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|" \
         r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_ORD = r"(?:st|nd|rd|th)?"
DATE_PATTERNS = (
    ("month_first", re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORD}\s*,?\s*(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("day_of", re.compile(rf"\b(?P<day>\d{{1,2}}){_ORD}\s+(?:day\s+)?of\s+{_MONTH}\s*,?\s*(?:in\s+the\s+year\s+)?"
                          rf"(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("day_first", re.compile(rf"\b(?P<day>\d{{1,2}}){_ORD}\s+{_MONTH}\s*,?\s*(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("numeric", re.compile(r"(?<![\d/.-])(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)\d\d)(?![\d/])")),
    ("numeric_short", re.compile(r"(?<![\d/.-])(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d\d)(?![\d/])")),
    ("iso", re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)")),
    ("chinese", re.compile(r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")),
)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "twenty-one": 21, "twenty-four": 24, "thirty": 30,
    "thirty-six": 36, "forty-five": 45, "forty-eight": 48, "sixty": 60, "ninety": 90,
}
_NUMBER_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
DURATION = re.compile(
    rf"\b(?:(?P<word>{_NUMBER_WORD})(?:\s*\(\s*(?P<digits>\d+(?:\.\d+)?)\s*\))?|(?P<plain>\d+(?:\.\d+)?))"
    r"[\s-]*(?:calendar\s+|full\s+|consecutive\s+)?(?P<unit>year|month|week|day)s?\b", re.I)
CHINESE_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
CHINESE_DURATION = re.compile(r"(?<![月\d])(?P<number>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个\s*)?(?P<unit>年|月|周|日|天)"
                              r"(?!\s*\d)")
CHINESE_UNITS = {"年": "year", "月": "month", "周": "week", "日": "day", "天": "day"}

US_STATES = (
    "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho Illinois "
    "Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi Missouri "
    "Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia Washington "
    "Wisconsin Wyoming").split() + [
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Rhode Island",
    "South Carolina", "South Dakota", "West Virginia", "District of Columbia"]
COUNTRIES = ("England and Wales", "England", "United Kingdom", "Scotland", "Ireland", "Canada", "Ontario",
             "British Columbia", "Quebec", "Hong Kong", "Singapore", "Malaysia", "Germany", "France", "Switzerland",
             "the Netherlands", "Luxembourg", "Israel", "Japan", "India", "Australia", "Bermuda", "Cayman Islands",
             "British Virgin Islands", "People's Republic of China", "China")
CHINESE_PLACES = {"中华人民共和国": "中华人民共和国", "中国": "中华人民共和国", "香港特别行政区": "香港",
                  "香港": "香港", "新加坡": "新加坡", "北京市": "北京市", "上海市": "上海市", "深圳市": "深圳市",
                  "广东省": "广东省"}
"""Chinese places by the name a Chinese contract gives them (``中国`` is ``中华人民共和国``)."""

ORGANISATION_SUFFIX = re.compile(
    r"(?:Inc\.?|Incorporated|L\.?L\.?C\.?|Ltd\.?|Limited|Corporation|Corp\.?|Co\.|Company|L\.?P\.?|L\.?L\.?P\.?|"
    r"GmbH|AG|S\.A\.|N\.V\.|B\.V\.|PLC|P\.C\.|Bhd\.?|Bancorp|ASA|AB|SE|Trust|Partners|Holdings)", re.I)
CHINESE_ORGANISATION = re.compile(r"[\u4e00-\u9fff（）()]{2,30}?(?:股份有限公司|有限责任公司|有限公司|集团|研究院|公司)")
CONNECTORS = frozenset({"and", "&", "of", "the", "de", "du", "for", "und", "y", "et"})
MAX_NAME_TOKENS = 8
_TOKEN = re.compile(r"\S+")
_EDGE_PUNCTUATION = "\"'“”‘’()[]<>:;,"
_CLOSED_UP = {"l.p.": "LP", "l.l.c.": "LLC", "l.l.p.": "LLP", "incorporated": "Inc."}
"""Company forms the labels write one way whatever the document prints."""
_DESCRIBED = re.compile(r",?\s+an?\s+(?:[\w.-]+\s+){0,4}?(?:corporation|company|partnership|limited|bank|association|"
                        r"trust|banking|corp\.)\b", re.I)
"""``Affinity Gaming, a Nevada corporation``: a name its description shows to be an organisation's."""
_CURRENCY = r"(?P<currency>US\$|S\$|HK\$|RM|RMB|人民币|[A-Z]{3}|\$|€|£|¥|￥)"
AMOUNT = re.compile(rf"(?<![A-Za-z]){_CURRENCY}\s?(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.(?P<cents>\d{{1,2}}))?"
                    r"(?P<scale>\s*(?:million|billion|万))?(?:\s*元)?", re.I)
CHINESE_AMOUNT = re.compile(r"(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<cents>\d{1,2}))?(?P<scale>\s*万)?\s*元")
CURRENCY_CODES = {"US$": "USD", "$": "USD", "S$": "SGD", "HK$": "HKD", "RM": "MYR", "€": "EUR", "£": "GBP",
                  "RMB": "CNY", "人民币": "CNY", "¥": "CNY", "￥": "CNY"}
IDENTIFIER = re.compile(r"(?<![\w/.-])(?=[A-Z0-9/.-]*\d)(?=[A-Z0-9/.-]*[A-Z-])[A-Z][A-Z0-9]*(?:[-/.][A-Z0-9]+)+"
                        r"(?![\w/-])|(?<![\w])[A-Z]{1,4}\d{6,}(?!\w)")
"""Reference numbers: ``MSA-2024-017``, ``HT20210042``, ``NDA/2023/11`` (letters first, with digits)."""
PHRASE_TRIGGERS = re.compile(r"\b(?:payable|paid|payment|pay|renew\w*|extend\w*)\b|支付|付款|续", re.I)
PHRASE_BREAKS = re.compile(r"[,;:，；：。]|\s+(?:unless|provided|except|which|and\s+shall|but)\s+|(?<=[a-z0-9)])\.(?=\s|$)", re.I)
PHRASE_STARTS = re.compile(r"\b(?:are|is|be|shall\s+be|will\s+be|Agreement|fees|invoices|payable|paid|due)\s+",
                           re.I)
MAX_PHRASE = 90
HEADING_LINES = 25
"""How far down the first page a title is looked for."""


@dataclass(frozen=True)
class Candidate:
    """A span that may hold a field's value: its ``kind``, canonical ``value`` and ``detail`` words that describe
    its form (``form:day_of``, ``unit:year``, ``suffix:inc``) for the features."""

    kind: str
    value: str
    span: Span
    detail: tuple[str, ...] = ()


def find_candidates(document: DocumentText) -> list[Candidate]:
    """Every candidate of every kind, in the order of the text."""
    found = [c for finder in FINDERS for c in finder(document)]
    return sorted(found, key=lambda c: (c.span.start, c.span.end, c.kind))


def dates(document: DocumentText) -> Iterator[Candidate]:
    """Printed dates as ISO values (US month-first for ``4/18/2001``, as in the contracts of the SEC)."""
    for form, pattern in DATE_PATTERNS:
        for match in pattern.finditer(document.text):
            value = _iso_date(match)
            if value:
                yield Candidate("date", value, Span(match.start(), match.end()), (f"form:{form}",))


def _iso_date(match: re.Match[str]) -> str | None:
    month = match["month"]
    number = int(month) if month.isdigit() else _month_number(month)
    year = int(match["year"])
    year += 0 if year >= 100 else 1900 if year >= 50 else 2000
    try:
        return date(year, number, int(match["day"])).isoformat() if number else None
    except ValueError:
        return None


def _month_number(name: str) -> int | None:
    word = name.lower().rstrip(".")
    return next((i for i, month in enumerate(MONTHS, start=1) if month.startswith(word[:3])), None)


def durations(document: DocumentText) -> Iterator[Candidate]:
    """``two (2) years``, ``18 months``, ``one year``, ``三年``, ``六个月`` as ``2 years``, ``18 months``, ..."""
    for match in DURATION.finditer(document.text):
        number = _duration_number(match)
        if number is not None and 0 < number <= 100:
            unit = match["unit"].lower()
            yield Candidate("duration", duration_value(number, unit), Span(match.start(), match.end()),
                            (f"unit:{unit}", f"written:{'words' if match['word'] else 'digits'}"))
    for match in CHINESE_DURATION.finditer(document.text):
        number = _chinese_number(match["number"])
        if 0 < number <= 100:
            unit = CHINESE_UNITS[match["unit"]]
            yield Candidate("duration", duration_value(number, unit), Span(match.start(), match.end()),
                            (f"unit:{unit}", "written:chinese"))


def _duration_number(match: re.Match[str]) -> float | None:
    if match["digits"] or match["plain"]:
        return float(match["digits"] or match["plain"])
    return NUMBER_WORDS.get(match["word"].lower())


def _chinese_number(text: str) -> int:
    """``3``, ``三``, ``十二``, ``二十``, ``二十四`` as numbers."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return CHINESE_NUMBERS.get(text, 0) if len(text) == 1 else 0
    tens, _, ones = text.partition("十")
    return CHINESE_NUMBERS.get(tens, 1) * 10 + CHINESE_NUMBERS.get(ones, 0)


def duration_value(number: float, unit: str) -> str:
    """``2 years``, ``1 year``, ``55.5 months``: the form the labels of contract terms use."""
    shown = str(int(number)) if number == int(number) else str(number)
    return f"{shown} {unit}{'' if number == 1 else 's'}"


def places(document: DocumentText) -> Iterator[Candidate]:
    """States and countries by name (``the laws of the State of New York``), and Chinese ones (``中华人民共和国``)."""
    for pattern, name in _PLACE_PATTERNS:
        for match in pattern.finditer(document.text):
            yield Candidate("place", name, Span(match.start(), match.end()),
                            ("place:state" if name in US_STATES else "place:country",))
    for chinese, name in CHINESE_PLACES.items():
        for match in re.finditer(chinese, document.text):
            yield Candidate("place", name, Span(match.start(), match.end()), ("place:chinese",))


def _place_patterns() -> list[tuple[re.Pattern[str], str]]:
    """One pattern per place, as printed or in capitals, not inside a longer name (``New York`` in ``New
    Yorker``, ``China`` in ``People's Republic of China`` are found by their own patterns)."""
    patterns = []
    for name in US_STATES + list(COUNTRIES):
        words = r"\s+".join(re.escape(w) for w in name.split())
        pattern = re.compile(rf"(?<![\w'’])(?:{words}|{words.upper()})(?![\w'’])")
        patterns.append((pattern, name.removeprefix("the ")))
    return patterns


_PLACE_PATTERNS = _place_patterns()


def organisations(document: DocumentText) -> Iterator[Candidate]:
    """Capitalised names ending in a company form (``Kite Pharma, Inc.``, ``W&L Enterprises Ltd.``), each with
    every start a name could have, and Chinese company names (``上海某某科技有限公司``)."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(document.text)]
    for index, (_, end, text) in enumerate(tokens):
        if _is_suffix(text):
            yield from _names_ending_at(tokens, index, "organisation", (f"suffix:{_suffix_key(text)}",))
        elif text.endswith(",") and _DESCRIBED.match(document.text, end - 1):
            yield from _names_ending_at(tokens, index, "organisation", ("suffix:described",))
    for match in CHINESE_ORGANISATION.finditer(document.text):
        yield Candidate("organisation", match.group(), Span(match.start(), match.end()), ("suffix:chinese",))


def _is_suffix(token: str) -> bool:
    word = token.strip(_EDGE_PUNCTUATION)
    return bool(word[:1].isupper() and ORGANISATION_SUFFIX.fullmatch(word))


def _suffix_key(token: str) -> str:
    return re.sub(r"[^a-z]", "", token.lower())


def _names_ending_at(tokens: list[tuple[int, int, str]], last: int, kind: str,
                     detail: tuple[str, ...]) -> Iterator[Candidate]:
    """A candidate for every way the name ending with token ``last`` could begin."""
    first = last
    while first > 0 and last - first + 1 < MAX_NAME_TOKENS and _continues_name(tokens[first - 1][2]):
        first -= 1
    for start in range(first, last):
        if _can_start_name(tokens[start][2]):
            span = Span(tokens[start][0] + _leading_punctuation(tokens[start][2]), tokens[last][1])
            words = [t[2] for t in tokens[start:last + 1]]
            yield Candidate(kind, name_value(words), _trimmed(span, tokens[last][2]),
                            (*detail, f"tokens:{min(last - start + 1, 6)}", f"dropped:{min(start - first, 3)}"))


def _continues_name(token: str) -> bool:
    """Whether ``token`` can stand inside a name, before the words that follow it."""
    word = token.strip(_EDGE_PUNCTUATION)
    if not word or token[-1] in ".:;)”\"" and not _is_initial(token.rstrip(",")) or token[0] in "(“\"":
        return False
    return word.lower() in CONNECTORS or word[0].isupper() or word[0].isdigit() or "&" in word


def _can_start_name(token: str) -> bool:
    word = token.strip(_EDGE_PUNCTUATION)
    starts = word[:1].isupper() or word[:1].isdigit()
    return bool(word) and starts and (word.lower() not in CONNECTORS or word in ("The", "THE"))


def _without_sentence_stop(word: str) -> str:
    """``Enterprises.`` -> ``Enterprises``; ``Inc.``, ``Jr.``, ``L.P.`` and initials keep their full stop."""
    stripped = word.rstrip(_EDGE_PUNCTUATION)
    if not stripped.endswith(".") or _is_initial(stripped) or stripped.lower().rstrip(".") in ABBREVIATIONS:
        return word
    return stripped[:-1]


def _is_initial(token: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.)+", token)) or token.lower() in ("inc.", "co.", "corp.", "ltd.")


def _leading_punctuation(token: str) -> int:
    return len(token) - len(token.lstrip(_EDGE_PUNCTUATION))


def _trimmed(span: Span, last_token: str) -> Span:
    """``span`` without the punctuation that closes its last token (``Inc.,`` -> ``Inc.``)."""
    kept = _without_sentence_stop(last_token.rstrip(_EDGE_PUNCTUATION))
    return Span(span.start, span.end - (len(last_token) - len(kept)))


def name_value(words: list[str]) -> str:
    """A name as the labels write it: no commas or quotes, ``&`` as ``and``, ``L.P.`` as ``LP``, no full stop
    after its last word unless it abbreviates (``Inc.``, ``Jr.``)."""
    words = [*words[:-1], _without_sentence_stop(words[-1])]
    cleaned = []
    for word in words:
        word = word.strip(_EDGE_PUNCTUATION).replace(",", "")
        word = word.replace("&", " and ").strip()
        cleaned.append(_CLOSED_UP.get(word.lower(), word))
    return " ".join(" ".join(cleaned).split())


def person_names(document: DocumentText) -> Iterator[Candidate]:
    """Runs of two to five capitalised words none of which the document also writes in lower case (``Eric Dean
    Sprunk``, ``Patrick J. Mahaffy``), and the same run without its first word."""
    counts = Counter(re.findall(r"(?<![\w.@/])[a-z][a-z'’-]+(?![\w@/])", document.text))
    lower = {word for word, count in counts.items() if count > 1}
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(document.text)]
    run: list[int] = []
    for index, (_, _, text) in enumerate(tokens + [(0, 0, "")]):
        if text and _is_name_word(text, lower) and (not run or _continues_name(tokens[run[-1]][2])):
            run.append(index)
            continue
        if run:
            yield from _name_runs(tokens, run, document.text)
        run = [index] if text and _is_name_word(text, lower) else []


def _is_name_word(token: str, lower: set[str]) -> bool:
    word = token.strip(_EDGE_PUNCTUATION).rstrip(".")
    if _is_initial(token.strip(_EDGE_PUNCTUATION)) and len(word) == 1:
        return True
    return len(word) > 1 and word[0].isupper() and word[1:].replace("-", "").isalpha() and word.lower() not in lower


def _name_runs(tokens: list[tuple[int, int, str]], run: list[int], text: str) -> Iterator[Candidate]:
    """The run, the run without its first word, and each of its lines (a signature block stacks names)."""
    pieces = {(run[0], run[-1]), (run[0] + 1, run[-1])}
    breaks = [i for i in run[1:] if "\n" in text[tokens[i - 1][1]:tokens[i][0]]]
    for first, last in zip([run[0], *breaks], [*(b - 1 for b in breaks), run[-1]]):
        pieces.add((first, last))
    for first, last in sorted(pieces):
        if 2 <= last - first + 1 <= 5:
            words = [tokens[i][2] for i in range(first, last + 1)]
            span = Span(tokens[first][0] + _leading_punctuation(tokens[first][2]), tokens[last][1])
            yield Candidate("name", name_value(words), _trimmed(span, tokens[last][2]),
                            (f"tokens:{last - first + 1}", f"dropped:{min(first - run[0], 3)}"))


def amounts(document: DocumentText) -> Iterator[Candidate]:
    """Sums of money with their currency (``$250,000``, ``USD 1,200.00``, ``人民币 50,000 元``) as decimal
    strings; the currency is the candidate's detail."""
    seen: set[int] = set()
    for pattern in (AMOUNT, CHINESE_AMOUNT):
        for match in pattern.finditer(document.text):
            if match.start("number") in seen or _currency_of(match) not in ISO_CURRENCIES:
                continue
            seen.add(match.start("number"))
            currency = _currency_of(match)
            yield Candidate("amount", _amount_value(match), Span(match.start(), match.end()),
                            (f"currency:{currency}",))


def _currency_of(match: re.Match[str]) -> str:
    written = (match.groupdict().get("currency") or "元").upper()
    return CURRENCY_CODES.get(written, "CNY" if written == "元" else written)


def _amount_value(match: re.Match[str]) -> str:
    whole = int(match["number"].replace(",", ""))
    cents = int((match["cents"] or "0").ljust(2, "0"))
    scale = (match["scale"] or "").strip().lower()
    factor = {"million": 1_000_000, "billion": 1_000_000_000, "万": 10_000}.get(scale, 1)
    total = (whole * 100 + cents) * factor
    return f"{total // 100}.{total % 100:02d}"


def currency_of(candidate: Candidate) -> str | None:
    """The ISO currency an amount candidate was written in."""
    return next((d.removeprefix("currency:") for d in candidate.detail if d.startswith("currency:")), None)


def headings(document: DocumentText) -> Iterator[Candidate]:
    """Short lines near the top of the first page, alone and joined with the next (titles wrap): the title's
    candidates."""
    lines = [i for i, line in enumerate(document.lines[:HEADING_LINES]) if _heading_like(line.text)]
    for index in lines:
        yield _heading(document, index, index)
        if index + 1 in lines:
            yield _heading(document, index, index + 1)


def _heading_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 14 and len(text) <= 80 and any(c.isalpha() for c in text) \
        and not text.rstrip().endswith(",")


def _heading(document: DocumentText, first: int, last: int) -> Candidate:
    start = document.line_starts[first]
    following = last + 1
    end = document.line_starts[following] - 1 if following < len(document.line_starts) else len(document.text)
    value = " ".join(document.text[start:end].split())
    return Candidate("heading", value, Span(start, end), (f"lines:{last - first + 1}",))


def identifiers(document: DocumentText) -> Iterator[Candidate]:
    """Reference numbers (a contract's number)."""
    for match in IDENTIFIER.finditer(document.text):
        if not DATE_PATTERNS[-2][1].fullmatch(match.group()):
            yield Candidate("identifier", match.group(), Span(match.start(), match.end()),
                            (f"length:{min(len(match.group()) // 4, 5)}",))


def phrases(document: DocumentText) -> Iterator[Candidate]:
    """Pieces of the clauses that speak of paying or renewing (``within thirty (30) days of receipt of a valid
    invoice``, ``automatically renews for successive one-year periods``, ``按月支付``): each stretch between two
    breaks around such a word, and its tail after a verb (``are payable``)."""
    for trigger in PHRASE_TRIGGERS.finditer(document.text):
        start, end = _phrase_bounds(document.text, trigger.start(), trigger.end())
        yield from _phrase_pieces(document.text, start, end)


def _phrase_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in PHRASE_BREAKS.finditer(text, max(0, start - MAX_PHRASE), start)), default=None)
    right = next((m.start() for m in PHRASE_BREAKS.finditer(text, end, end + MAX_PHRASE)), None)
    return (left if left is not None else start), (right if right is not None else end)


def _phrase_pieces(text: str, start: int, end: int) -> Iterator[Candidate]:
    starts = {start, *(m.end() for m in PHRASE_STARTS.finditer(text, start, end))}
    for first in sorted(starts):
        value = " ".join(text[first:end].split()).strip(" \"“”")
        if 3 <= len(value) <= MAX_PHRASE:
            yield Candidate("phrase", value, Span(first, end), (f"tail:{first != start}",))


FINDERS: tuple[Callable[[DocumentText], Iterator[Candidate]], ...] = (
    dates, durations, places, organisations, person_names, amounts, headings, identifiers, phrases)
KINDS = ("date", "duration", "place", "organisation", "name", "amount", "heading", "identifier", "phrase")
