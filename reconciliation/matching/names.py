"""What matching compares, in the forms it compares them: references compacted, counterparty names without case,
punctuation or legal form, one typing error between two references, amounts as people read them. Pure.

(``extraction.vendors`` has its own name core for documents; reconciliation may not import extraction, and a bank
line's name is shorter and shouting: ``NORTHWIND GMBH``.)
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

ASCII_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
NOT_ALPHANUMERIC = str.maketrans("", "", "".join(chr(code) for code in range(128) if not chr(code).isalnum()))
NOT_DIGIT = str.maketrans("", "", ASCII_LETTERS)
"""Deleted by ``str.translate`` (a compact reference is ASCII letters and digits by then)."""
MIN_DIGITS = 4
"""A reference's digits name it alone from this many on (``1042`` of ``INV-1042``)."""
LEGAL_FORMS = frozenset({
    "ab", "ag", "as", "bhd", "bv", "co", "company", "corp", "corporation", "gmbh", "inc", "incorporated", "kg", "kk",
    "limited", "llc", "llp", "lp", "ltd", "mbh", "nv", "oy", "plc", "pte", "pty", "sa", "sarl", "sas", "sdn", "se",
    "spa", "srl", "ug",
})
"""Words a company's name ends with that banks and invoices write or leave out at will."""
CJK_LEGAL_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团|公司)$")
DROPPED = str.maketrans({".": None, "'": None, "’": None})
"""Dropped, not spaced: ``G.M.B.H.`` is ``gmbh``, ``O'Neil`` is ``oneil``."""
SPACES = re.compile(r"[^\w]+")


def compact_reference(text: str | None) -> str:
    """``INV-2024/0042`` and ``inv 2024 0042`` as ``INV20240042``: upper case, letters and digits only."""
    text = text or ""
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch.isascii())
    return text.upper().translate(NOT_ALPHANUMERIC)


def digits_key(compact: str) -> str | None:
    """The digits of a compact reference (``20240042`` of ``INV20240042``) if it has ``MIN_DIGITS``; else None. A
    payer who writes only the number still names the invoice."""
    digits = compact.translate(NOT_DIGIT)
    return digits if len(digits) >= MIN_DIGITS else None


def normalised_name(text: str | None) -> str:
    """``Northwind GmbH``, ``NORTHWIND G.M.B.H.`` and ``Northwind`` all as ``northwind``: case, punctuation, spacing
    and a legal form at the end set aside; ``&`` is ``and``."""
    cleaned = unicodedata.normalize("NFKC", text or "").casefold().replace("&", " and ").translate(DROPPED)
    words = SPACES.sub(" ", cleaned).replace("_", " ").split()
    while len(words) > 1 and (words[-1] in LEGAL_FORMS or words[-1] == "and"):  # "GmbH & Co. KG"
        words.pop()
    return CJK_LEGAL_FORM.sub("", " ".join(words)) or " ".join(words)


def within_one_edit(first: str, second: str) -> bool:
    """Whether one typing error turns ``first`` into ``second``: a character wrong, missing or extra, or two
    neighbours swapped (``INV1042`` and ``INV1024``)."""
    if abs(len(first) - len(second)) > 1:
        return False
    same = _common_prefix(first, second)
    if len(first) == len(second):
        return first[same + 1:] == second[same + 1:] or _swapped_at(first, second, same)
    shorter, longer = (first, second) if len(first) < len(second) else (second, first)
    return shorter[same:] == longer[same + 1:]


def _common_prefix(first: str, second: str) -> int:
    same = 0
    for a, b in zip(first, second):
        if a != b:
            break
        same += 1
    return same


def _swapped_at(first: str, second: str, at: int) -> bool:
    """Whether the two characters at ``at`` are swapped and the rest agrees."""
    return first[at:at + 2] == second[at:at + 2][::-1] and first[at + 2:] == second[at + 2:]


def amount_text(amount: Decimal) -> str:
    """``1,190.00``."""
    return f"{amount:,.2f}"


def cents(amount: Decimal) -> int:
    """An amount of cents as an integer, for indexes and sums."""
    return int(amount * 100)
