"""A first invoice extractor: labelled values found in text segments, each with its evidence."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from core.money import money_str, parse_amount, parse_date
from extraction.model import ExtractedField, Line, Word, union_bbox
from extraction.normalize import currency_code, currency_in
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
    _rule("customer_name", "text", r"bill\s*to", r"customer(?:\s*name)?", r"sold\s*to", r"rechnungsempfänger",
          r"购买方名称"),
    _rule("po_number", "text", r"p\.?\s*o\.?\s*(?:no\.?|number|#)", r"purchase\s*order(?:\s*(?:no\.?|number))?"),
    _rule("subtotal", "amount", r"sub\s*-?\s*total", r"net\s*(?:amount|total)", r"total\s*net",
          r"total\s*(?:excl\.?|excluding|before)\s*(?:vat|tax)", r"nettobetrag", r"合计金额"),
    _rule("total_amount", "amount", r"(?:grand\s*)?total(?:\s*amount)?(?:\s*due)?(?:\s*\(?incl\.?[^)0-9]*\)?)?",
          r"amount\s*due", r"balance\s*due", r"gesamtbetrag", r"价税合计"),
    _rule("tax_amount", "amount", r"(?:vat|tax|gst|mwst|ust|sales\s*tax)\.?(?:\s*amount)?(?:\s*\(?\s*\d+(?:[.,]\d+)?\s*%\s*\)?)?",
          r"税额"),
)

TITLE_WORDS = re.compile(r"^(tax\s+)?(invoice|rechnung|facture|bill|receipt|page\b.*)$|发票", re.IGNORECASE)
RATE = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?)\s*%")


BESIDE, BELOW = 2, 1
"""How a value relates to its label; a value beside its label beats one below another label."""


def extract_invoice_fields(lines: list[Line]) -> dict[str, ExtractedField]:
    """Canonical invoice fields found in ``lines`` (all pages, reading order)."""
    rows = split_lines(lines)
    best: dict[str, tuple[int, ExtractedField]] = {}
    for row_index, row in enumerate(rows):
        next_row = rows[row_index + 1] if row_index + 1 < len(rows) else []
        for position, segment in enumerate(row):
            found = _labelled_field(segment, row, position, next_row)
            if found and (found[0] not in best or found[1] > best[found[0]][0]):
                best[found[0]] = found[1:]
    fields = {name: field for name, (_, field) in best.items()}
    _add_tax_rate(fields)
    _add_vendor_name(fields, rows)
    _add_currency(fields, lines)
    return fields


def _labelled_field(segment: Segment, row: list[Segment], position: int, next_row: list[Segment]):
    """``(field, BESIDE | BELOW, ExtractedField)`` when ``segment`` starts with a label and its value is found."""
    for rule in RULES:
        match = rule.pattern.match(segment.text)
        if not match:
            continue
        value_words, placement = _value_beside(segment, match.end(), row, position), BESIDE
        if not value_words:  # a label alone, or a header row: look in the row below
            value_words, placement = _segment_below(segment, next_row), BELOW
        parsed = _parse(rule.kind, " ".join(w.text for w in value_words)) if value_words else None
        if parsed is not None:
            confidence = 0.9 if placement == BESIDE else 0.75
            return rule.field, placement, _field(parsed, confidence, value_words, segment, row)
    return None


def _value_beside(segment: Segment, offset: int, row: list[Segment], position: int) -> list[Word]:
    """The rest of the label's segment, else the next segment unless that is another label."""
    rest = _words_after(segment, offset)
    if rest or position + 1 >= len(row):
        return rest
    following = row[position + 1]
    return [] if _is_label(following.text) else list(following.words)


def _is_label(text: str) -> bool:
    return any(rule.pattern.match(text) for rule in RULES)


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
    """The last amount in ``text`` when it holds nothing but amounts, currencies and rates."""
    amounts = []
    for token in text.split():
        if token.endswith("%") or _is_currency_word(token):
            continue
        amount = parse_amount(token)
        if amount is None:
            return None  # words: this is a line item or prose, not a labelled amount
        amounts.append(amount)
    return money_str(amounts[-1]) if amounts else None


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
    if TITLE_WORDS.match(text.strip()) or _is_label(text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 3 and letters >= len(text.replace(" ", "")) / 2


def _add_currency(fields: dict[str, ExtractedField], lines: list[Line]) -> None:
    """The currency printed with the total, else the one printed most often."""
    total = fields.get("total_amount")
    if total and (code := currency_in(total.evidence)):
        fields["currency"] = ExtractedField(code, 0.9, total.page, total.bbox, "pdf_text", total.evidence)
        return
    mentions = [(code, line) for line in lines if (code := currency_in(line.text))]
    if mentions:
        code = Counter(c for c, _ in mentions).most_common(1)[0][0]
        line = next(line for c, line in mentions if c == code)
        fields["currency"] = ExtractedField(code, 0.7, line.page, line.bbox, "pdf_text", line.text)


def _is_currency_word(token: str) -> bool:
    """``EUR``, ``€`` or ``元`` standing alone (``€12`` is an amount)."""
    return not any(char.isdigit() for char in token) and currency_code(token) is not None
