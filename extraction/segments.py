"""Split lines into segments at wide horizontal gaps, so "label   value" columns separate."""

from __future__ import annotations

from dataclasses import dataclass

from extraction.model import Line, Word


@dataclass(frozen=True)
class Segment(Line):
    """Words of one line that stand together; ``line_index`` says which line."""

    line_index: int


def split_line(line: Line, line_index: int, gap: float = 0.03) -> list[Segment]:
    """Segments of ``line``; a gap wider than ``gap`` (page fraction) starts a new one."""
    groups: list[list[Word]] = [[line.words[0]]]
    for previous, word in zip(line.words, line.words[1:]):
        if word.bbox[0] - previous.bbox[2] > gap:
            groups.append([word])
        else:
            groups[-1].append(word)
    return [Segment(page=line.page, words=tuple(g), line_index=line_index) for g in groups]


def split_lines(lines: list[Line]) -> list[list[Segment]]:
    return [split_line(line, index) for index, line in enumerate(lines) if line.words]
