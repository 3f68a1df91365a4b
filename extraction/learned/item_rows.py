"""An item's printed lines read into its values, pure. Which lines make an item, and which line is the header of
its table, the line model decides (``line_items.py``); this module only reads them.

The words of the lines become tokens: amounts, plain numbers (a quantity, a unit price with four decimals),
percentages, dates, currencies, the signs of ``2 x 3.50`` and words. The header row, where there is one, names the
columns (``Qty``, ``Menge``, ``数量``, ``Unit price``, ``金额`` ...). Arithmetic settles the rest: the amount is the
row's amount that is quantity x unit price when such a pair is printed, else the one in the amount column, else
the rightmost; the quantity and unit price are that pair; the tax amount is the rate's share of the amount."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from core.money import parse_amount, parse_date, round_money
from extraction.learned.candidates import Candidate, amount_value, amounts_in, dates_in, rates_in
from extraction.line_items import ClaimItem, LineItem
from extraction.model import Line, Word, union_bbox
from extraction.normalize import currency_code

COLUMN_LABELS: dict[str, tuple[str, ...]] = {
    "description": ("description", "item description", "beschreibung", "bezeichnung", "artikel",
                    "artikelbezeichnung", "produkt", "leistung", "désignation", "designation", "libellé", "article",
                    "particulars", "details", "品名", "名称", "项目名称", "商品名称", "货物或应税劳务、服务名称",
                    "货物或应税劳务名称", "摘要"),
    "quantity": ("qty", "quantity", "menge", "anzahl", "anz", "qté", "quantité", "数量"),
    "unit": ("unit", "uom", "einheit", "unité", "单位"),
    "unit_price": ("unit price", "price", "unit cost", "einzelpreis", "preis", "nettopreis", "stückpreis",
                   "e-preis", "prix unit", "prix unitaire", "pu", "单价"),
    "amount": ("amount", "total", "line total", "net amount", "betrag", "gesamt", "gesamtbetrag", "gesamtpreis",
               "nettobetrag", "summe", "montant", "montant ht", "金额"),
    "tax_rate": ("vat", "vat %", "tax", "tax %", "gst", "ust", "mwst", "steuersatz", "tva", "税率"),
    "tax_amount": ("vat amount", "tax amount", "ust-betrag", "税额"),
    "date": ("date", "datum", "日期"),
    "category": ("category", "type", "expense type", "kategorie", "费用类别", "类别"),
    "spec": ("spec", "specification", "规格型号"),
    "position": ("pos", "position", "nr", "no", "#", "réf", "序号"),
}
"""The words a table's header prints above each column, in English, German, French and Chinese (lower case, without
a trailing dot or colon). Also features of the line model."""
LABEL_ROLE = {label: role for role, labels in COLUMN_LABELS.items() for label in labels}
LONGEST_LABEL = max(len(label.split()) for label in LABEL_ROLE)
CJK_LABELS = sorted((label for label in LABEL_ROLE if not label.isascii()), key=len, reverse=True)
TEXT_ROLES = ("description", "category", "unit", "spec")
OPERATORS = frozenset({"x", "X", "×", "*", "@", "="})
MULTIPLIED = re.compile(r"^(\d+(?:[.,]\d+)?)([x×X*@])(\S+)$")
"""``3×36.20``: a quantity and a price printed as one word."""
NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)*$")
UNIT = re.compile(r"^[^\W\d_][^\d\s]{0,7}$")
"""A unit printed beside its quantity: ``Stk.``, ``pce``, ``h``, ``visit``, ``月``."""
COLUMN_GAP = 0.03
"""A gap this wide (page fraction) between two words sets them in different columns (``segments.split_line``)."""
CENT = Decimal("0.01")
TAX_TOLERANCE = Decimal("0.02")


@dataclass(frozen=True)
class Token(Line):
    """A word (or a few: ``1 701,00``, ``20 %``) of an item's lines, with what it is and its canonical value."""

    kind: str = "text"
    """amount | number | rate | date | currency | operator | text"""
    row: int = 0
    """Which of the item's lines it is on."""
    value: str | None = None

    @property
    def number(self) -> Decimal | None:
        return Decimal(self.value) if self.kind in ("amount", "number", "rate") and self.value else None


@dataclass(frozen=True)
class Column:
    """A column the header names: its role and its horizontal extent (page fractions)."""

    role: str
    x0: float
    x1: float


# --- tokens -------------------------------------------------------------------------------------------------------


def item_tokens(lines: Sequence[Line]) -> list[Token]:
    """The tokens of an item's lines, line by line, left to right."""
    return [token for row, line in enumerate(lines) for token in row_tokens(line, row)]


def row_tokens(line: Line, row: int) -> list[Token]:
    """One line's tokens: dates, percentages and amounts first (they may span words), then each other word."""
    line = Line(line.page, tuple(part for word in line.words for part in split_multiplied(word)))
    spans = claimed_spans(line, row)
    taken = {id(word) for token in spans for word in token.words}
    singles = [word_token(word, line.page, row) for word in line.words if id(word) not in taken]
    return sorted(spans + singles, key=lambda token: token.bbox[0])


def split_multiplied(word: Word) -> tuple[Word, ...]:
    """``3×36.20`` as the words ``3``, ``×``, ``36.20``, each with its share of the word's box."""
    match = MULTIPLIED.match(word.text)
    if not match or amount_value(match.group(3)) is None:
        return (word,)
    return tuple(part_of_word(word, match.start(group), match.end(group)) for group in (1, 2, 3))


def part_of_word(word: Word, start: int, end: int) -> Word:
    """Characters ``start:end`` of a word, with their share of its box (its characters taken as equally wide)."""
    x0, y0, x1, y1 = word.bbox
    share = (x1 - x0) / max(len(word.text), 1)
    return Word(word.text[start:end], (x0 + share * start, y0, x0 + share * end, y1), word.confidence, word.size)


def claimed_spans(line: Line, row: int) -> list[Token]:
    """Dates, then percentages, then amounts (thousands printed apart before their parts), none sharing a word."""
    found: list[Token] = []
    taken: set[int] = set()
    ordered = [*dates_in(line, 0), *rates_in(line, 0),
               *sorted(amounts_in(line, 0), key=lambda c: -len(c.words))]
    for candidate in ordered:
        if taken.isdisjoint(map(id, candidate.words)) and (candidate.kind != "amount" or _spaced_closely(candidate)):
            found.append(Token(line.page, candidate.words, candidate.kind, row, candidate.value))
            taken.update(map(id, candidate.words))
    return found


def _spaced_closely(candidate: Candidate) -> bool:
    """Whether the words of a value stand a space apart (``1 701,00``), not a column apart (``3   156,00``)."""
    words = candidate.words
    height = max(w.bbox[3] - w.bbox[1] for w in words)
    return all(b.bbox[0] - a.bbox[2] <= 0.6 * height for a, b in zip(words, words[1:]))


def word_token(word: Word, page: int, row: int) -> Token:
    text = word.text
    if text in OPERATORS:
        return Token(page, (word,), "operator", row)
    if NUMBER.match(text) and (number := parse_amount(text)) is not None:
        return Token(page, (word,), "number", row, str(number))
    if not any(ch.isdigit() for ch in text) and (code := currency_code(text)):
        return Token(page, (word,), "currency", row, code)
    return Token(page, (word,), "text", row)


# --- the header ---------------------------------------------------------------------------------------------------


def header_columns(line: Line | None) -> list[Column]:
    """The columns a header line names, left to right; a Chinese header word may name several (``数量×单价``)."""
    if line is None:
        return []
    words, columns, position = line.words, [], 0
    while position < len(words):
        size, role = _label_at(words, position)
        if role:
            box = union_bbox(words[position:position + size])
            columns.append(Column(role, box[0], box[2]))
        else:
            columns += _labels_inside(words[position])
        position += size
    return columns


def _label_at(words: Sequence[Word], position: int) -> tuple[int, str | None]:
    """The longest label starting at ``words[position]``: how many words it takes and its role."""
    for size in range(min(LONGEST_LABEL, len(words) - position), 0, -1):
        phrase = " ".join(_label_form(w.text) for w in words[position:position + size])
        if phrase in LABEL_ROLE:
            return size, LABEL_ROLE[phrase]
    return 1, None


def _label_form(text: str) -> str:
    return text.lower().strip().rstrip(".:：")


def _labels_inside(word: Word) -> list[Column]:
    """Chinese labels printed together in one word, each with its share of the word's width."""
    columns, taken = [], set()
    for label in CJK_LABELS:
        start = word.text.find(label)
        if start >= 0 and taken.isdisjoint(range(start, start + len(label))):
            taken.update(range(start, start + len(label)))
            part = part_of_word(word, start, start + len(label))
            columns.append(Column(LABEL_ROLE[label], part.bbox[0], part.bbox[2]))
    return sorted(columns, key=lambda c: c.x0)


def column_role(token: Token, columns: Sequence[Column]) -> str | None:
    """The role of the header column standing over ``token`` (the one it overlaps most), if any."""
    x0, _, x1, _ = token.bbox
    best = max(columns, key=lambda c: min(x1, c.x1) - max(x0, c.x0), default=None)
    return best.role if best and min(x1, best.x1) - max(x0, best.x0) > 0 else None


# --- invoice and receipt items ------------------------------------------------------------------------------------


def read_invoice_item(lines: Sequence[Line], header: Line | None = None) -> LineItem:
    """The values of an invoice's or a receipt's item printed on ``lines`` (its row and any wrapped lines), read
    with the columns ``header`` names."""
    tokens, columns = item_tokens(lines), header_columns(header)
    chosen = priced(tokens, columns)
    chosen |= taxed(tokens, columns, chosen)
    chosen |= unit_beside_quantity(tokens, chosen)
    left_out = set(chosen.values()) | position_tokens(tokens, columns, chosen) | after_amount(tokens, chosen)
    texts = text_by_role(tokens, columns, left_out, taken=tuple(chosen))
    unit = tokens[chosen["unit"]].text if "unit" in chosen else texts.get("unit")
    return LineItem(texts.get("description"), _number(tokens, chosen, "quantity"), unit,
                    _number(tokens, chosen, "unit_price"), _number(tokens, chosen, "amount"),
                    _number(tokens, chosen, "tax_rate"), _number(tokens, chosen, "tax_amount"))


def _number(tokens: list[Token], chosen: dict[str, int], role: str) -> Decimal | None:
    return tokens[chosen[role]].number if role in chosen else None


def priced(tokens: list[Token], columns: Sequence[Column]) -> dict[str, int]:
    """Quantity, unit price and amount (token indices): a pair multiplying to an amount, else the header's columns,
    else the rightmost amount alone."""
    numbers = [i for i, token in enumerate(tokens) if token.kind in ("amount", "number")]
    product = best_product(tokens, numbers)
    if product:
        amount, first, second = product
        quantity, price = quantity_first(tokens, columns, first, second)
        return {"quantity": quantity, "unit_price": price, "amount": amount}
    chosen = {role: i for i in numbers if (role := column_role(tokens[i], columns)) in ("quantity", "unit_price",
                                                                                         "amount")}
    amounts = [i for i in numbers if tokens[i].kind == "amount" and i not in chosen.values()]
    if "amount" not in chosen and amounts:
        chosen["amount"] = amounts[-1]
    return chosen


def best_product(tokens: list[Token], numbers: list[int]) -> tuple[int, int, int] | None:
    """``(amount, first, second)``: the rightmost amount that two other numbers multiply to (to the cent), with the
    rightmost such pair."""
    found = [(amount, first, second) for amount in numbers if tokens[amount].kind == "amount"
             for first, second in combinations([i for i in numbers if i != amount], 2)
             if multiplies(tokens[first].number, tokens[second].number, tokens[amount].number)]
    return max(found, key=lambda found: (found[0], min(found[1:])), default=None)


def multiplies(first: Decimal, second: Decimal, amount: Decimal) -> bool:
    return bool(first and second and amount) and abs(round_money(first * second) - amount) <= CENT


def quantity_first(tokens: list[Token], columns: Sequence[Column], first: int, second: int) -> tuple[int, int]:
    """Which of a pair is the quantity: the one under the quantity column when the other is under the price
    column; else the price is the one printed finer than the cent (``9,9000``), else the one printed to the cent
    when the other is not (``7.5`` hours at ``101.00``); of two printed to the cent the quantity is the whole
    number (``400,00`` at ``0,79``), else the left one."""
    roles = (column_role(tokens[first], columns), column_role(tokens[second], columns))
    if set(roles) == {"quantity", "unit_price"}:  # a header standing over one of them only may stand askew
        return (first, second) if roles[0] == "quantity" else (second, first)
    decimals = [_decimals(tokens[i]) for i in (first, second)]
    for price_like in (lambda d: d > 2, lambda d: d == 2):
        marked = [price_like(d) for d in decimals]
        if marked.count(True) == 1:
            return (second, first) if marked[0] else (first, second)
    whole = [tokens[i].number == tokens[i].number.to_integral_value() for i in (first, second)]
    return (second, first) if whole == [False, True] else (first, second)


def _decimals(token: Token) -> int:
    digits = re.split(r"[.,]", token.text)
    return len(digits[-1]) if len(digits) > 1 else 0


def taxed(tokens: list[Token], columns: Sequence[Column], chosen: dict[str, int]) -> dict[str, int]:
    """The rate printed on the row, and the amount that is the rate's share of the row's amount (or stands in
    the tax column)."""
    rates = [i for i, token in enumerate(tokens) if token.kind == "rate"]
    if not rates:
        return {}
    rate = next((i for i in rates if column_role(tokens[i], columns) == "tax_rate"), rates[0])
    found = {"tax_rate": rate}
    amount = tokens[chosen["amount"]].number if "amount" in chosen else None
    for i, token in enumerate(tokens):
        if token.kind == "amount" and i not in chosen.values() and (
                column_role(token, columns) == "tax_amount" or _is_tax(token.number, amount, tokens[rate].number)):
            found["tax_amount"] = i
    return found


def _is_tax(value: Decimal, amount: Decimal | None, rate: Decimal) -> bool:
    return amount is not None and value != 0 and abs(amount * rate / 100 - value) <= TAX_TOLERANCE


def unit_beside_quantity(tokens: list[Token], chosen: dict[str, int]) -> dict[str, int]:
    """The unit printed right after the quantity (``3 visit``, ``12 Stk.``) and before the next column, or right
    before it in a column of its own (``月  5``)."""
    if "quantity" not in chosen:
        return {}
    at = chosen["quantity"]
    after = at + 1 < len(tokens) and _is_unit(tokens[at + 1], tokens[at]) and not _runs_on(tokens, at + 1)
    before = at > 0 and _is_unit(tokens[at - 1], tokens[at]) and _stands_alone(tokens, at - 1)
    return {"unit": at + 1} if after else {"unit": at - 1} if before else {}


def _is_unit(token: Token, quantity: Token) -> bool:
    return token.kind == "text" and token.row == quantity.row and bool(UNIT.match(token.text))


def _runs_on(tokens: list[Token], at: int) -> bool:
    """Whether the word at ``at`` is followed closely by another word (``400,00 Heiße Luft``: a description)."""
    following = tokens[at + 1] if at + 1 < len(tokens) else None
    return bool(following and following.kind == "text" and following.row == tokens[at].row
                and _gap(tokens[at], following) <= COLUMN_GAP)


def _stands_alone(tokens: list[Token], at: int) -> bool:
    """Whether the word at ``at`` stands a column apart from the words before it on its line (the description)."""
    return at > 0 and tokens[at - 1].row == tokens[at].row and _gap(tokens[at - 1], tokens[at]) > COLUMN_GAP


def _gap(left: Token, right: Token) -> float:
    return right.bbox[0] - left.bbox[2]


def position_tokens(tokens: list[Token], columns: Sequence[Column], chosen: dict[str, int]) -> set[int]:
    """The item's number in its table: under the position column, or a small whole number opening the row that
    is no quantity or price."""
    numbered = {i for i, token in enumerate(tokens) if column_role(token, columns) == "position"}
    first = tokens[0] if tokens else None
    if first and first.kind == "number" and 0 not in chosen.values() and len(first.text) <= 3 \
            and first.number == first.number.to_integral_value() and len(tokens) > 1:
        numbered.add(0)
    return numbered


def after_amount(tokens: list[Token], chosen: dict[str, int]) -> set[int]:
    """The words printed right of the item's amount on its line: a till's tax code (``15.25 SR``), a flag, never
    the description."""
    if "amount" not in chosen:
        return set()
    amount = tokens[chosen["amount"]]
    return {i for i, token in enumerate(tokens) if token.row == amount.row and token.bbox[0] >= amount.bbox[2]}


def text_by_role(tokens: list[Token], columns: Sequence[Column], used: set[int],
                 taken: Sequence[str] = ()) -> dict[str, str]:
    """The words of the item that no number took, by the column they stand in: description, category, unit
    (``spec`` columns are left out). A line with as many runs of words as the header has text columns gives them
    in order (a header centred over a wide cell may stand over none of its words; columns whose value was found
    already, the ``taken`` roles, do not count); otherwise a run takes the text column over its first word, and
    words under none describe the item."""
    segments = _segments(tokens, _worded(tokens, used))
    text_columns = [column.role for column in columns if column.role in TEXT_ROLES and column.role not in taken]
    roles: dict[str, list[str]] = {}
    for row in sorted({tokens[segment[0]].row for segment in segments}):
        in_row = [segment for segment in segments if tokens[segment[0]].row == row]
        ordinal = len(in_row) == len(text_columns) > 1
        for place, segment in enumerate(in_row):
            role = text_columns[place] if ordinal else _segment_role(tokens, segment, columns)
            roles.setdefault(role, []).extend(tokens[i].text for i in segment)
    return {role: " ".join(words) for role, words in roles.items() if role != "spec"}


def _worded(tokens: list[Token], used: set[int]) -> list[int]:
    """The words left for the text: words, and the numbers printed among them (``Cat6 5 m``, ``Angebot Nr. 1160``)."""
    return [i for i, token in enumerate(tokens) if i not in used and (
        token.kind == "text" or token.kind == "number" and (_beside_word(tokens, i, i - 1, used)
                                                            or _beside_word(tokens, i, i + 1, used)))]


def _beside_word(tokens: list[Token], at: int, other: int, used: set[int]) -> bool:
    """Whether ``tokens[other]`` is a free word standing right beside ``tokens[at]`` on its line."""
    if not 0 <= other < len(tokens) or other in used or tokens[other].kind != "text":
        return False
    left, right = sorted((tokens[at], tokens[other]), key=lambda token: token.bbox[0])
    return left.row == right.row and _gap(left, right) <= COLUMN_GAP


def _segments(tokens: list[Token], kept: list[int]) -> list[list[int]]:
    """The kept words in runs that stand together on one line (a column gap, or another line, ends a run)."""
    runs: list[list[int]] = []
    for i in kept:
        previous = runs[-1][-1] if runs else None
        if previous is not None and tokens[previous].row == tokens[i].row \
                and _gap(tokens[previous], tokens[i]) <= COLUMN_GAP:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _segment_role(tokens: list[Token], segment: list[int], columns: Sequence[Column]) -> str:
    """The text column a run of words stands in: the one over its first word, else the description."""
    role = column_role(tokens[segment[0]], columns)
    return role if role in TEXT_ROLES else "description"


# --- expense claim items ------------------------------------------------------------------------------------------


def read_claim_item(lines: Sequence[Line], header: Line | None = None) -> ClaimItem:
    """An expense claim's item: its date, category, description, amount and currency."""
    tokens, columns = item_tokens(lines), header_columns(header)
    amount = priced(tokens, columns).get("amount")
    spent = next((i for i, token in enumerate(tokens) if token.kind == "date"), None)
    currency = next((token.value for token in tokens if token.kind == "currency"), None)
    found = {"amount": amount} if amount is not None else {}
    texts = text_by_role(tokens, columns, {i for i in (amount, spent) if i is not None} | after_amount(tokens, found))
    return ClaimItem(parse_date(tokens[spent].value) if spent is not None else None, texts.get("category"),
                     texts.get("description"), tokens[amount].number if amount is not None else None, currency)
