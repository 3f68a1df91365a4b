"""Document type from the words on the page: a keyword vote that explains itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.document import DOC_TYPES

_KEYWORDS: dict[str, tuple[str, ...]] = {
    "invoice": (r"\binvoice\b", r"\btax invoice\b", r"\bbill to\b", r"\bdue date\b", r"\brechnung\b",
                r"\bfacture\b", r"发票", r"\bpayment terms\b", r"\binvoice (no|number|date)\b"),
    "receipt": (r"\breceipt\b", r"\bcashier\b", r"\bchange\b", r"\bthank you\b", r"\bcash\b", r"收据", r"小票"),
    "contract": (r"\bagreement\b", r"\bhereinafter\b", r"\bwhereas\b", r"\bparties\b", r"\bterm of\b", r"合同"),
    "expense_claim": (r"\bexpense (claim|report)\b", r"\breimbursement\b", r"\bemployee\b", r"报销"),
    "bank_statement": (r"\bstatement\b", r"\bopening balance\b", r"\bclosing balance\b", r"\baccount number\b"),
}


@dataclass(frozen=True)
class Classification:
    doc_type: str
    confidence: float
    evidence: str


def classify_text(text: str, declared: str | None = None) -> Classification:
    """The most likely type of a document whose text is ``text``; a declared type wins."""
    if declared in DOC_TYPES:
        return Classification(declared, 1.0, "declared at upload")
    lowered = text.lower()
    hits = {doc_type: [p for p in patterns if re.search(p, lowered)] for doc_type, patterns in _KEYWORDS.items()}
    best = max(hits, key=lambda t: len(hits[t]))
    if not hits[best]:
        return Classification("other", 0.3, "no type keywords found")
    total = sum(len(found) for found in hits.values())
    confidence = round(min(0.95, 0.5 + 0.5 * len(hits[best]) / total * min(1.0, len(hits[best]) / 3)), 3)
    return Classification(best, confidence, "keywords: " + ", ".join(p.replace(r"\b", "") for p in hits[best]))
