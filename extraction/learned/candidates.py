"""Where a field's value could be on a page: every line, short blocks of lines, the part of a line after its
label, and every amount, date, time, code and rate printed. Each candidate carries its value in canonical form
(ISO dates, ``"1234.56"`` amounts), its words and where it stands; a learned model chooses among them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from core.money import money_str, parse_amount, parse_date
from extraction.line_items import rate_text
from extraction.model import Line, Word, union_bbox
from extraction.normalize import currency_code
from extraction.segments import split_line

KINDS = ("line", "block", "rest", "amount", "date", "time", "code", "rate")
"""line: a whole line; block: 2-4 lines one under the other (addresses); rest: a line after its label (``Bill to:
ACME``); the others: one value printed inside a line."""
MAX_BLOCK_LINES = 5

AMOUNT = re.compile(r"^[(\-]?\d{1,3}(?:[,.' ]\d{3})*(?:[.,]\d{1,2})[)\-]?$|^[(\-]?\d+[.,]\d{2}[)\-]?$")
CURRENCY_PREFIX = re.compile(r"^(?:[A-Z]{2,3}|RM|[$€£¥￥])(?=[\d(\-])")
DATE = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\b\d{4}[./\-]\d{1,2}[./\-]\d{1,2}\b"
    r"|\b\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?[\s\-.]*[A-Za-z]{3,9}\.?[\s\-.,]*\d{2,4}\b"
    r"|\b[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b")
TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?\b")
RATE = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?)\s*%")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/\-_.]*\d[A-Za-z0-9/\-_.]*$")
TRAILING_NUMBER = re.compile(r"(?:\s+[(\[]?|\s*[(\[])\s*(?:co\.?\s*(?:reg\.?\s*)?no\.?\s*[:.]?\s*)?"
                             r"[\dA-Z][\dA-Z\s\-]*\d[\dA-Z\s\-]*[)\]]?[.,]?$", re.IGNORECASE)
"""A registration number printed after a name: ``ACME SDN BHD (139386-X)``, ``ACME LTD Co. No. 0123``."""
ATTACHED_AMOUNT = re.compile(r"(?<=[^\w.,'])[(\-]?(?:RM|[$€£¥￥])?\d[\d.,']*\)?$")
THOUSANDS_GROUP = re.compile(r"^[€$£¥]?\d{1,3}$")
SPACED_REST = re.compile(r"^\d{3}(?:[.,]\d{1,2})?$")
"""``2 934,54``: a group of thousands printed apart from the rest of the amount."""
LABEL_END = re.compile(r"^(.{2,40}?)(?:[:：#]|\bno\.)\s*(?=\S)", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    kind: str
    value: str
    words: tuple[Word, ...]
    page: int
    line_index: int
    """The (first) line it is on, in the document's reading order."""
    line_count: int = 1

    @property
    def bbox(self):
        return union_bbox(self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def candidates(lines: list[Line]) -> list[Candidate]:
    """Every candidate of a document's lines (all pages, reading order)."""
    found: list[Candidate] = []
    for index, line in enumerate(lines):
        found.extend(line_candidates(line, index))
        found.extend(block_candidates(lines, index))
    return found


def line_candidates(line: Line, index: int) -> list[Candidate]:
    """The line itself and each of its columns (a form prints ``Name: Anna Patel    ID: E85263`` on one line),
    what follows a label, and each value printed in it."""
    whole = Candidate("line", line.text.strip(), line.words, line.page, index)
    return [whole, *_without_number(line, index), *_rest(line, index), *_columns(line, index),
            *amounts_in(line, index), *dates_in(line, index), *_times(line, index), *_codes(line, index),
            *rates_in(line, index)]


def _columns(line: Line, index: int) -> list[Candidate]:
    """Each part of a line that a wide gap sets apart, and what follows its label, when there are several."""
    parts = split_line(line, index)
    if len(parts) < 2:
        return []
    found = []
    for part in parts:
        found.append(Candidate("line", part.text.strip(), part.words, line.page, index))
        found.extend(_rest(part, index))
    return found


def block_candidates(lines: list[Line], start: int) -> list[Candidate]:
    """Lines ``start`` .. ``start+k`` read as one block, when each stands right under the one before."""
    blocks, words = [], list(lines[start].words)
    for end in range(start + 1, min(start + MAX_BLOCK_LINES, len(lines))):
        if not _stacked(lines[end - 1], lines[end]):
            break
        words.extend(lines[end].words)
        text = " ".join(line.text for line in lines[start:end + 1])
        blocks.append(Candidate("block", text, tuple(words), lines[start].page, start, end - start + 1))
    return blocks


def _stacked(upper: Line, lower: Line) -> bool:
    """Whether ``lower`` follows ``upper`` closely on the same page (no more than a line's height between)."""
    if upper.page != lower.page:
        return False
    height = upper.bbox[3] - upper.bbox[1]
    return -0.6 * height <= lower.bbox[1] - upper.bbox[3] <= 1.5 * height


def _without_number(line: Line, index: int) -> list[Candidate]:
    """The line without the registration number after a name (``GARDENIA BAKERIES SDN BHD (139386 X)``)."""
    match = TRAILING_NUMBER.search(line.text)
    if not match or match.start() == 0:
        return []
    words = [w for w in _words_of_span(line, (0, match.start())) if w.text.strip("([")]
    text = line.text[:match.start()].strip()
    return [Candidate("line", text, tuple(words), line.page, index)] if words and text else []


def _rest(line: Line, index: int) -> list[Candidate]:
    """The words after a label that ends in ``:`` or ``#`` or ``No.`` (``Invoice No: 123`` -> ``123``)."""
    match = LABEL_END.match(line.text)
    if not match:
        return []
    words = _words_from(line.words, match.end())
    return [Candidate("rest", " ".join(w.text for w in words), tuple(words), line.page, index)] if words else []


def _words_from(words: tuple[Word, ...], offset: int) -> list[Word]:
    """The words that start at or after character ``offset`` of the words joined by spaces; a word the offset
    falls inside keeps only its tail."""
    kept, cursor = [], 0
    for word in words:
        end = cursor + len(word.text)
        if cursor >= offset:
            kept.append(word)
        elif end > offset:
            kept.append(Word(word.text[offset - cursor:], word.bbox, word.confidence, word.size))
        cursor = end + 1
    return kept


def amounts_in(line: Line, index: int) -> list[Candidate]:
    """Each word that is an amount, and a thousands group printed apart from the rest (``2 934,54``)."""
    found, words = [], line.words
    for position, word in enumerate(words):
        if (value := amount_value(word.text) or _attached_amount(word.text)) is not None:
            found.append(Candidate("amount", value, (word,), line.page, index))
        if position and THOUSANDS_GROUP.match(words[position - 1].text) and SPACED_REST.match(word.text):
            pair = (words[position - 1], word)
            if (value := amount_value(f"{pair[0].text.lstrip('€$£¥')} {word.text}")) is not None:
                found.append(Candidate("amount", value, pair, line.page, index))
    return found


def _attached_amount(token: str) -> str | None:
    """An amount printed against a label without a space (``（小写）¥1158.25``, ``Total:RM9.00``)."""
    match = ATTACHED_AMOUNT.search(token)
    return amount_value(match.group(0)) if match and match.start() > 0 else None


def amount_value(token: str) -> str | None:
    """``"1234.56"`` for a token printed as a money amount (``1,234.56``, ``RM9.00``, ``1.234,56``, ``€12.00``,
    ``(5.00)``); None for dates, times, quantities and words."""
    bare = CURRENCY_PREFIX.sub("", token.strip().rstrip("€$"))
    if not AMOUNT.match(bare):
        return None
    if CURRENCY_PREFIX.match(token.strip()) and currency_code(CURRENCY_PREFIX.match(token.strip()).group(0)) is None:
        return None
    amount = parse_amount(bare)
    return money_str(amount) if amount is not None else None


def dates_in(line: Line, index: int) -> list[Candidate]:
    """Each date printed in the line, as ISO."""
    return [Candidate("date", found.isoformat(), tuple(words), line.page, index)
            for match in DATE.finditer(line.text)
            if (found := parse_date(match.group(0))) and (words := _words_of_span(line, match.span()))]


def _times(line: Line, index: int) -> list[Candidate]:
    return [Candidate("time", match.group(0), tuple(words), line.page, index)
            for match in TIME.finditer(line.text) if (words := _words_of_span(line, match.span()))]


def rates_in(line: Line, index: int) -> list[Candidate]:
    """Each percentage printed in the line (``19%``, ``5,5 %``), as ``19`` or ``5.5``."""
    return [Candidate("rate", rate_text(Decimal(match.group(1).replace(",", "."))), tuple(words), line.page, index)
            for match in RATE.finditer(line.text) if (words := _words_of_span(line, match.span()))]


def _codes(line: Line, index: int) -> list[Candidate]:
    return [Candidate("code", word.text.strip(":#.,"), (word,), line.page, index)
            for word in line.words if CODE.match(word.text.strip(":#.,")) and amount_value(word.text) is None]


def _words_of_span(line: Line, span: tuple[int, int]) -> list[Word]:
    """The words of ``line`` that overlap characters ``span`` of its text."""
    kept, cursor = [], 0
    for word in line.words:
        end = cursor + len(word.text)
        if cursor < span[1] and end > span[0]:
            kept.append(word)
        cursor = end + 1
    return kept
