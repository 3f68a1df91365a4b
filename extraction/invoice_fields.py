"""A first invoice extractor: labelled values found in text segments, each with its evidence."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from core.money import money_str, parse_amount, parse_date
from extraction.model import ExtractedField, Line, Word, union_bbox
from extraction.segments import Segment, split_lines

PRODUCER = "invoice-labels/1"


@dataclass(frozen=True)
class LabelRule:
    field: str
    pattern: re.Pattern[str]
    kind: str  # text | amount | date


def _rule(field: str, kind: str, *labels: str) -> LabelRule:
    return LabelRule(field, re.compile(r"^\s*(?:" + "|".join(labels) + r")(?![A-Za-z])\s*[:#.]?\s*", re.IGNORECASE), kind)


# Order matters: the first rule whose label starts a segment claims it.
RULES: tuple[LabelRule, ...] = (
    _rule("vendor_tax_id", "text", r"vat\s*(?:id|reg(?:istration)?\.?\s*(?:no|number)?|no\.?|number)",
          r"tax\s*(?:id|number|no\.?)", r"ust-?id(?:nr)?\.?", r"gst\s*(?:reg\.?\s*)?(?:no|number)", r"纳税人识别号"),
    _rule("invoice_number", "text", r"invoice\s*(?:no\.?|number|num\.?|#)", r"inv\.?\s*no\.?",
          r"rechnungs?-?\s*(?:nr\.?|nummer)", r"bill\s*no\.?", r"发票号码"),
    _rule("invoice_date", "date", r"invoice\s*date", r"date\s*of\s*issue", r"issue\s*date", r"rechnungsdatum",
          r"开票日期", r"date"),
    _rule("due_date", "date", r"due\s*date", r"payment\s*due(?:\s*date)?", r"fällig(?:keit)?(?:sdatum)?"),
    _rule("po_number", "text", r"p\.?\s*o\.?\s*(?:no\.?|number|#)", r"purchase\s*order(?:\s*(?:no\.?|number))?"),
    _rule("subtotal", "amount", r"sub\s*-?\s*total", r"net\s*(?:amount|total)", r"total\s*net",
          r"total\s*(?:excl\.?|excluding|before)\s*(?:vat|tax)", r"nettobetrag", r"合计金额"),
    _rule("total_amount", "amount", r"(?:grand\s*)?total(?:\s*amount)?(?:\s*due)?(?:\s*\(?incl\.?[^)0-9]*\)?)?",
          r"amount\s*due", r"balance\s*due", r"gesamtbetrag", r"价税合计"),
    _rule("tax_amount", "amount", r"(?:vat|tax|gst|mwst|ust|sales\s*tax)\.?(?:\s*amount)?(?:\s*\(?\s*\d+(?:[.,]\d+)?\s*%\s*\)?)?",
          r"税额"),
)

TITLE_WORDS = re.compile(r"^(tax\s+)?(invoice|rechnung|facture|bill|receipt|page\b.*)$|发票", re.IGNORECASE)
CURRENCY_CODES = ("EUR", "USD", "GBP", "CNY", "CHF", "JPY", "SGD", "MYR", "HKD", "AUD", "CAD", "SEK", "NOK", "DKK", "PLN")
CURRENCY_SYMBOLS = {"€": "EUR", "£": "GBP", "$": "USD", "¥": "CNY", "￥": "CNY", "RMB": "CNY", "元": "CNY"}
RATE = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?)\s*%")


def extract_invoice_fields(lines: list[Line]) -> dict[str, ExtractedField]:
    """Canonical invoice fields found in ``lines`` (all pages, reading order)."""
    rows = split_lines(lines)
    fields: dict[str, ExtractedField] = {}
    for row_index, row in enumerate(rows):
        for position, segment in enumerate(row):
            found = _labelled_field(segment, row, position, rows[row_index + 1] if row_index + 1 < len(rows) else [])
            if found and found[0] not in fields:
                fields[found[0]] = found[1]
    _add_tax_rate(fields)
    _add_vendor_name(fields, rows)
    _add_currency(fields, lines)
    return fields


def _labelled_field(segment: Segment, row: list[Segment], position: int, next_row: list[Segment]):
    for rule in RULES:
        match = rule.pattern.match(segment.text)
        if not match:
            continue
        value_words = _words_after(segment, match.end())
        if not value_words and position + 1 < len(row):
            value_words = list(row[position + 1].words)
        if not value_words and rule.kind != "amount":
            value_words = _segment_below(segment, next_row)
        parsed = _parse(rule.kind, " ".join(w.text for w in value_words)) if value_words else None
        if parsed is None:
            continue
        confidence = 0.9 if value_words[0] in segment.words or position + 1 < len(row) else 0.75
        return rule.field, _field(parsed, confidence, value_words, segment, row)
    return None


def _words_after(segment: Segment, offset: int) -> list[Word]:
    """The words of ``segment`` that start at or after character ``offset`` of its text."""
    words, cursor = [], 0
    for word in segment.words:
        if cursor >= offset:
            words.append(word)
        cursor += len(word.text) + 1
    return words


def _segment_below(segment: Segment, next_row: list[Segment]) -> list[Word]:
    x0, _, x1, _ = segment.bbox
    for candidate in next_row:
        cx0, _, cx1, _ = candidate.bbox
        if cx0 < x1 and cx1 > x0:
            return list(candidate.words)
    return []


def _parse(kind: str, text: str):
    if kind == "amount":
        return _last_amount(text)
    if kind == "date":
        found = parse_date(text)
        return found.isoformat() if found else None
    value = text.strip(" :#")
    return value or None


def _last_amount(text: str) -> str | None:
    for token in reversed(text.split()):
        if token.endswith("%"):
            continue
        amount = parse_amount(token)
        if amount is not None:
            return money_str(amount)
    return None


def _field(value, confidence: float, value_words: list[Word], segment: Segment, row: list[Segment]) -> ExtractedField:
    evidence = " ".join(s.text for s in row)
    return ExtractedField(value, confidence, segment.page, union_bbox(value_words), "pdf_text", evidence)


def _add_tax_rate(fields: dict[str, ExtractedField]) -> None:
    tax = fields.get("tax_amount")
    match = RATE.search(tax.evidence) if tax else None
    if match:
        rate = Decimal(match.group(1).replace(",", "."))
        fields["tax_rate"] = ExtractedField(str(rate.normalize()), 0.85, tax.page, tax.bbox, "rule",
                                            f"rate printed beside the tax: {match.group(0)}")


def _add_vendor_name(fields: dict[str, ExtractedField], rows: list[list[Segment]]) -> None:
    candidates = [
        segment for row in rows for segment in row
        if segment.page == 1 and segment.bbox[1] < 0.35 and _looks_like_name(segment.text)
    ]
    if not candidates:
        return
    best = max(candidates, key=lambda s: (max(w.size for w in s.words), -s.bbox[1]))
    fields["vendor_name"] = ExtractedField(best.text, 0.6, best.page, best.bbox, "pdf_text",
                                           "largest name-like text at the top of page 1")


def _looks_like_name(text: str) -> bool:
    if TITLE_WORDS.match(text.strip()) or any(rule.pattern.match(text) for rule in RULES):
        return False
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 3 and letters >= len(text.replace(" ", "")) / 2


def _add_currency(fields: dict[str, ExtractedField], lines: list[Line]) -> None:
    """The currency printed with the total, else the one printed most often."""
    total = fields.get("total_amount")
    if total and (code := _currency_in(total.evidence)):
        fields["currency"] = ExtractedField(code, 0.9, total.page, total.bbox, "pdf_text", total.evidence)
        return
    mentions = [(code, line) for line in lines if (code := _currency_in(line.text))]
    if mentions:
        code = Counter(c for c, _ in mentions).most_common(1)[0][0]
        line = next(line for c, line in mentions if c == code)
        fields["currency"] = ExtractedField(code, 0.7, line.page, line.bbox, "pdf_text", line.text)


def _currency_in(text: str) -> str | None:
    for code in CURRENCY_CODES:
        if re.search(rf"\b{code}\b", text):
            return code
    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in text:
            return code
    return None
