"""A row of numbers per candidate value of a contract, for the learned chooser.

What a person reading a contract goes by: the words around the value (``governed by the laws of the State of``),
the heading of the section it sits under (``Governing Law``), where it stands (parties and the effective date in
the first paragraph, signatures at the end), how often the same value comes back, what form it has, and what its
sentence means (a MiniLM embedding). Words are hashed into fixed buckets, so the model needs no vocabulary file."""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence

import numpy as np

from core.embeddings import Encode
from extraction.learned.contract_candidates import KINDS, Candidate
from extraction.learned.document_text import DocumentText, Span

CONTEXT_WORDS = 8
"""Words looked at on each side of a candidate."""
CONTEXT_BUCKETS = 256
OWN_BUCKETS = 64
HEADING_BUCKETS = 64
DETAIL_BUCKETS = 32
POSITION_FEATURES = 9
VALUE_FEATURES = 8
MENTION_FEATURES = 9
EMBEDDING_DIMENSIONS = 384
FEATURES = (len(KINDS) + DETAIL_BUCKETS + 2 * CONTEXT_BUCKETS + OWN_BUCKETS + HEADING_BUCKETS + POSITION_FEATURES
            + VALUE_FEATURES + MENTION_FEATURES + EMBEDDING_DIMENSIONS)
FIRST_PARAGRAPH = 1500
"""Characters from the start where a contract names its parties and its date."""
_WORD = re.compile(r"[a-z]+|\d+|[\u4e00-\u9fff]")
_NUMBERED = re.compile(r"^\s*(?:(?:article|section)\s+)?(?:\d+(?:\.\d+)*|[ivx]+|[a-z])[.)]?\s+(?P<title>[^.:]{3,60}?)[.:]",
                       re.I)
_DEFINED = re.compile(r"^[^()]{0,80}?\((?:the\s+|each\s+a\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?)?[\"“”']|"
                      r"^[^()]{0,40}?（(?:以下简称|下称)", re.I)
"""A defined name follows: ``Kite Pharma, Inc., a Delaware corporation (“Kite”)``, ``（以下简称“甲方”）``."""
_INTRODUCED = re.compile(r"(?:between|and|by|with|to|甲方|乙方|[:：])\s*$", re.I)
_CHINESE_HEADING = re.compile(r"^\s*第[一二三四五六七八九十\d]+条\s*(?P<title>\S{2,12})")



def feature_rows(document: DocumentText, candidates: Sequence[Candidate], encode: Encode) -> np.ndarray:
    """(candidates x ``FEATURES``) float32 rows; ``encode`` embeds sentences (``TextEncoder.encode``)."""
    if not candidates:
        return np.zeros((0, FEATURES), dtype=np.float32)
    headings = section_headings(document)
    counts = Counter((c.kind, c.value.upper()) for c in candidates)
    mentions = _mention_summaries(document, candidates)
    seen: Counter[tuple[str, str]] = Counter()
    of_kind: Counter[str] = Counter()
    sentences = [document.sentence(c.span) for c in candidates]
    embeddings = _sentence_embeddings(document, sentences, encode)
    rows = []
    for candidate, sentence, embedding in zip(candidates, sentences, embeddings):
        key = (candidate.kind, candidate.value.upper())
        seen[key] += 1
        of_kind[candidate.kind] += 1
        rows.append(np.concatenate([
            _kind(candidate), _hashed(candidate.detail, DETAIL_BUCKETS),
            _hashed(_ngrams(_left_words(document, candidate.span)), CONTEXT_BUCKETS),
            _hashed(_ngrams(_right_words(document, candidate.span)), CONTEXT_BUCKETS),
            _hashed(_words(document.text[candidate.span.start:candidate.span.end]), OWN_BUCKETS),
            _hashed(_words(headings[document.line_index(candidate.span.start)]), HEADING_BUCKETS),
            _position(document, candidate.span, sentence),
            _value(candidate, counts[key], seen[key]),
            _mention(document, candidate, mentions[key], of_kind[candidate.kind]), embedding]))
    return np.stack(rows).astype(np.float32)


def _sentence_embeddings(document: DocumentText, sentences: list[Span], encode: Encode) -> np.ndarray:
    """One embedding per candidate: that of its sentence, each distinct sentence encoded once."""
    texts = [document.snippet(s) for s in sentences]
    distinct = list(dict.fromkeys(texts))
    encoded = encode(distinct)
    index = {text: row for row, text in enumerate(distinct)}
    return encoded[[index[text] for text in texts]]


def _kind(candidate: Candidate) -> np.ndarray:
    row = np.zeros(len(KINDS), dtype=np.float32)
    row[KINDS.index(candidate.kind)] = 1.0
    return row


def _hashed(tokens: Sequence[str], buckets: int) -> np.ndarray:
    """Token counts folded into ``buckets`` by CRC-32 (stable across processes), scaled down logarithmically."""
    row = np.zeros(buckets, dtype=np.float32)
    for token in tokens:
        row[zlib.crc32(token.encode("utf-8")) % buckets] += 1.0
    return np.log1p(row)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _ngrams(words: list[str]) -> list[str]:
    """Words and word pairs, each marked by its distance band (next to the value, or further off)."""
    near = [f"{w}@{'near' if abs(i) <= 3 else 'far'}" for i, w in words]
    pairs = [f"{a[1]}_{b[1]}" for a, b in zip(words, words[1:])]
    return near + pairs


def _left_words(document: DocumentText, span: Span) -> list[tuple[int, str]]:
    words = _words(document.text[max(0, span.start - 200):span.start])[-CONTEXT_WORDS:]
    return [(i - len(words), w) for i, w in enumerate(words)]


def _right_words(document: DocumentText, span: Span) -> list[tuple[int, str]]:
    words = _words(document.text[span.end:span.end + 200])[:CONTEXT_WORDS]
    return [(i + 1, w) for i, w in enumerate(words)]


def _position(document: DocumentText, span: Span, sentence: Span) -> np.ndarray:
    """Where the candidate stands: in the document, on its page, in the first paragraph, in its sentence."""
    size = max(1, len(document.text))
    page = document.lines[document.line_index(span.start)].page
    pages = document.lines[-1].page if document.lines else 1
    sentence_index = document.sentence_index(span.start)
    return np.array([
        span.start / size, math.log1p(span.start / 100), float(span.start < FIRST_PARAGRAPH),
        float(page == 1), float(page == pages), min(page, 10) / 10,
        sentence_index / max(1, len(document.sentence_starts)), math.log1p(sentence_index),
        (span.start - sentence.start) / max(1, sentence.end - sentence.start)], dtype=np.float32)


def _value(candidate: Candidate, repeats: int, occurrence: int) -> np.ndarray:
    """The value's form: how often it comes back, whether this is its first mention, its length and case."""
    text = candidate.value
    letters = [c for c in text if c.isalpha()]
    return np.array([
        math.log1p(repeats), float(occurrence == 1), math.log1p(occurrence), min(len(text.split()), 12) / 12,
        float(bool(letters) and all(c.isupper() for c in letters)), float(any(c.isdigit() for c in text)),
        min(len(text), 80) / 80, float(bool(re.search(r"[\u4e00-\u9fff]", text)))], dtype=np.float32)


def _mention_summaries(document: DocumentText, candidates: Sequence[Candidate]) -> dict[tuple[str, str], tuple]:
    """Per value (kind and text): where it is first named, whether a defined name ever follows it, whether it is
    ever introduced (``between ...``, ``and ...``)."""
    summaries: dict[tuple[str, str], tuple] = {}
    for candidate in candidates:
        key = (candidate.kind, candidate.value.upper())
        first, defined, introduced = summaries.get(key, (candidate.span.start, False, False))
        summaries[key] = (first, defined or _is_defined(document, candidate.span),
                          introduced or _is_introduced(document, candidate.span))
    return summaries


def _is_defined(document: DocumentText, span: Span) -> bool:
    return bool(_DEFINED.match(document.text, span.end, span.end + 120))


def _is_introduced(document: DocumentText, span: Span) -> bool:
    return bool(_INTRODUCED.search(document.text, max(0, span.start - 20), span.start))


def _mention(document: DocumentText, candidate: Candidate, summary: tuple, rank: int) -> np.ndarray:
    """This mention and its value's others: defined here or anywhere, introduced here or anywhere, where the
    value is first named, and the mention's rank among the candidates of its kind."""
    first, defined, introduced = summary
    return np.array([
        float(_is_defined(document, candidate.span)), float(defined),
        float(_is_introduced(document, candidate.span)), float(introduced),
        first / max(1, len(document.text)), float(first < FIRST_PARAGRAPH), float(rank == 1), math.log(rank),
        float(first == candidate.span.start)], dtype=np.float32)


def section_headings(document: DocumentText) -> list[str]:
    """For every line, the heading of the section it belongs to (the last heading line above it, or the
    numbered title it starts with: ``9. Governing Law.``)."""
    current, found = "", []
    for line in document.lines:
        current = _heading_of(line.text) or current
        found.append(current)
    return found


def _heading_of(text: str) -> str | None:
    """The heading a line opens with or is: a numbered clause title, ``第八条 争议解决``, or a short line in
    capitals or ending in a colon."""
    for pattern in (_NUMBERED, _CHINESE_HEADING):
        if found := pattern.match(text):
            return found["title"]
    words = text.split()
    if 0 < len(words) <= 8 and (text.isupper() or text.rstrip().endswith(":")):
        return text
    return None
