"""Split lines into segments at wide horizontal gaps, so "label   value" columns separate."""

from __future__ import annotations

from dataclasses import dataclass

from extraction.model import Line, Word, union_bbox


@dataclass(frozen=True)
class Segment:
    line_index: int
    page: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bbox(self):
        return union_bbox(self.words)


def split_line(line: Line, line_index: int, gap: float = 0.03) -> list[Segment]:
    """Segments of ``line``; a gap wider than ``gap`` (page fraction) starts a new one."""
    groups: list[list[Word]] = [[line.words[0]]]
    for previous, word in zip(line.words, line.words[1:]):
        if word.bbox[0] - previous.bbox[2] > gap:
            groups.append([word])
        else:
            groups[-1].append(word)
    return [Segment(line_index, line.page, tuple(g)) for g in groups]


def split_lines(lines: list[Line]) -> list[list[Segment]]:
    return [split_line(line, index) for index, line in enumerate(lines) if line.words]
