"""What the document classifier looks at, as one row of numbers per document.

Four blocks, each explainable on its own:

- ``embedding``: all-MiniLM-L6-v2 sentence embeddings of the document's text in pieces (the header first),
  averaged; the meaning of English and German text.
- ``keywords``: how often each type's telltale words occur (English, German, French, Chinese); they also make
  the evidence a person reads.
- ``layout``: pages, page shape (till rolls are narrow), lines, share of amount-like tokens, of digits and of
  Chinese characters, whether the words came from OCR.
- ``ngrams``: hashed word and Chinese character n-grams, so Chinese text (which the MiniLM vocabulary barely
  knows) has a voice of its own.

Pure: words in, numbers out. The encoder is passed in, so nothing here loads a model."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from core.embeddings import hashed_ngrams, unit_length
from extraction.layout import document_lines
from extraction.model import PageText

KEYWORDS: dict[str, tuple[str, ...]] = {
    "invoice": (r"\binvoice\b", r"\btax invoice\b", r"\bbill to\b", r"\bdue date\b", r"\binvoice (?:no|number|date)",
                r"\bpayment terms\b", r"\bvat\b", r"\brechnung", r"\bust\b|\bmwst\b|umsatzsteuer", r"\bfacture\b",
                r"发票", r"增值税", r"价税合计", r"税额", r"开票", r"购买方|销售方|购方|销方"),
    "receipt": (r"\breceipt\b", r"\bcashier\b", r"\bchange\b", r"\bcash\b", r"\bthank you\b", r"\bgst\b",
                r"\bqty\b", r"\btotal\b", r"\bquittung\b|\bkassenbon\b|\bbeleg\b", r"\bbar\b|\brückgeld\b",
                r"收据", r"小票", r"收款", r"找零", r"收银"),
    "contract": (r"\bagreement\b", r"\bwhereas\b", r"\bhereinafter\b", r"\bparties\b", r"\bshall\b",
                 r"\bconfidential", r"\bgoverning law\b", r"\bterm of\b|\bterm\b", r"\bvertrag\b|\bvertrags",
                 r"\bvereinbarung\b", r"\bcontrat\b", r"合同", r"协议", r"甲方", r"乙方", r"条款|第[一二三四五六七八九十]+条"),
    "expense_claim": (r"\bexpense (?:claim|report)", r"\breimburse", r"\bemployee\b", r"\bmileage\b",
                      r"\bper diem\b", r"\bapproved by\b|\bapprover\b", r"\bspesen|\breisekosten", r"\berstattung",
                      r"\bnote de frais\b", r"报销", r"差旅", r"费用", r"员工|申请人|报销人"),
    "bank_statement": (r"\bstatement\b", r"\bopening balance\b", r"\bclosing balance\b", r"\baccount (?:no|number)",
                       r"\biban\b", r"\bbalance\b", r"\bdebit\b|\bcredit\b", r"\bwithdrawal|\bdeposit",
                       r"\bkontoauszug\b", r"\bkontostand\b|\bsaldo\b", r"\bbuchungstag\b|\bwertstellung\b",
                       r"对账单", r"余额", r"账户|账号", r"交易明细|交易日期", r"借方|贷方"),
}
"""Per type, patterns whose counts are features (searched in the lower-cased text)."""
_PATTERNS = [(doc_type, pattern, re.compile(pattern)) for doc_type, patterns in KEYWORDS.items()
             for pattern in patterns]

HASH_BUCKETS = 2048
PIECE_CHARACTERS = 160
"""Text embedded at once: about the encoder's 48 tokens of English."""
HEAD_PIECES, SPREAD_PIECES = 4, 2
"""Pieces embedded per document: the first ones, and a few spread over the rest."""
LAYOUT_NAMES = ("pages", "aspect", "narrow", "lines", "words", "words_per_line", "amount_share", "digit_share",
                "cjk_share", "ocr_share", "empty")

_AMOUNT = re.compile(r"^[-(]?[$€£¥]?\d{1,3}(?:[,.' ]?\d{3})*[.,]\d{2}\)?-?$")
_CJK = re.compile(r"[\u3400-\u9fff]")


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class DocumentText:
    """A document reduced to what the features need: its lines of text and its pages' shape."""

    lines: tuple[str, ...]
    pages: int
    aspect: float
    """Height over width of the first page (1.41 for A4 upright; receipts' till rolls are far taller)."""
    ocr_share: float

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def document_text(pages: Sequence[PageText]) -> DocumentText:
    """The lines and page shape of a document's pages."""
    lines = tuple(line.text for line in document_lines(list(pages)))
    first = pages[0] if pages else None
    aspect = first.height / first.width if first and first.width > 0 else 1.0
    ocr = sum(page.source == "ocr" for page in pages) / len(pages) if pages else 0.0
    return DocumentText(lines, len(pages), aspect, ocr)


def feature_size(encoder_dimensions: int) -> int:
    return encoder_dimensions + len(_PATTERNS) + len(LAYOUT_NAMES) + HASH_BUCKETS


def features(documents: Sequence[DocumentText], encoder: Encoder) -> np.ndarray:
    """One row per document: embedding, keyword counts, layout and hashed n-grams, as float32."""
    embedded = embeddings(documents, encoder)
    rows = [np.concatenate([embedded[i], keyword_counts(d.text), layout(d), hashed_ngrams(d.text, HASH_BUCKETS)])
            for i, d in enumerate(documents)]
    return np.stack(rows).astype(np.float32) if rows else np.zeros((0, 0), dtype=np.float32)


def embeddings(documents: Sequence[DocumentText], encoder: Encoder) -> np.ndarray:
    """The mean unit embedding of each document's pieces (zeros for a document without text)."""
    pieces = [text_pieces(d.lines) for d in documents]
    flat = encoder.encode([piece for found in pieces for piece in found])
    rows, start = [], 0
    for found in pieces:
        block = flat[start:start + len(found)]
        start += len(found)
        rows.append(unit_length(block.mean(axis=0)) if len(block) else np.zeros(flat.shape[1], dtype=np.float32))
    return np.stack(rows) if rows else flat


def text_pieces(lines: Sequence[str]) -> list[str]:
    """Lines packed into pieces of about ``PIECE_CHARACTERS``: the first ``HEAD_PIECES`` and ``SPREAD_PIECES``
    spread evenly over the rest."""
    pieces, current = [], ""
    for line in (line.strip() for line in lines):
        if current and len(current) + len(line) > PIECE_CHARACTERS:
            pieces.append(current)
            current = ""
        current = f"{current} {line}".strip()
    pieces += [current] if current else []
    rest = pieces[HEAD_PIECES:]
    spread = [rest[i * len(rest) // SPREAD_PIECES] for i in range(SPREAD_PIECES)] if len(rest) > SPREAD_PIECES else rest
    return pieces[:HEAD_PIECES] + spread


def keyword_counts(text: str) -> np.ndarray:
    """``log(1 + occurrences)`` of every keyword pattern."""
    lowered = text.lower()
    return np.array([math.log1p(len(regex.findall(lowered))) for _, _, regex in _PATTERNS], dtype=np.float32)


def keyword_hits(text: str, doc_type: str) -> list[str]:
    """The keywords of ``doc_type`` found in ``text`` as they were written, most frequent first."""
    lowered = text.lower()
    counts = Counter(found.strip() for kind, _, regex in _PATTERNS if kind == doc_type
                     for found in regex.findall(lowered))
    return [word for word, _ in counts.most_common()]


def layout(document: DocumentText) -> np.ndarray:
    """The ``LAYOUT_NAMES`` signals, each scaled to about 0..5."""
    tokens = document.text.split()
    characters = [c for c in document.text if not c.isspace()]
    values = {
        "pages": math.log1p(document.pages), "aspect": math.log(max(document.aspect, 1e-3)),
        "narrow": float(document.aspect > 2.0), "lines": math.log1p(len(document.lines)),
        "words": math.log1p(len(tokens)), "words_per_line": math.log1p(len(tokens) / max(len(document.lines), 1)),
        "amount_share": _share(sum(bool(_AMOUNT.match(t)) for t in tokens), len(tokens)),
        "digit_share": _share(sum(c.isdigit() for c in characters), len(characters)),
        "cjk_share": _share(len(_CJK.findall(document.text)), len(characters)),
        "ocr_share": document.ocr_share, "empty": float(not tokens),
    }
    return np.array([values[name] for name in LAYOUT_NAMES], dtype=np.float32)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
