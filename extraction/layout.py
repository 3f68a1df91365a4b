"""Group words into reading-order lines."""

from __future__ import annotations

from extraction.model import Line, PageText, Word


def page_lines(page: PageText, tolerance: float = 0.5) -> list[Line]:
    """Lines of a page, top to bottom; words join a line when their vertical centres are close.

    ``tolerance`` is a fraction of the word height.
    """
    lines: list[list[Word]] = []
    for word in sorted(page.words, key=lambda w: (_centre_y(w), w.bbox[0])):
        if lines and _same_line(lines[-1], word, tolerance):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [Line(page=page.number, words=tuple(sorted(ws, key=lambda w: w.bbox[0]))) for ws in lines]


def document_lines(pages: list[PageText]) -> list[Line]:
    return [line for page in pages for line in page_lines(page)]


def _centre_y(word: Word) -> float:
    return (word.bbox[1] + word.bbox[3]) / 2


def _same_line(line: list[Word], word: Word, tolerance: float) -> bool:
    anchor = line[0]
    height = max(anchor.bbox[3] - anchor.bbox[1], word.bbox[3] - word.bbox[1])
    return abs(_centre_y(anchor) - _centre_y(word)) <= height * tolerance
