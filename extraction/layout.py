"""Group words into reading-order lines."""

from __future__ import annotations

from extraction.model import Line, PageText, Word


OPEN_LINES = 3
"""How many of the lines above a word may still take it (a slanted line's words arrive among the next one's)."""


def page_lines(page: PageText, tolerance: float = 0.5) -> list[Line]:
    """Lines of a page, top to bottom; a word joins a line when its vertical centre is close to that of the
    line's word nearest to it across (so a slanted line is followed) and it does not stand over a word already in
    it (two slanted lines of a photo must not interleave).

    ``tolerance`` is a fraction of the word height.
    """
    lines: list[list[Word]] = []
    for word in sorted(page.words, key=lambda w: (_centre_y(w), w.bbox[0])):
        home = next((line for line in lines[-OPEN_LINES:] if _same_line(line, word, tolerance)), None)
        if home is None:
            lines.append([word])
        else:
            home.append(word)
    return [Line(page=page.number, words=tuple(sorted(ws, key=lambda w: w.bbox[0]))) for ws in lines]


def document_lines(pages: list[PageText]) -> list[Line]:
    return [line for page in pages for line in page_lines(page)]


def _centre_y(word: Word) -> float:
    return (word.bbox[1] + word.bbox[3]) / 2


def _same_line(line: list[Word], word: Word, tolerance: float) -> bool:
    neighbour = min(line, key=lambda other: abs(_centre_x(other) - _centre_x(word)))
    height = max(neighbour.bbox[3] - neighbour.bbox[1], word.bbox[3] - word.bbox[1])
    close = abs(_centre_y(neighbour) - _centre_y(word)) <= height * tolerance
    return close and not any(_overlap_x(other, word) for other in line)


def _centre_x(word: Word) -> float:
    return (word.bbox[0] + word.bbox[2]) / 2


def _overlap_x(a: Word, b: Word) -> bool:
    """Whether two words share more than a third of the narrower one's width."""
    shared = min(a.bbox[2], b.bbox[2]) - max(a.bbox[0], b.bbox[0])
    return shared > min(a.bbox[2] - a.bbox[0], b.bbox[2] - b.bbox[0]) / 3
