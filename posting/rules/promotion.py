"""A voucher line made into a posting rule in one step: "this vendor's lines like this one go to this account". Pure:
values in, values out.

The rule takes the line's vendor (when the document was matched to the vendor master), the words of its description
that say what was bought, and its account. A clerk who sees an account learned from history (or set by hand) on a
line makes it a rule, so the next such line is decided by the rule, with the rule's name in its reason.
"""

from __future__ import annotations

import re
from typing import Any

KEYWORDS = 2
"""Words of the description a promoted rule looks for (any of them): the longest, so the telling ones."""
MIN_WORD = 4
"""Latin words shorter than this say little (``the``, ``for``, ``EC2`` stays as it has a digit)."""
_WORDS = re.compile(r"[^\W\d_][\w-]*|\d*[^\W\d_]+\d+\w*", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]{2,}")
_NOISE = frozenset({"january", "february", "march", "april", "june", "july", "august", "september", "october",
                    "november", "december", "invoice", "line", "item", "items", "total", "amount", "service",
                    "services", "monthly", "month", "from", "with", "your"})
"""Words of many descriptions: dates and the vocabulary of invoices themselves."""


def proposed_keywords(description: str) -> tuple[str, ...]:
    """The words of ``description`` a rule should look for: its Chinese phrases, else its ``KEYWORDS`` longest
    telling words, in the order they are written; () when it has none."""
    chinese = _CJK.findall(description)
    if chinese:
        return tuple(dict.fromkeys(chinese))[:KEYWORDS]
    words = [word for word in dict.fromkeys(_WORDS.findall(description)) if _telling(word)]
    longest = set(sorted(words, key=len, reverse=True)[:KEYWORDS])
    return tuple(word.lower() for word in words if word in longest)


def _telling(word: str) -> bool:
    has_digit = any(character.isdigit() for character in word)
    return word.lower() not in _NOISE and (len(word) >= MIN_WORD or has_digit)


def promoted_rule(*, vendor: str | None, description: str, account_code: str, account_name: str,
                  keywords: tuple[str, ...] | None = None, name: str | None = None) -> dict[str, Any]:
    """The values of a rule that sends ``vendor``'s lines with ``keywords`` (default: ``proposed_keywords``) to the
    account; ``ValueError`` when it would have no condition at all (no vendor and no telling word)."""
    words = tuple(keywords) if keywords is not None else proposed_keywords(description)
    conditions = {**({"vendor": vendor} if vendor else {}), **({"keywords": list(words)} if words else {})}
    if not conditions:
        raise ValueError(f"the line {description!r} has no vendor of the master and no word to look for: give the "
                         "rule's keywords")
    what = " / ".join(words) or "everything"
    title = name or f"{vendor + ': ' if vendor else ''}{what} to {account_code} {account_name}"
    return {"name": title[:200], "active": True, "conditions": conditions, "outcome": {"account_code": account_code}}
