"""Plain values that flow through extraction: words, lines, fields, issues, results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BBox = tuple[float, float, float, float]
"""x0, y0, x1, y1 as fractions of the page's width and height (origin top left)."""


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    bbox: BBox
    confidence: float = 1.0
    size: float = 0.0
    """Font size in points where the source knows it (PDF text layer)."""


@dataclass(frozen=True)
class PageText:
    number: int
    width: float
    height: float
    source: str  # pdf_text | ocr | image (a picture whose text is not read)
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Line:
    page: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bbox(self) -> BBox:
        return union_bbox(self.words)


@dataclass(frozen=True)
class ExtractedField:
    value: Any
    confidence: float
    page: int | None
    bbox: BBox | None
    source: str
    evidence: str

    def as_json(self) -> dict[str, Any]:
        """The API's shape of a field (DESIGN.md section 4)."""
        return {
            "value": self.value,
            "confidence": round(self.confidence, 3),
            "page": self.page,
            "bbox": [round(v, 4) for v in self.bbox] if self.bbox else None,
            "source": self.source,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Issue:
    rule: str
    severity: str  # info | warning | error
    message: str

    def as_json(self) -> dict[str, str]:
        return {"rule": self.rule, "severity": self.severity, "message": self.message}


@dataclass
class ExtractionResult:
    doc_type: str
    doc_type_confidence: float
    fields: dict[str, ExtractedField] = field(default_factory=dict)
    line_items: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    pages: list[PageText] = field(default_factory=list)
    producer: str = ""


def word_json(word: Word) -> dict[str, Any]:
    """A word as stored with its page (``Page.words``) and in the training caches."""
    return {"text": word.text, "bbox": [round(v, 5) for v in word.bbox], "confidence": word.confidence,
            **({"size": word.size} if word.size else {})}


def word_from_json(data: dict[str, Any]) -> Word:
    return Word(data["text"], tuple(data["bbox"]), data.get("confidence", 1.0), data.get("size", 0.0))


def union_bbox(words: tuple[Word, ...] | list[Word]) -> BBox:
    return (
        min(w.bbox[0] for w in words),
        min(w.bbox[1] for w in words),
        max(w.bbox[2] for w in words),
        max(w.bbox[3] for w in words),
    )
