"""A document's lines as one searchable text that remembers where each character came from.

Finders for candidate values run regular expressions over ``DocumentText.text``; a match's span leads back to the
words it covers (their page and box), to the sentence it sits in (its evidence) and to the heading above it."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from extraction.model import BBox, Line, Word, union_bbox

ABBREVIATIONS = frozenset(
    "inc ltd co corp no nos mr mrs ms dr jr sr st l.p l.l.c u.s n.a s.a p.c e.g i.e vs v sec art para".split())
"""Words a full stop follows without ending the sentence (``Nike, Inc. and ...``)."""
MAX_EVIDENCE = 400
"""The longest sentence kept as evidence; longer ones are cut around the value."""
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“(]?[A-Z0-9])|(?<=[。；！？])|\n(?=\s*(?:\d+(?:\.\d+)*\.?|\([a-z0-9]+\))\s)")


@dataclass(frozen=True)
class Span:
    """Characters ``start:end`` of a document's text."""

    start: int
    end: int


@dataclass(frozen=True)
class DocumentText:
    """The text of ``lines``: words joined by a space (none between two Chinese characters), lines by a newline.
    ``starts[i]`` is where word ``i`` of ``words`` begins and ``line_of[i]`` the line it belongs to."""

    lines: tuple[Line, ...]
    text: str
    words: tuple[Word, ...]
    starts: tuple[int, ...]
    line_of: tuple[int, ...]
    line_starts: tuple[int, ...]

    def words_in(self, span: Span) -> list[int]:
        """Indices of the words that overlap ``span``."""
        first = max(0, bisect_right(self.starts, span.start) - 1)
        found = []
        for index in range(first, len(self.words)):
            if self.starts[index] >= span.end:
                break
            if self.starts[index] + len(self.words[index].text) > span.start:
                found.append(index)
        return found

    def place(self, span: Span) -> tuple[int | None, BBox | None]:
        """The page and box of ``span`` (its words on the page where it begins)."""
        indices = self.words_in(span)
        if not indices:
            return None, None
        page = self.lines[self.line_of[indices[0]]].page
        words = [self.words[i] for i in indices if self.lines[self.line_of[i]].page == page]
        return page, union_bbox(words)

    def line_index(self, offset: int) -> int:
        """The line holding the character at ``offset``."""
        return max(0, bisect_right(self.line_starts, offset) - 1)

    @cached_property
    def sentence_starts(self) -> tuple[int, ...]:
        """Where each sentence begins: after a full stop that ends no abbreviation, a semicolon, a Chinese full
        stop, or before a numbered clause at the start of a line."""
        ends = [m.end() for m in _SENTENCE_END.finditer(self.text) if not _after_abbreviation(self.text, m.start())]
        return (0, *ends)

    def sentence(self, span: Span) -> Span:
        """The sentence around ``span``; a very long one is cut to ``MAX_EVIDENCE`` characters around it."""
        index = bisect_right(self.sentence_starts, span.start) - 1
        start = self.sentence_starts[index]
        end = self.sentence_starts[index + 1] if index + 1 < len(self.sentence_starts) else len(self.text)
        if end - start > MAX_EVIDENCE:
            start = max(start, span.start - MAX_EVIDENCE // 2)
            end = min(end, max(span.end, start + MAX_EVIDENCE))
        return Span(start, end)

    def sentence_index(self, offset: int) -> int:
        return bisect_right(self.sentence_starts, offset) - 1

    def snippet(self, span: Span) -> str:
        """The text of ``span`` on one line with single spaces."""
        return " ".join(self.text[span.start:span.end].split())


def document_text(lines: list[Line]) -> DocumentText:
    """The searchable text of ``lines`` (reading order, all pages)."""
    parts: list[str] = []
    words: list[Word] = []
    starts: list[int] = []
    line_of: list[int] = []
    line_starts: list[int] = []
    offset = 0
    for line_index, line in enumerate(lines):
        if line_index:
            parts.append("\n")
            offset += 1
        line_starts.append(offset)
        for position, word in enumerate(line.words):
            if position and not _joins_without_space(line.words[position - 1].text, word.text):
                parts.append(" ")
                offset += 1
            parts.append(word.text)
            words.append(word)
            starts.append(offset)
            line_of.append(line_index)
            offset += len(word.text)
    return DocumentText(tuple(lines), "".join(parts), tuple(words), tuple(starts), tuple(line_of), tuple(line_starts))


def _joins_without_space(left: str, right: str) -> bool:
    """Chinese text has no spaces: two words ending and starting with a Chinese character are one run."""
    return bool(left and right and _CJK.match(left[-1]) and _CJK.match(right[0]))


def _after_abbreviation(text: str, offset: int) -> bool:
    """Whether the full stop just before ``offset`` closes an abbreviation or an initial (``Inc.``, ``J.``)."""
    if offset == 0 or text[offset - 1] != ".":
        return False
    word = text[max(0, offset - 40):offset].rsplit(None, 1)[-1].lstrip("(“\"")
    return word.lower().rstrip(".") in ABBREVIATIONS or bool(re.fullmatch(r"[A-Z]\.", word))
